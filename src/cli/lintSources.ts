// The template files `aftercare lint` checks: for each step's template, the base file
// (`name.liquid`, English) and every locale file beside it (`name.de.liquid`...), the first
// folder that has one winning, as the renderer falls back; each made into one source with its
// partials inlined (a locale's own `_footer.de.liquid` before `_footer.liquid`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  findTemplateFile,
  inlinePartials,
  joinFrontMatter,
  normalizeNewlines,
  splitFrontMatter,
} from '../templates/load.js';

export interface LocaleSource {
  /** '' for the base file. */
  locale: string;
  file: string;
  /** Front matter and body with partials inlined (TemplateRenderer.fromSources takes it). */
  text: string;
  /** The template file and the partial files it includes, for finding a finding's line. */
  files: string[];
}

const LOCALE_FILE = /^(?<name>_?[a-z0-9][a-z0-9-]*)\.(?<locale>[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.liquid$/;
const INCLUDE = /\{%-?\s*include\s+(['"])(_[a-z0-9][a-z0-9-]*)\1\s*-?%\}/g;

interface Listing {
  /** `name` -> locale -> file, first folder first. */
  localized: Map<string, Map<string, string>>;
  /** `_name` -> file, first folder first. */
  partials: Map<string, string>;
}

function list(dirs: readonly string[]): Listing {
  const localized = new Map<string, Map<string, string>>();
  const partials = new Map<string, string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      continue; // a playbook's folder may not exist; the defaults still apply
    }
    for (const name of names) {
      const match = LOCALE_FILE.exec(name);
      if (match?.groups !== undefined) {
        const { name: base = '', locale = '' } = match.groups;
        const byLocale = localized.get(base) ?? new Map<string, string>();
        if (!byLocale.has(locale)) byLocale.set(locale, join(dir, name));
        localized.set(base, byLocale);
      } else if (/^_[a-z0-9][a-z0-9-]*\.liquid$/.test(name)) {
        const base = name.slice(0, -'.liquid'.length);
        if (!partials.has(base)) partials.set(base, join(dir, name));
      }
    }
  }
  return { localized, partials };
}

/** The base file and each locale file of template `name` in `dirs`, inlined. */
export function localeSources(dirs: readonly string[], name: string): LocaleSource[] {
  const listing = list(dirs);
  const base = findTemplateFile(dirs, name);
  const files: [string, string][] = base === null ? [] : [['', base]];
  for (const [locale, file] of [...(listing.localized.get(name) ?? new Map<string, string>())].sort()) {
    files.push([locale, file]);
  }
  return files.map(([locale, file]) => source(listing, locale, file));
}

function source(listing: Listing, locale: string, file: string): LocaleSource {
  const partialFile = (partial: string): string | undefined =>
    (locale === '' ? undefined : listing.localized.get(partial)?.get(locale)) ??
    listing.partials.get(partial);
  const texts = new Map<string, string>();
  const used: string[] = [];
  const visit = (text: string, depth: number): void => {
    for (const match of text.matchAll(INCLUDE)) {
      const partial = match[2] ?? '';
      const path = partialFile(partial);
      if (path === undefined || texts.has(`${partial}.liquid`) || depth > 5) continue;
      const partialText = normalizeNewlines(readFileSync(path, 'utf8'));
      texts.set(`${partial}.liquid`, partialText);
      used.push(path);
      visit(partialText, depth + 1);
    }
  };
  const raw = readFileSync(file, 'utf8');
  visit(raw, 0);
  const parts = splitFrontMatter(raw, file);
  const inline = (text: string): string => inlinePartials(text, texts, file);
  const text = joinFrontMatter({
    subject: parts.subject === null ? null : inline(parts.subject.text),
    title: parts.title === null ? null : inline(parts.title.text),
    body: inline(parts.body.text),
  });
  return { locale, file, text, files: [file, ...used] };
}

/** The first line (1-based) of `files` that holds one of `needles` (any case); else line 1 of the first. */
export function lineOf(files: readonly string[], needles: readonly string[]): { file: string; line: number } {
  for (const needle of needles) {
    const wanted = needle.toLowerCase();
    for (const file of files) {
      const lines = normalizeNewlines(readFileSync(file, 'utf8')).split('\n');
      const at = lines.findIndex((line) => line.toLowerCase().includes(wanted));
      if (at >= 0) return { file, line: at + 1 };
    }
  }
  return { file: files[0] ?? '', line: 1 };
}
