// Finding and reading template files: `<name>.liquid` with an optional front matter block
// (`subject:` for messages, `title:` for tasks) between `---` lines, and `_<name>.liquid`
// partials, which are inlined when a template loads; and writing a template's parts back as one
// text (joinFrontMatter, for snapshots). The only template code that touches files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AftercareError } from '../errors.js';

export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/;
const PARTIAL_FILE = /^(_[a-z0-9][a-z0-9-]*)(?:\.[A-Za-z0-9-]+)?\.liquid$/;
export const FRONT_MATTER_KEYS = ['subject', 'title'] as const;
export type FrontMatterKey = (typeof FRONT_MATTER_KEYS)[number];

/** A piece of Liquid source and the file line it starts on (for error messages). */
export interface SourcePart {
  text: string;
  line: number;
}

export interface TemplateSource {
  name: string;
  file: string;
  subject: SourcePart | null;
  title: SourcePart | null;
  body: SourcePart;
}

/** The first `<dir>/<name>.liquid` that exists, or null. Names are slugs, so never a path. */
export function findTemplateFile(dirs: readonly string[], name: string): string | null {
  if (!TEMPLATE_NAME.test(name)) return null;
  for (const dir of dirs) {
    const file = join(dir, `${name}.liquid`);
    if (existsSync(file)) return file;
  }
  return null;
}

// Locale variants: `thank-you.fr.liquid`, `thank-you.de-AT.liquid` next to `thank-you.liquid`
// (the base file, which every locale falls back to). Names are slugs without dots, so the part
// between the name and `.liquid` is always the locale. Partials work alike: `_help.fr.liquid`.
const LOCALE_PART = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$/;

/** `de-AT` -> ['de-AT', 'de', '']: most specific first; '' is the base file, the last resort. */
export function localeChain(locale: string): string[] {
  const chain: string[] = [];
  const parts = locale === '' ? [] : locale.split('-');
  for (let n = parts.length; n > 0; n--) chain.push(parts.slice(0, n).join('-'));
  chain.push('');
  return chain;
}

/** How a snapshot (TemplateRenderer.sources) names a locale variant: `thank-you` or `thank-you.fr`. */
export function variantKey(name: string, locale: string): string {
  return locale === '' ? name : `${name}.${locale}`;
}

/** `thank-you.fr` -> { name: 'thank-you', locale: 'fr' }; null when it is neither form. */
export function parseVariantKey(key: string): { name: string; locale: string } | null {
  const dot = key.indexOf('.');
  const name = dot < 0 ? key : key.slice(0, dot);
  if (!TEMPLATE_NAME.test(name)) return null;
  if (dot < 0) return { name, locale: '' };
  const locale = canonicalLocale(key.slice(dot + 1));
  return locale === null ? null : { name, locale };
}

/** The canonical BCP 47 form of a file name's locale part ('de-at' -> 'de-AT'), or null. */
function canonicalLocale(part: string): string | null {
  if (!LOCALE_PART.test(part)) return null;
  try {
    return Intl.getCanonicalLocales(part)[0] ?? null;
  } catch {
    return null;
  }
}

/** The files of one template (or partial) in one folder, by canonical locale ('' for the base). */
export type LocaleFiles = ReadonlyMap<string, string>;

/**
 * For each folder in order, the files of `<prefix>` and `<prefix>.<locale>` `.liquid` in it
 * (an empty map where there are none). `prefix` is a template name or `_` and a partial name.
 */
export function localeFiles(dirs: readonly string[], prefix: string): LocaleFiles[] {
  return dirs.map((dir) => {
    const found = new Map<string, string>();
    for (const file of listDir(dir)) {
      const locale = localeOfFile(file, prefix);
      if (locale !== null) found.set(locale, join(dir, file));
    }
    return found;
  });
}

/** The templates in a folder (not partials), each once however many locales it comes in, sorted. */
export function templateNamesIn(dir: string): string[] {
  const names = new Set<string>();
  for (const file of listDir(dir)) {
    const name = /^([a-z0-9][a-z0-9-]*)(?:\.[^.]+)?\.liquid$/.exec(file)?.[1];
    if (name !== undefined && localeOfFile(file, name) !== null) names.add(name);
  }
  return [...names].sort();
}

