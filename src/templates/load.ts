// Finding and reading template files: `<name>.liquid` with an optional front matter block
// (`subject:` for messages, `title:` for tasks) between `---` lines, and `_<name>.liquid`
// partials, which are inlined when a template loads; and writing a template's parts back as one
// text (joinFrontMatter, for snapshots). The only template code that touches files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AftercareError } from '../errors.js';

export const TEMPLATE_NAME = /^[a-z0-9][a-z0-9-]*$/;
const PARTIAL_FILE = /^_[a-z0-9][a-z0-9-]*\.liquid$/;
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
 * Every `_<name>.liquid` partial in the folders, read once into memory, first folder winning.
 * Keys are `_<name>.liquid`, which is how `{% include '_footer' %}` asks for them.
 */
export function readPartials(dirs: readonly string[]): Map<string, string> {
  const partials = new Map<string, string>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue; // a playbook's template folder may not exist; the defaults still apply
    }
    for (const name of names.sort()) {
      if (PARTIAL_FILE.test(name) && !partials.has(name)) {
        partials.set(name, normalizeNewlines(readFileSync(join(dir, name), 'utf8')));
      }
    }
  }
  return partials;
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
