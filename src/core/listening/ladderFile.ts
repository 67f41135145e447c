// The escalation ladder file (AFTERCARE_ESCALATION_FILE): YAML text -> a validated Ladder, or
// every problem found with file, line, column and field, reported like playbook problems. Also
// the built-in ladder used when no file is set. Pure: config.ts reads the file.
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { PathSegment } from '../playbook/conditionSyntax.js';
import { DAY_MS, DURATION_HINT, HOUR_MS, formatDuration, tryParseDuration } from '../playbook/duration.js';
import { formatField, offsetOf, type PlaybookIssue } from '../playbook/parse.js';
import { schemaIssues } from '../yamlMap.js';
import type { Ladder, NotifyTarget, Sla, WorkingHours } from './ladder.js';
import { SEVERITIES, type Severity } from './types.js';

/** Same shape as a playbook problem, so formatIssue prints both alike. */
export type LadderIssue = PlaybookIssue;
export type LadderParseResult = { ok: true; ladder: Ladder } | { ok: false; issues: LadderIssue[] };

/** What a ladder takes from the rest of the configuration. */
export interface LadderContext {
  /** Who the built-in manager and owner levels notify (AFTERCARE_ESCALATION_EMAIL). */
  escalationEmail: string;
  /** The business's zone and open hours, for `hours: business`. */
  workingHours: WorkingHours;
}

export const DEFAULT_SLA: Readonly<Record<Severity, Sla>> = Object.freeze({
  critical: { acknowledgeMs: HOUR_MS, resolveMs: 8 * HOUR_MS },
  high: { acknowledgeMs: 4 * HOUR_MS, resolveMs: DAY_MS },
  medium: { acknowledgeMs: DAY_MS, resolveMs: 3 * DAY_MS },
  low: { acknowledgeMs: 2 * DAY_MS, resolveMs: 7 * DAY_MS },
});

/** rep -> manager -> owner; both upper levels e-mail the escalation contact; calendar time. */
export function defaultLadder(context: LadderContext): Ladder {
  const contact: NotifyTarget[] = [{ kind: 'email', address: context.escalationEmail }];
  return {
    levels: [
      { name: 'rep', notify: [] },
      { name: 'manager', notify: contact },
      { name: 'owner', notify: contact },
    ],
    sla: { ...DEFAULT_SLA },
    workingHours: null,
    source: 'built-in',
  };
}

const MAX_SLA_MS = 365 * DAY_MS;
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

const message = (text: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? 'is required' : text;

const duration = z.string({ error: message(`must be ${DURATION_HINT}`) }).transform((text, ctx) => {
  const ms = tryParseDuration(text);
  if (ms === null || ms === 0 || ms > MAX_SLA_MS) {
    const why = ms === null ? `must be ${DURATION_HINT}` : 'must be more than 0 and at most 365d';
    ctx.addIssue({ code: 'custom', message: `${why}, not "${text}"` });
  }
  return ms ?? 0;
});

const target = z
  .strictObject({
    email: z.string({ error: message('must be an e-mail address') }).optional(),
    webhook: z.string({ error: message('must be an https:// URL') }).optional(),
  })
  .transform((raw, ctx): NotifyTarget => {
    if ((raw.email === undefined) === (raw.webhook === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'needs exactly one of email or webhook' });
      return { kind: 'email', address: '' };
    }
    if (raw.email !== undefined) {
      const address = raw.email.trim();
      if (!EMAIL.test(address))
        ctx.addIssue({ code: 'custom', path: ['email'], message: `"${address}" is not an e-mail address` });
      return { kind: 'email', address };
    }
    const url = raw.webhook?.trim() ?? '';
    const parsed = URL.canParse(url) ? new URL(url) : null;
    if (
      parsed === null ||
      (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
      parsed.hostname === ''
    )
      ctx.addIssue({ code: 'custom', path: ['webhook'], message: 'must be an https:// URL' });
    else if (parsed.username !== '' || parsed.password !== '')
      ctx.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'must not carry credentials; the signature authenticates',
      });
    return { kind: 'webhook', url };
  });

const level = z.strictObject({
  name: z
    .string({ error: message('must be a name like manager') })
    .trim()
    .min(1, 'must not be empty')
    .max(64, 'must be at most 64 characters'),
  notify: z.array(target, { error: message('must be a list like [{email: lead@shop.example}]') }).optional(),
});

const sla = z.strictObject({ acknowledge: duration, resolve: duration }).transform((raw, ctx): Sla => {
  if (raw.resolve < raw.acknowledge) {
    ctx.addIssue({
      code: 'custom',
      path: ['resolve'],
      message: `must not be shorter than acknowledge (${formatDuration(raw.acknowledge)})`,
    });
  }
  return { acknowledgeMs: raw.acknowledge, resolveMs: raw.resolve };
});

const ladderSchema = z.strictObject({
  levels: z
    .array(level, { error: message('must be a list of levels, each with a name') })
    .min(1, 'needs at least one level'),
  sla: z
    .strictObject({
      critical: sla.optional(),
      high: sla.optional(),
      medium: sla.optional(),
      low: sla.optional(),
    })
    .optional(),
  hours: z.enum(['business', 'calendar'], { error: message('must be business or calendar') }).optional(),
});

/** The fields allowed where an unknown one was found, for the "did you mean" guess. */
function knownKeys(path: readonly PathSegment[]): readonly string[] {
  if (path.length === 0) return ['levels', 'sla', 'hours'];
  if (path[0] === 'sla') return path.length === 1 ? SEVERITIES : ['acknowledge', 'resolve'];
  return path.length === 2 ? ['name', 'notify'] : ['email', 'webhook'];
}

export function parseLadder(text: string, source: string, context: LadderContext): LadderParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const issue = (path: PathSegment[], text: string, preferKey = false): LadderIssue => ({
    file: source,
    ...at(offsetOf(doc, path, preferKey)),
    field: formatField(path),
    message: text,
  });

  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => ({ file: source, ...at(e.pos[0]), field: '', message: e.message }));
    return { ok: false, issues };
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, issues: [issue([], 'an escalation ladder must be a YAML map with levels and sla')] };
  }
  const parsed = ladderSchema.safeParse(data, {
    error: (iss) => (iss.input === undefined ? 'is required' : undefined),
  });
  const issues: LadderIssue[] = [];
  if (!parsed.success) {
    issues.push(...schemaIssues(parsed.error, issue, knownKeys));
  } else {
    const first = new Map<string, number>();
    parsed.data.levels.forEach((l, index) => {
      const twin = first.get(l.name.toLowerCase());
      if (twin === undefined) first.set(l.name.toLowerCase(), index);
      else
        issues.push(issue(['levels', index, 'name'], `"${l.name}" is already the name of levels[${twin}]`));
    });
  }
  if (!parsed.success || issues.length > 0) {
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, issues };
  }
  const raw = parsed.data;
  const slas = { ...DEFAULT_SLA };
  for (const severity of SEVERITIES) slas[severity] = raw.sla?.[severity] ?? DEFAULT_SLA[severity];
  return {
    ok: true,
    ladder: {
      levels: raw.levels.map((l) => ({ name: l.name, notify: l.notify ?? [] })),
      sla: slas,
      workingHours: raw.hours === 'business' ? context.workingHours : null,
      source,
    },
  };
}