function localeOfFile(file: string, prefix: string): string | null {
  if (!file.startsWith(prefix) || !file.endsWith('.liquid')) return null;
  const middle = file.slice(prefix.length, -'.liquid'.length);
  if (middle === '') return '';
  return middle.startsWith('.') ? canonicalLocale(middle.slice(1)) : null;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return []; // a playbook's template folder may not exist; the defaults still apply
  }
}

/**
 * The file a customer in `locale` gets: folders in order, and in each folder the most specific
 * locale first, then the base file. So a folder that holds a template in any matching form wins
 * over later ones: a playbook that ships its own `thank-you.liquid` keeps its own words for every
 * locale it does not translate itself, rather than getting the defaults' translation of other words.
 */
export function pickLocale(
  folders: readonly LocaleFiles[],
  locale: string,
): { file: string; locale: string } | null {
  const chain = localeChain(locale);
  for (const folder of folders) {
    for (const tag of chain) {
      const file = folder.get(tag);
      if (file !== undefined) return { file, locale: tag };
    }
  }
  return null;
}

export function readTemplate(file: string, name: string): TemplateSource {
  return { name, file, ...splitFrontMatter(readFileSync(file, 'utf8'), file) };
}

/** One line ending for everything a template is made of: CRLF and lone CR become LF. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Front matter is a deliberately small subset of YAML: one `key: value` per line, quotes
 * optional. Liquid in a value (`subject: Your order {{ order.id }}: on its way`) would trip a
 * real YAML parser, so values are taken verbatim. A value may also be a block: `key: |`, then
 * its lines indented by two spaces (snapshots write a subject that spans lines this way).
 */
export function splitFrontMatter(text: string, file: string): Omit<TemplateSource, 'name' | 'file'> {
  const lines = normalizeNewlines(text.replace(/^\uFEFF/, '')).split('\n');
  const fields: Partial<Record<FrontMatterKey, SourcePart>> = {};
  if (lines[0]?.trim() !== '---')
    return { subject: null, title: null, body: { text: lines.join('\n'), line: 1 } };
  let i = 1;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '---') break;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const match = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(line);
    if (match === null) throw invalid(file, i + 1, 'expected "key: value" in the front matter');
    const key = match[1] ?? '';
    if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key)) {
      throw invalid(file, i + 1, `unknown front matter key "${key}" (use ${FRONT_MATTER_KEYS.join(' or ')})`);
    }
    if (fields[key as FrontMatterKey] !== undefined) throw invalid(file, i + 1, `"${key}" is given twice`);
    const raw = (match[2] ?? '').trim();
    if (raw === '|' && lines[i + 1]?.startsWith(BLOCK_INDENT)) {
      const start = i + 2;
      const block: string[] = [];
      while (lines[i + 1]?.startsWith(BLOCK_INDENT))
        block.push((lines[++i] ?? '').slice(BLOCK_INDENT.length));
      fields[key as FrontMatterKey] = { text: block.join('\n'), line: start };
    } else {
      fields[key as FrontMatterKey] = { text: unquote(raw), line: i + 1 };
    }
  }
  if (i >= lines.length) throw invalid(file, 1, 'the front matter opened here is never closed with ---');
  return {
    subject: fields.subject ?? null,
    title: fields.title ?? null,
    body: { text: lines.slice(i + 1).join('\n'), line: i + 2 },
  };
}

const BLOCK_INDENT = '  ';

/**
 * A template's text again, from its parts, so that splitFrontMatter gives the same parts back:
 * every value quoted (unquote strips exactly one pair), or written as a block when it holds a
 * line break (which a one-line value cannot).
 */
export function joinFrontMatter(parts: Record<FrontMatterKey, string | null> & { body: string }): string {
  let text = '---\n';
  for (const key of FRONT_MATTER_KEYS) {
    const value = parts[key];
    if (value === null) continue;
    text += /[\n\u2028\u2029]/.test(value)
      ? `${key}: |\n${value
          .split('\n')
          .map((line) => BLOCK_INDENT + line)
          .join('\n')}\n`
      : `${key}: "${value}"\n`;
  }
  return `${text}---\n${parts.body}`;
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first))
    return value.slice(1, -1);
  return value;
}

function invalid(file: string, line: number, message: string): AftercareError {
  return new AftercareError('AFTERCARE_E_TEMPLATE_RENDER', `${file}:${line}: ${message}`, { file, line });
}

