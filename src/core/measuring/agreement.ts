// How far two teams' audits agree: Krippendorff's alpha with the ordinal metric (1-5 scores are
// ordered categories, not measurements), once for importance and once for performance, over the
// interactions both teams scored; and the interactions where they disagree most. The coefficient
// comes from the `krippendorff` package; the ordinal distance it is given is Krippendorff's
// (2011, "Computing Krippendorff's Alpha-Reliability"), tested against his published examples.
import { alpha } from 'krippendorff';
import type { AuditScore } from './audit.js';

export type AgreementMetric = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's alpha for raters (rows) by units (columns), `undefined` where a rater gave no
 * value. Null when it is undefined: fewer than two pairable values, or no variation at all (every
 * value the same, so no disagreement could be expected).
 */
export function krippendorffAlpha(matrix: (number | undefined)[][], metric: AgreementMetric): number | null {
  const units = Math.max(0, ...matrix.map((r) => r.length));
  // Only values in units at least two raters scored are pairable; the ordinal metric counts them.
  const counts = new Map<number, number>();
  let pairable = 0;
  for (let u = 0; u < units; u++) {
    const values = matrix.map((r) => r[u]).filter((v): v is number => v !== undefined);
    if (values.length < 2) continue;
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    pairable += values.length;
  }
  if (pairable < 2 || counts.size < 2) return null;
  // The library reads a row's length as the number of units: make every row as long.
  const rows = matrix.map((r) => Array.from({ length: units }, (_, u) => r[u]));
  const value = alpha(rows, distance(metric, counts));
  return Number.isFinite(value) ? value : null;
}

/** Krippendorff's squared difference functions δ²(c, k). */
function distance(
  metric: AgreementMetric,
  counts: ReadonlyMap<number, number>,
): (c: number, k: number) => number {
  if (metric === 'nominal') return (c, k) => (c === k ? 0 : 1);
  if (metric === 'interval') return (c, k) => (c - k) ** 2;
  const categories = [...counts.keys()].sort((a, b) => a - b);
  return (c, k) => {
    const [low, high] = c <= k ? [c, k] : [k, c];
    let between = 0;
    for (const g of categories) if (g >= low && g <= high) between += counts.get(g) ?? 0;
    return (between - ((counts.get(c) ?? 0) + (counts.get(k) ?? 0)) / 2) ** 2;
  };
}

/** Krippendorff's own reading: at least 0.800 to rely on, 0.667 for tentative conclusions. */
export function agreementVerdict(value: number | null): string {
  if (value === null) return 'cannot be computed (too few interactions scored by both, or no variation)';
  if (value >= 0.8) return 'the teams agree';
  if (value >= 0.667) return 'the teams agree tentatively';
  if (value > 0) return 'the teams disagree more than they agree';
  return 'no agreement beyond chance';
}

export interface TeamScores {
  importance: number;
  performance: number;
  note: string | null;
}

export interface Disagreement {
  interaction: string;
  a: TeamScores;
  b: TeamScores;
  /** b - a. */
  importanceDifference: number;
  performanceDifference: number;
  /** |importance difference| + |performance difference|: the list is sorted by it, largest first. */
  distance: number;
}

export interface TeamComparison {
  teams: [string, string];
  /** Interactions both teams scored. */
  compared: number;
  method: 'krippendorff-alpha-ordinal';
  alpha: { importance: number | null; performance: number | null };
  verdict: { importance: string; performance: string };
  /** Every interaction both scored, largest disagreement first (ties by interaction id). */
  disagreements: Disagreement[];
  /** Interactions only one team scored. */
  onlyA: string[];
  onlyB: string[];
}

export function compareAudits(
  teamA: string,
  a: readonly AuditScore[],
  teamB: string,
  b: readonly AuditScore[],
): TeamComparison {
  const byB = new Map(b.map((s) => [s.interaction, s]));
  const byA = new Map(a.map((s) => [s.interaction, s]));
  const both = [...byA.keys()].filter((id) => byB.has(id)).sort();
  const scores = (s: AuditScore): TeamScores => ({
    importance: s.importance,
    performance: s.performance,
    note: s.note,
  });
  const disagreements = both
    .map((interaction): Disagreement => {
      const x = byA.get(interaction)!;
      const y = byB.get(interaction)!;
      const importanceDifference = y.importance - x.importance;
      const performanceDifference = y.performance - x.performance;
      return {
        interaction,
        a: scores(x),
        b: scores(y),
        importanceDifference,
        performanceDifference,
        distance: Math.abs(importanceDifference) + Math.abs(performanceDifference),
      };
    })
    .sort((p, q) => q.distance - p.distance || (p.interaction < q.interaction ? -1 : 1));
  const matrix = (key: 'importance' | 'performance'): number[][] => [
    both.map((id) => byA.get(id)![key]),
    both.map((id) => byB.get(id)![key]),
  ];
  const importance = krippendorffAlpha(matrix('importance'), 'ordinal');
  const performance = krippendorffAlpha(matrix('performance'), 'ordinal');
  return {
    teams: [teamA, teamB],
    compared: both.length,
    method: 'krippendorff-alpha-ordinal',
    alpha: { importance, performance },
    verdict: { importance: agreementVerdict(importance), performance: agreementVerdict(performance) },
    disagreements,
    onlyA: [...byA.keys()].filter((id) => !byB.has(id)).sort(),
    onlyB: [...byB.keys()].filter((id) => !byA.has(id)).sort(),
  };
}
