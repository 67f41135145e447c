// Importance-performance analysis over the interaction catalogue. Performance is how well an
// interaction goes: the mean of its survey answers on a 1-5 scale, or, without answers, the
// teams' audited performance. Importance is how much it matters: asked (the teams' audited
// importance) or derived (how strongly the scores on it move with the overall score given about
// the same order: a Pearson correlation over pairs of answers). Quadrants split at the means; the
// gap is importance - performance on the same 1-5 scale, largest first. Everything is read from
// the report's additive cells (answer and pair cells: core/measuring/cells.ts), so the analysis
// costs the same on any history. docs/gaps.md explains each number.
import type { Survey } from '../domain.js';
import type { AuditScore } from './audit.js';
import type { AnswerCell, PairCell } from './cells.js';
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

/** How many answers to a step gave a score (answer cells of any key). */
export type ScoreCount = Pick<AnswerCell, 'step' | 'survey' | 'score' | 'count'>;

/** Pairs of answers about the same order to two steps, by their scores (pair cells of any day). */
export type ScorePair = Omit<PairCell, 'playbook' | 'cohort'>;

/** Fewer pairs of answers than this and no importance is derived (a correlation of a handful means nothing). */
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
  /**
   * Pearson r between the score on it and the overall score given about the same order, over
   * `pairs` pairs of such answers, and the importance r maps to.
   */
  derived: { value: number; r: number; pairs: number } | null;
  /** Mean of its survey answers on the 1-5 scale. */
  survey: { value: number; answers: number } | null;
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
  /** The catalogue playbook's answers by step and score (other steps are ignored). */
  answers: readonly ScoreCount[];
  /** The catalogue playbook's pairs of answers about the same order. */
  pairs: readonly ScorePair[];
  /** Every team's audit entries. */
  audits: readonly AuditScore[];
  /** Which importance to use when both are known; default `asked` (what the business says it values). */
  prefer?: 'asked' | 'derived';
  minPairs?: number;
}

const mean = (values: readonly number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

/** Answers to the given steps on the 1-5 scale: how many, and their mean. */
function performanceOf(
  answers: readonly ScoreCount[],
  steps: ReadonlySet<string>,
): { value: number; answers: number } | null {
  let n = 0;
  let sum = 0;
  for (const a of answers) {
    if (a.step === null || !steps.has(a.step)) continue;
    n += a.count;
    sum += a.count * toFivePoint(a.survey, a.score);
  }
  return n > 0 ? { value: round(sum / n), answers: n } : null;
}

/**
 * The correlation between the scores on `steps` and on the overall step, over every pair of
 * answers about the same order, on the 1-5 scale. Two passes over the distinct (x, y) values:
 * there are at most a few hundred of them, however many answers there are.
 */
function derive(
  pairs: readonly ScorePair[],
  steps: ReadonlySet<string>,
  overall: string,
  minPairs: number,
): GapEvidence['derived'] {
  const weights = new Map<string, { x: number; y: number; w: number }>();
  const add = (x: number, y: number, w: number): void => {
    const id = `${x} ${y}`;
    const found = weights.get(id);
    if (found === undefined) weights.set(id, { x, y, w });
    else found.w += w;
  };
  for (const p of pairs) {
    if (steps.has(p.step) && p.otherStep === overall) {
      add(toFivePoint(p.survey, p.score), toFivePoint(p.otherSurvey, p.otherScore), p.count);
    } else if (steps.has(p.otherStep) && p.step === overall) {
      add(toFivePoint(p.otherSurvey, p.otherScore), toFivePoint(p.survey, p.score), p.count);
    }
  }
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (const { x, y, w } of weights.values()) {
    n += w;
    sx += w * x;
    sy += w * y;
  }
  if (n < minPairs) return null;
  const mx = sx / n;
  const my = sy / n;
  let cxy = 0;
  let cxx = 0;
  let cyy = 0;
  for (const { x, y, w } of weights.values()) {
    cxy += w * (x - mx) * (y - my);
    cxx += w * (x - mx) ** 2;
    cyy += w * (y - my) ** 2;
  }
  // No variation on either side: no correlation to speak of.
  if (cxx === 0 || cyy === 0) return null;
  const r = Math.max(-1, Math.min(1, cxy / Math.sqrt(cxx * cyy)));
  return { value: round(correlationToImportance(r)), r: round(r), pairs: n };
}

export function analyseGaps(input: GapInput): GapAnalysis {
  const { catalogue } = input;
  const prefer = input.prefer ?? 'asked';
  const minPairs = input.minPairs ?? MIN_DERIVED_PAIRS;
  const overallStep = catalogue.overall?.step ?? null;

  const rows = catalogue.interactions.map((interaction): Gap => {
    const steps = new Set(interaction.questions.map((q) => q.step));
    const survey = performanceOf(input.answers, steps);
    const audits = input.audits.filter((a) => a.interaction === interaction.id);
    const evidence: GapEvidence = {
      asked:
        audits.length > 0
          ? { value: round(mean(audits.map((a) => a.importance))), teams: audits.length }
          : null,
      // An interaction measured by the overall question itself would correlate with itself.
      derived:
        overallStep !== null && !steps.has(overallStep)
          ? derive(input.pairs, steps, overallStep, minPairs)
          : null,
      survey,
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