/**
 * Every `_<name>.liquid` partial in the folders (locale variants `_<name>.<locale>.liquid`
 * included, under their own file name), read once into memory, first folder winning.
 */
export function readPartials(dirs: readonly string[]): Map<string, string> {
  const partials = new Map<string, string>();
  for (const dir of dirs) {
    for (const name of listDir(dir)) {
      if (PARTIAL_FILE.test(name) && !partials.has(name)) {
        partials.set(name, normalizeNewlines(readFileSync(join(dir, name), 'utf8')));
      }
    }
  }
  return partials;
}

/** The partials of the folders, read once, from which each locale's set is picked. */
export class PartialFolders {
  private readonly folders: Map<string, Map<string, string>>[];
  private readonly byLocale = new Map<string, ReadonlyMap<string, string>>();

  constructor(dirs: readonly string[]) {
    // Per folder: partial name (`_help`) -> locale -> text.
    this.folders = dirs.map((dir) => {
      const found = new Map<string, Map<string, string>>();
      for (const file of listDir(dir)) {
        const match = PARTIAL_FILE.exec(file);
        if (match === null) continue;
        const name = match[1] ?? '';
        const locale = localeOfFile(file, name);
        if (locale === null) continue;
        let variants = found.get(name);
        if (variants === undefined) found.set(name, (variants = new Map<string, string>()));
        variants.set(locale, normalizeNewlines(readFileSync(join(dir, file), 'utf8')));
      }
      return found;
    });
  }

  /**
   * `_<name>.liquid` -> text for a template written in `locale` (the template file's own locale,
   * so an English fallback never gets French partials), picked like templates (pickLocale).
   */
  forLocale(locale: string): ReadonlyMap<string, string> {
    const cached = this.byLocale.get(locale);
    if (cached !== undefined) return cached;
    const chain = localeChain(locale);
    const names = new Set(this.folders.flatMap((folder) => [...folder.keys()]));
    const picked = new Map<string, string>();
    for (const name of [...names].sort()) {
      search: for (const folder of this.folders) {
        const variants = folder.get(name);
        if (variants === undefined) continue;
        for (const tag of chain) {
          const text = variants.get(tag);
          if (text !== undefined) {
            picked.set(`${name}.liquid`, text);
            break search;
          }
        }
      }
    }
    this.byLocale.set(locale, picked);
    return picked;
  }
}

const INCLUDE = /\{%(-?)\s*include\s+(['"])(_[a-z0-9][a-z0-9-]*)\2\s*(-?)%\}/g;
const MAX_PARTIAL_DEPTH = 5;

/**
 * Replace `{% include '_name' %}` with the partial's text, once, at load. Liquid's own include
 * costs ~15µs per use on every render (a lookup and a new scope); inlined, it costs nothing, and
 * no tag is left that could reach for a file at render time. Scoping is the same (include
 * shares the caller's variables); `{%- include -%}` keeps its whitespace trimming through empty
 * comment tags. A partial should not trim at its own edges (`{%-` first, `-%}` last): inlined,
 * that would eat the caller's spaces. Line numbers after a multi-line partial shift in errors.
 */
export function inlinePartials(
  text: string,
  partials: ReadonlyMap<string, string>,
  file: string,
  depth = 0,
): string {
  return text.replace(INCLUDE, (_tag, left: string, _quote: string, name: string, right: string) => {
    const partial = partials.get(`${name}.liquid`);
    if (partial === undefined) {
      throw invalid(
        file,
        lineOf(text, text.indexOf(_tag)),
        `no partial ${name}.liquid in the template folders`,
      );
    }
    if (depth >= MAX_PARTIAL_DEPTH)
      throw invalid(file, 1, `partials nest deeper than ${MAX_PARTIAL_DEPTH} (a loop?)`);
    // Like Jinja, a partial's final newline is not part of it: `{% include '_name' %}` can sit mid-sentence.
    const inner = inlinePartials(partial.replace(/\n$/, ''), partials, `${name}.liquid`, depth + 1);
    const before = left === '-' ? '{%- comment %}{% endcomment %}' : '';
    const after = right === '-' ? '{% comment %}{% endcomment -%}' : '';
    return before + inner + after;
  });
}

function lineOf(text: string, index: number): number {
  return text.slice(0, Math.max(0, index)).split('\n').length;
}
