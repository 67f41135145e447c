// Playbook YAML text -> a validated Playbook, or every problem found, each with file, line,
// column and field path (`steps[3].timing.after`). Pure: the caller reads the file.
import { dirname, isAbsolute, join } from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import type { PathSegment } from './conditionSyntax.js';
import {
  DEFAULT_DELAY_GRACE_MS,
  DEFAULT_EXIT_ON,
  DEFAULT_RETURN_WINDOW_MS,
  DEFAULT_STALE_AFTER_MS,
  playbookSchema,
  type RawPlaybook,
} from './schema.js';
import type { Playbook } from './types.js';

export interface PlaybookIssue {
  file: string;
  line: number;
  column: number;
  /** Where in the playbook: `steps[3].timing.after`; empty for YAML syntax errors. */
  field: string;
  message: string;
}
export type ParseResult = { ok: true; playbook: Playbook } | { ok: false; issues: PlaybookIssue[] };

export interface Position {
  line: number;
  column: number;
}

/** A parse result plus a way to point at any field of the same text (load.ts uses it for template checks). */
export interface AnalyzedPlaybook {
  result: ParseResult;
  locate(path: PathSegment[]): Position;
}

export function parsePlaybook(text: string, source: string): ParseResult {
  return analyzePlaybook(text, source).result;
}

/**
 * The largest playbook text read, in UTF-8 bytes. The built-in one is 7 KB; parsing YAML costs
 * about 3 ms per KB on one core, time in which a server answers nothing else, so 64 KB (~0.2 s)
 * is the most a file or POST /playbooks/validate may ask for.
 */
export const MAX_PLAYBOOK_BYTES = 64 * 1024;
/** Aliases a playbook may expand (an alias bomb expands a few lines into millions of nodes). */
export const MAX_PLAYBOOK_ALIASES = 100;

export function analyzePlaybook(text: string, source: string): AnalyzedPlaybook {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PLAYBOOK_BYTES) {
    const message = `the playbook is ${bytes} bytes; at most ${MAX_PLAYBOOK_BYTES} are read`;
    const issues = [{ file: source, line: 1, column: 1, field: '', message }];
    return { result: { ok: false, issues }, locate: () => ({ line: 1, column: 1 }) };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined): Position => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const locate = (path: PathSegment[], preferKey = false): Position => at(offsetOf(doc, path, preferKey));
  const issue = (path: PathSegment[], message: string, preferKey = false): PlaybookIssue => ({
    file: source,
    ...locate(path, preferKey),
    field: formatField(path),
    message,
  });

  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({ file: source, ...at(e.pos[0]), field: '', message: e.message }));
    return { result: { ok: false, issues }, locate };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_PLAYBOOK_ALIASES });
  } catch (error) {
    // yaml throws a plain ReferenceError for an alias bomb (and an unresolvable alias).
    const why = error instanceof Error ? error.message : String(error);
    const message = `the YAML cannot be expanded: ${why} (at most ${MAX_PLAYBOOK_ALIASES} aliases)`;
    return { result: { ok: false, issues: [issue([], message)] }, locate };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    const message = 'a playbook must be a YAML map with name, version and steps';
    return { result: { ok: false, issues: [issue([], message)] }, locate };
  }

  const issues = duplicateStepKeys(data).map((d) => issue(d.path, d.message));
  const parsed = playbookSchema.safeParse(data, {
    error: (iss) => (iss.input === undefined ? 'is required' : undefined),
  });
  if (!parsed.success) issues.push(...parsed.error.issues.flatMap((i) => fromZodIssue(i, issue)));
  if (issues.length > 0 || !parsed.success) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return { result: { ok: false, issues }, locate };
  }
  return { result: { ok: true, playbook: normalize(parsed.data, source) }, locate };
}

function normalize(raw: RawPlaybook, source: string): Playbook {
  let templatesDir: string | null = null;
  if (raw.templates !== undefined) {
    templatesDir = isAbsolute(raw.templates) ? raw.templates : join(dirname(source), raw.templates);
  }
  return {
    name: raw.name,
    version: raw.version,
    description: raw.description ?? null,
    exitOn: raw.exit_on ?? [...DEFAULT_EXIT_ON],
    returnWindowMs: raw.return_window ?? DEFAULT_RETURN_WINDOW_MS,
    delayGraceMs: raw.delay_grace ?? DEFAULT_DELAY_GRACE_MS,
    staleAfterMs: raw.stale_after ?? DEFAULT_STALE_AFTER_MS,
    // Only when given: the stored definition (and fingerprint) of playbooks without it stays as it was.
    ...(raw.renewal_gap !== undefined ? { renewalGapMs: raw.renewal_gap } : {}),
    steps: raw.steps,
    source,
    templatesDir,
  };
}

function duplicateStepKeys(data: object): { path: PathSegment[]; message: string }[] {
  const steps: unknown = (data as Record<string, unknown>)['steps'];
  if (!Array.isArray(steps)) return [];
  const firstIndex = new Map<string, number>();
  const out: { path: PathSegment[]; message: string }[] = [];
  steps.forEach((step: unknown, i) => {
    const key: unknown = typeof step === 'object' && step !== null ? Reflect.get(step, 'key') : undefined;
    if (typeof key !== 'string') return;
    const first = firstIndex.get(key);
    if (first === undefined) firstIndex.set(key, i);
    else
      out.push({ path: ['steps', i, 'key'], message: `duplicate step key "${key}" (also steps[${first}])` });
  });
  return out;
}

const KNOWN_KEYS = [
  ...[
    'name',
    'version',
    'description',
    'exit_on',
    'return_window',
    'delay_grace',
    'stale_after',
    'renewal_gap',
    'templates',
  ],
  ...[
    'steps',
    'key',
    'timing',
    'channel',
    'template',
    'purpose',
    'when',
    'cancel_on',
    'survey',
    'owner',
    'measurement',
    'tip',
    'story',
  ],
  ...['after', 'before', 'from', 'at', 'on'],
];

function fromZodIssue(
  zodIssue: z.core.$ZodIssue,
  issue: (path: PathSegment[], message: string, preferKey?: boolean) => PlaybookIssue,
): PlaybookIssue[] {
  const path = zodIssue.path.filter((p): p is PathSegment => typeof p !== 'symbol');
  if (zodIssue.code === 'unrecognized_keys') {
    return zodIssue.keys.map((key) => {
      const guess = closest(key, KNOWN_KEYS);
      const hint = guess === null ? '' : ` (did you mean "${guess}"?)`;
      return issue([...path, key], `unknown field "${key}"${hint}`, true);
    });
  }
  return [issue(path, zodIssue.message)];
}

/** `steps[3].timing.after`; keys that are not plain words are quoted: `when["order.total"]`. */
export function formatField(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `playbooks/x.yaml:12:7 steps[2].timing.after: must be a duration ...` */
export function formatIssue(issue: PlaybookIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.field === '' ? `${where} ${issue.message}` : `${where} ${issue.field}: ${issue.message}`;
}

/**
 * The text offset of the node at `path`, or of its nearest existing ancestor when the field is
 * missing. `preferKey` points at the key itself (for unknown keys) rather than its value.
 */
export function offsetOf(doc: Document, path: PathSegment[], preferKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc);
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (pair === undefined) return offset;
      const keyStart = rangeStart(pair.key);
      const valueStart = rangeStart(pair.value);
      const last = i === path.length - 1;
      offset = (last && preferKey ? keyStart : (valueStart ?? keyStart)) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range?.[0];
}

/** The candidate within edit distance 2, if any: catches `cancelOn` -> `cancel_on`. */
export function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
