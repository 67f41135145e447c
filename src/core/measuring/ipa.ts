// Importance-performance analysis over the interaction catalogue. Performance is how well an
// interaction goes: the mean of its survey answers on a 1-5 scale, or, without answers, the
// teams' audited performance. Importance is how much it matters: asked (the teams' audited
// importance) or derived (how strongly customers' scores on it move with their overall score,
// a Pearson correlation from simple-statistics). Quadrants split at the means; the gap is
// importance - performance on the same 1-5 scale, largest first. docs/gaps.md explains each.
import { sampleCorrelation } from 'simple-statistics';
import type { Survey } from '../domain.js';
import type { AuditScore } from './audit.js';
import type { InteractionCatalogue, InteractionQuestion } from './interactions.js';

export const QUADRANTS = [
  'concentrate_here',
  'keep_up_the_good_work',
  'low_priority',
  'possible_overkill',
] as const;
export type Quadrant = (typeof QUADRANTS)[number];

export const QUADRANT_LABELS: Readonly<Record<Quadrant, string>> = {
  concentrate_here: 'Concentrate here',
  keep_up_the_good_work: 'Keep up the good work',
  low_priority: 'Low priority',
  possible_overkill: 'Possible overkill',
};

/** One survey answer of one customer to one step's question. */
export interface ScoredAnswer {
  customerId: string;
  step: string;
  survey: Survey;
  score: number;
}

/** Fewer customers with both scores than this and no importance is derived (a correlation of a handful means nothing). */
export const MIN_DERIVED_PAIRS = 30;

/**
 * Survey scores on the audits' 1-5 scale: CSAT is 1-5 already (values outside are clamped);
 * NPS 0-10 maps linearly, 1 + 0.4 x score (0 -> 1, 5 -> 3, 10 -> 5), keeping equal steps equal.
 */
export function toFivePoint(survey: Survey, score: number): number {
  if (survey === 'nps') return 1 + 0.4 * Math.min(10, Math.max(0, score));
  return Math.min(5, Math.max(1, score));
}

/**
 * A correlation r as importance on the 1-5 scale: 1 + 4 x max(r, 0). An interaction whose scores
 * do not move with overall satisfaction (r <= 0) shows no evidence of mattering: 1.
 */
export function correlationToImportance(r: number): number {
  return 1 + 4 * Math.max(0, r);
}

export interface GapEvidence {
  /** Mean audited importance over the teams that scored the interaction. */
  asked: { value: number; teams: number } | null;
  /** Pearson r between customers' score on it and their overall score, and what it maps to. */
  derived: { value: number; r: number; pairs: number } | null;
  /** Mean of its survey answers on the 1-5 scale. */
  survey: { value: number; answers: number; customers: number } | null;
  /** Mean audited performance. */
  audit: { value: number; teams: number } | null;
}

export interface Gap {
  interaction: string;
  name: string;
  /** 1-5; `asked` when any team scored it, else `derived`; null when neither is known. */
  importance: { value: number; source: 'asked' | 'derived' } | null;
  /** 1-5; `survey` when customers answered its questions, else `audit`; null when neither. */
  performance: { value: number; source: 'survey' | 'audit' } | null;
  /** importance - performance; positive: it matters more than we deliver. */
  gap: number | null;
  /** Null unless both importance and performance are known. */
  quadrant: Quadrant | null;
  /** Observations behind the performance: survey answers, or teams. */
  n: number;
  evidence: GapEvidence;
}

export interface GapAnalysis {
  /** Largest gap first; interactions without one last, in catalogue order. */
  interactions: Gap[];
  /** The means the quadrants are split at; null with fewer than two interactions having both. */
  means: { importance: number; performance: number } | null;
  /** The overall question derived importance was measured against. */
  overall: InteractionQuestion | null;
}

export interface GapInput {
  catalogue: InteractionCatalogue;
  /** Answers to the catalogue's question steps (other steps are ignored). */
  answers: readonly ScoredAnswer[];
  /** Every team's audit entries. */
  audits: readonly AuditScore[];
  /** Which importance to use when both are known; default `asked` (what the business says it values). */
  prefer?: 'asked' | 'derived';
  minPairs?: number;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** Each customer's mean 1-5 score over the given question steps. */
function perCustomer(answers: readonly ScoredAnswer[], steps: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const a of answers) {
    if (!steps.has(a.step)) continue;
    let list = out.get(a.customerId);
    if (list === undefined) out.set(a.customerId, (list = []));
    list.push(toFivePoint(a.survey, a.score));
  }
  return out;
}

