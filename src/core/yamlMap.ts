// Reading a small YAML configuration file (a catalogue, not a playbook) into a map whose every
// problem can be pointed at: the size and alias limits that keep a hostile file cheap, syntax
// errors with their line and column, and an `issue(path, message)` that finds where a field sits
// in the source. The gift, interaction, offer and tip files read this way; `schemaIssues` turns
// what their zod schema refused into issues at those places, and `readYamlSchema` does both.
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { PathSegment } from './playbook/conditionSyntax.js';
import { closest, formatField, offsetOf, type PlaybookIssue } from './playbook/parse.js';

export interface YamlMapLimits {
  /** What the file is, for messages: `the gift catalogue`. */
  what: string;
  maxBytes: number;
  /** 0: aliases are refused (a file with no use for them). */
  maxAliases: number;
  /** The message when the document is not a map: `a gift catalogue must be a YAML map with tiers and gifts`. */
  notAMap: string;
}

export type IssueAt = (path: PathSegment[], message: string, preferKey?: boolean) => PlaybookIssue;

export type YamlMapResult =
  { ok: true; data: Record<string, unknown>; issue: IssueAt } | { ok: false; issues: PlaybookIssue[] };

export function readYamlMap(text: string, source: string, limits: YamlMapLimits): YamlMapResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) {
    const message = `${limits.what} is ${bytes} bytes; at most ${limits.maxBytes} are read`;
    return { ok: false, issues: [{ file: source, line: 1, column: 1, field: '', message }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const issue: IssueAt = (path, message, preferKey = false) => ({
    file: source,
    ...at(offsetOf(doc, path, preferKey)),
    field: formatField(path),
    message,
  });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => ({ file: source, ...at(e.pos[0]), field: '', message: e.message })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: limits.maxAliases });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const limit =
      limits.maxAliases === 0 ? 'aliases are not allowed' : `at most ${limits.maxAliases} aliases`;
    return { ok: false, issues: [issue([], `the YAML cannot be expanded: ${why} (${limit})`)] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, issues: [issue([], limits.notAMap)] };
  }
  return { ok: true, data: data as Record<string, unknown>, issue };
}

/**
 * What a zod schema refused, each at its place in the file: an unknown field is named with the
 * closest known one (`knownKeys`: one list, or the fields allowed where the unknown one sits).
 */
export function schemaIssues(
  error: z.ZodError,
  issue: IssueAt,
  knownKeys: readonly string[] | ((path: PathSegment[]) => readonly string[]),
): PlaybookIssue[] {
  return error.issues.flatMap((zodIssue): PlaybookIssue[] => {
    const path = zodIssue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
    if (zodIssue.code !== 'unrecognized_keys') return [issue(path, zodIssue.message)];
    const known = typeof knownKeys === 'function' ? knownKeys(path) : knownKeys;
    return zodIssue.keys.map((key) => {
      const guess = closest(key, [...known]);
      const hint = guess ? ` (did you mean "${guess}"?)` : '';
      return issue([...path, key], `unknown field "${key}"${hint}`, true);
    });
  });
}

/** Issues in the order they stand in the file: by line, then column (sorts in place). */
export function inFileOrder<T extends PlaybookIssue>(issues: T[]): T[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}

export type YamlSchemaResult<T> =
  { ok: true; data: T; issue: IssueAt } | { ok: false; issues: PlaybookIssue[] };

/**
 * `readYamlMap`, then `schema`: what the schema made of the map, with the `issue` to point the
 * file's own further checks at; or every problem, each at its place, in file order.
 */
export function readYamlSchema<S extends z.ZodType>(
  text: string,
  source: string,
  limits: YamlMapLimits,
  schema: S,
  knownKeys: readonly string[] | ((path: PathSegment[]) => readonly string[]),
): YamlSchemaResult<z.output<S>> {
  const read = readYamlMap(text, source, limits);
  if (!read.ok) return read;
  const parsed = schema.safeParse(read.data);
  if (!parsed.success)
    return { ok: false, issues: inFileOrder(schemaIssues(parsed.error, read.issue, knownKeys)) };
  return { ok: true, data: parsed.data, issue: read.issue };
}
