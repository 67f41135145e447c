// Interaction catalogue YAML -> a validated InteractionCatalogue, or every problem found, each
// with file, line, column and field (`interactions[2].steps[1]`), checked against the playbook it
// names: an unknown step, a question on a step that asks none, an unknown playbook are errors with
// a "did you mean". Pure: the caller reads the file. Same habits and limits as playbooks (parse.ts).
import { z } from 'zod';
import { EVENT_TYPES, SURVEYS } from '../domain.js';
import type { PathSegment } from '../playbook/conditionSyntax.js';
import { closest, type PlaybookIssue } from '../playbook/parse.js';
import { readYamlMap, schemaIssues } from '../yamlMap.js';
import { SLUG } from '../playbook/schema.js';
import type {
  CatalogueTarget,
  Interaction,
  InteractionCatalogue,
  InteractionQuestion,
} from './interactions.js';

/** A problem in a catalogue file: `file:line:col field: message`, as playbook problems are. */
export type CatalogueIssue = PlaybookIssue;
export type CatalogueResult =
  { ok: true; catalogue: InteractionCatalogue } | { ok: false; issues: CatalogueIssue[] };

/** The built-in catalogue is 4 KB; the limits are the playbook's (parse.ts says why). */
export const MAX_CATALOGUE_BYTES = 64 * 1024;
export const MAX_CATALOGUE_ALIASES = 100;
export const MAX_INTERACTIONS = 200;

const slug = z.string().regex(SLUG, 'must use only lower-case letters, digits and -');
const questionSchema = z.union([slug, z.strictObject({ step: slug, survey: z.enum(SURVEYS).optional() })]);
const interactionSchema = z.strictObject({
  id: slug.max(100),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  description: z.string().max(2000).optional(),
  steps: z.array(slug).max(100).optional(),
  events: z.array(z.enum(EVENT_TYPES)).max(50).optional(),
  questions: z.array(questionSchema).max(20).optional(),
});
const catalogueSchema = z.strictObject({
  playbook: slug,
  overall: questionSchema.optional(),
  interactions: z.array(interactionSchema).min(1, 'must list at least one interaction').max(MAX_INTERACTIONS),
});
type RawQuestion = z.output<typeof questionSchema>;

const KNOWN_KEYS = [
  ...['playbook', 'overall', 'interactions'],
  ...['id', 'name', 'description', 'steps', 'events', 'questions', 'step', 'survey'],
];

/**
 * Parses and checks a catalogue against the playbooks it may name (the configured ones). A
 * question's survey, when not written, is its step's.
 */
export function parseInteractions(
  text: string,
  source: string,
  playbooks: readonly CatalogueTarget[],
): CatalogueResult {
  const read = readYamlMap(text, source, {
    what: 'the catalogue',
    maxBytes: MAX_CATALOGUE_BYTES,
    maxAliases: MAX_CATALOGUE_ALIASES,
    notAMap: 'a catalogue must be a YAML map with playbook and interactions',
  });
  if (!read.ok) return read;
  const { data, issue } = read;
  const parsed = catalogueSchema.safeParse(data, {
    error: (iss) => (iss.input === undefined ? 'is required' : undefined),
  });
  if (!parsed.success) {
    const issues = schemaIssues(parsed.error, issue, KNOWN_KEYS);
    return { ok: false, issues: sorted(issues) };
  }
  const raw = parsed.data;
  const target = playbooks.find((p) => p.name === raw.playbook);
  if (target === undefined) {
    const names = playbooks.map((p) => p.name);
    const guess = closest(raw.playbook, names);
    const known = names.length === 0 ? 'none is configured' : `configured: ${names.join(', ')}`;
    const hint = guess ? `did you mean "${guess}"? ` : '';
    return {
      ok: false,
      issues: [issue(['playbook'], `no playbook "${raw.playbook}" (${hint}${known})`)],
    };
  }
  const issues: CatalogueIssue[] = [];
  const stepKeys = target.steps.map((s) => s.key);
  const surveyOf = new Map(target.steps.map((s) => [s.key, s.survey]));
  const knownStep = (key: string, path: PathSegment[]): boolean => {
    if (surveyOf.has(key)) return true;
    const guess = closest(key, stepKeys);
    const hint = guess ? ` (did you mean "${guess}"?)` : '';
    issues.push(issue(path, `playbook "${target.name}" has no step "${key}"${hint}`));
    return false;
  };
  const question = (q: RawQuestion, path: PathSegment[]): InteractionQuestion | null => {
    const step = typeof q === 'string' ? q : q.step;
    const stepPath = typeof q === 'string' ? path : [...path, 'step'];
    if (!knownStep(step, stepPath)) return null;
    const asked = surveyOf.get(step) ?? null;
    if (asked === null) {
      issues.push(issue(stepPath, `step "${step}" asks no survey question`));
      return null;
    }
    if (typeof q !== 'string' && q.survey !== undefined && q.survey !== asked) {
      issues.push(issue([...path, 'survey'], `step "${step}" asks ${asked}, not ${q.survey}`));
      return null;
    }
    return { step, survey: asked };
  };

  const overall = raw.overall === undefined ? null : question(raw.overall, ['overall']);
  const firstIndex = new Map<string, number>();
  const interactions: Interaction[] = raw.interactions.map((r, i) => {
    const first = firstIndex.get(r.id);
    if (first !== undefined) {
      issues.push(
        issue(['interactions', i, 'id'], `duplicate interaction id "${r.id}" (also interactions[${first}])`),
      );
    } else firstIndex.set(r.id, i);
    const steps = r.steps ?? [];
    steps.forEach((key, j) => knownStep(key, ['interactions', i, 'steps', j]));
    const questions = (r.questions ?? [])
      .map((q, j) => question(q, ['interactions', i, 'questions', j]))
      .filter((q): q is InteractionQuestion => q !== null);
    return {
      id: r.id,
      name: r.name,
      description: r.description?.trim() || null,
      steps: [...new Set(steps)],
      events: [...new Set(r.events ?? [])],
      questions: dedupe(questions),
    };
  });
  if (issues.length > 0) return { ok: false, issues: sorted(issues) };
  return { ok: true, catalogue: { playbook: target.name, overall, interactions, source } };
}

function dedupe(questions: InteractionQuestion[]): InteractionQuestion[] {
  const seen = new Set<string>();
  return questions.filter((q) => !seen.has(q.step) && Boolean(seen.add(q.step)));
}

function sorted(issues: CatalogueIssue[]): CatalogueIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