function derive(
  own: Map<string, number[]>,
  overall: Map<string, number[]>,
  minPairs: number,
): GapEvidence['derived'] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [customer, scores] of own) {
    const theirs = overall.get(customer);
    if (theirs === undefined) continue;
    xs.push(mean(scores));
    ys.push(mean(theirs));
  }
  if (xs.length < minPairs) return null;
  // No variation on either side: no correlation to speak of.
  if (new Set(xs).size < 2 || new Set(ys).size < 2) return null;
  const r = sampleCorrelation(xs, ys);
  if (!Number.isFinite(r)) return null;
  return { value: round(correlationToImportance(r)), r: round(r), pairs: xs.length };
}

export function analyseGaps(input: GapInput): GapAnalysis {
  const { catalogue } = input;
  const prefer = input.prefer ?? 'asked';
  const minPairs = input.minPairs ?? MIN_DERIVED_PAIRS;
  const overallSteps = new Set(catalogue.overall ? [catalogue.overall.step] : []);
  const overall = perCustomer(input.answers, overallSteps);

  const rows = catalogue.interactions.map((interaction): Gap => {
    const steps = new Set(interaction.questions.map((q) => q.step));
    const own = perCustomer(input.answers, steps);
    const scores = [...own.values()].flat();
    const audits = input.audits.filter((a) => a.interaction === interaction.id);
    const evidence: GapEvidence = {
      asked:
        audits.length > 0
          ? { value: round(mean(audits.map((a) => a.importance))), teams: audits.length }
          : null,
      // An interaction measured by the overall question itself would correlate with itself.
      derived:
        catalogue.overall !== null && !steps.has(catalogue.overall.step)
          ? derive(own, overall, minPairs)
          : null,
      survey:
        scores.length > 0
          ? { value: round(mean(scores)), answers: scores.length, customers: own.size }
          : null,
      audit:
        audits.length > 0
          ? { value: round(mean(audits.map((a) => a.performance))), teams: audits.length }
          : null,
    };
    const asked = evidence.asked ? { value: evidence.asked.value, source: 'asked' as const } : null;
    const derived = evidence.derived ? { value: evidence.derived.value, source: 'derived' as const } : null;
    const importance = prefer === 'asked' ? (asked ?? derived) : (derived ?? asked);
    const performance = evidence.survey
      ? { value: evidence.survey.value, source: 'survey' as const }
      : evidence.audit
        ? { value: evidence.audit.value, source: 'audit' as const }
        : null;
    return {
      interaction: interaction.id,
      name: interaction.name,
      importance,
      performance,
      gap: importance && performance ? round(importance.value - performance.value) : null,
      quadrant: null,
      n: evidence.survey?.answers ?? evidence.audit?.teams ?? 0,
      evidence,
    };
  });

  const complete = rows.filter((g) => g.importance !== null && g.performance !== null);
  const means =
    complete.length >= 2
      ? {
          importance: round(mean(complete.map((g) => g.importance!.value))),
          performance: round(mean(complete.map((g) => g.performance!.value))),
        }
      : null;
  if (means !== null) {
    for (const g of complete) g.quadrant = quadrantOf(g.importance!.value, g.performance!.value, means);
  }
  const order = new Map(catalogue.interactions.map((i, k) => [i.id, k]));
  rows.sort((a, b) => {
    if (a.gap !== null && b.gap !== null && a.gap !== b.gap) return b.gap - a.gap;
    if ((a.gap === null) !== (b.gap === null)) return a.gap === null ? 1 : -1;
    return order.get(a.interaction)! - order.get(b.interaction)!;
  });
  return { interactions: rows, means, overall: catalogue.overall };
}

/** At or above the mean counts as high: an interaction exactly on it is not played down. */
export function quadrantOf(
  importance: number,
  performance: number,
  means: { importance: number; performance: number },
): Quadrant {
  const important = importance >= means.importance;
  const good = performance >= means.performance;
  if (important) return good ? 'keep_up_the_good_work' : 'concentrate_here';
  return good ? 'possible_overkill' : 'low_priority';
}
