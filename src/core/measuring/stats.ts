// The program's effect on each metric, treatment against holdout: the difference, a 95% interval
// from a method fit for the metric, the smallest effect the sizes can detect, the customers still
// needed, and a verdict in words. Pure: the report sums the store's cells into samples and calls these.
import type { Lift } from './lift.js';
import { checkCount, type MeanSample, type NpsSample, type RateSample } from './samples.js';
import {
  meanAndVariance,
  newcombeInterval,
  npsCount,
  npsDifferenceInterval,
  npsScore,
  welchInterval,
} from './intervals.js';
import { meanSampleSize, minimumDetectableEffect, morePerGroup, proportionSampleSize } from './power.js';
import { verdict } from './verdict.js';

export type { MeanSample, NpsSample, RateSample } from './samples.js';
export { meanInterval, npsInterval, npsScore, wilsonInterval } from './intervals.js';

export type RateMetric = 'return_rate' | 'repeat_purchase_rate' | 'cancel_rate';

export interface LiftOptions {
  /** The change worth seeing, in the metric's unit: 0.02 (2 points) for rates, 0.2 for CSAT, 5 for NPS. */
  targetEffect?: number;
}

export const DEFAULT_TARGET_EFFECT = { rate: 0.02, csat: 0.2, nps: 5 } as const;

/** Difference of two proportions with Newcombe's hybrid score interval (method 10). */
export function rateLift(
  metric: RateMetric,
  treatment: RateSample,
  holdout: RateSample,
  options: LiftOptions = {},
): Lift {
  const better = metric === 'repeat_purchase_rate' ? 'higher' : 'lower';
  const target = targetOf(options, DEFAULT_TARGET_EFFECT.rate);
  checkRate(treatment, 'treatment');
  checkRate(holdout, 'holdout');
  const pt = treatment.n > 0 ? treatment.events / treatment.n : null;
  const ph = holdout.n > 0 ? holdout.events / holdout.n : null;
  const difference = pt !== null && ph !== null ? pt - ph : null;
  const ci = newcombeInterval(treatment, holdout);
  const total = treatment.n + holdout.n;
  const pooled = total > 0 ? (treatment.events + holdout.events) / total : null;
  const mde = minimumDetectableEffect(pooled === null ? null : pooled * (1 - pooled), treatment.n, holdout.n);
  let needed: number | null = null;
  if (ph !== null && !excludesZero(ci)) {
    // The program's rate if it moved the holdout's by the target in the good direction (or the
    // other one when that would leave [0, 1]).
    const toward = better === 'lower' ? ph - target : ph + target;
    const p1 = toward >= 0 && toward <= 1 ? toward : better === 'lower' ? ph + target : ph - target;
    const perGroup = proportionSampleSize(ph, p1);
    needed = perGroup === null ? null : morePerGroup(perGroup, treatment.n, holdout.n);
  }
  return finish({
    metric,
    better,
    method: 'newcombe-wilson',
    target,
    pt,
    ph,
    difference,
    ci,
    mde,
    needed,
    treatment,
    holdout,
  });
}

/** Difference of mean scores with Welch's t interval (Satterthwaite degrees of freedom). */
export function meanLift(
  metric: 'csat',
  treatment: MeanSample,
  holdout: MeanSample,
  options: LiftOptions = {},
): Lift {
  const target = targetOf(options, DEFAULT_TARGET_EFFECT.csat);
  const t = meanAndVariance(treatment);
  const h = meanAndVariance(holdout);
  const difference = t.mean !== null && h.mean !== null ? t.mean - h.mean : null;
  const ci = welchInterval(treatment, holdout)?.interval ?? null;
  const variance = pooledVariance([
    [treatment.n, t.variance],
    [holdout.n, h.variance],
  ]);
  const mde = minimumDetectableEffect(variance, treatment.n, holdout.n);
  const needed = neededForMean(variance, target, ci, treatment.n, holdout.n);
  return finish({
    metric,
    better: 'higher',
    method: 'welch-t',
    target,
    pt: t.mean,
    ph: h.mean,
    difference,
    ci,
    mde,
    needed,
    treatment,
    holdout,
  });
}

/** Difference of NPS (independent groups) with Rocks' adjusted-Wald variance for each group. */
export function npsLift(treatment: NpsSample, holdout: NpsSample, options: LiftOptions = {}): Lift {
  const target = targetOf(options, DEFAULT_TARGET_EFFECT.nps);
  const nt = npsCount(treatment);
  const nh = npsCount(holdout);
  const pt = npsScore(treatment);
  const ph = npsScore(holdout);
  const difference = pt !== null && ph !== null ? pt - ph : null;
  const ci = npsDifferenceInterval(treatment, holdout);
  // Per-respondent variance of the +100/0/-100 scores in both groups together.
  let variance: number | null = null;
  if (nt + nh > 0) {
    const promoters = (treatment.promoters + holdout.promoters) / (nt + nh);
    const detractors = (treatment.detractors + holdout.detractors) / (nt + nh);
    variance = 10_000 * (promoters + detractors - (promoters - detractors) ** 2);
  }
  const mde = minimumDetectableEffect(variance, nt, nh);
  const needed = neededForMean(variance, target, ci, nt, nh);
  return finish({
    metric: 'nps',
    better: 'higher',
    method: 'nps-adjusted-wald',
    target,
    pt,
    ph,
    difference,
    ci,
    mde,
    needed,
    treatment: { n: nt },
    holdout: { n: nh },
  });
}

function neededForMean(
  variance: number | null,
  target: number,
  ci: [number, number] | null,
  n1: number,
  n2: number,
): number | null {
  if (variance === null || excludesZero(ci) || n2 === 0) return null;
  const perGroup = meanSampleSize(variance, target);
  return perGroup === null ? null : morePerGroup(perGroup, n1, n2);
}

/** Pooled within-group variance of the groups that have one; null when none has. */
function pooledVariance(groups: Array<[number, number | null]>): number | null {
  let weighted = 0;
  let df = 0;
  for (const [n, variance] of groups) {
    if (variance === null) continue;
    weighted += (n - 1) * variance;
    df += n - 1;
  }
  return df > 0 ? weighted / df : null;
}

/** A target is a size of change: positive and finite, or the sentence built on it means nothing. */
function targetOf(options: LiftOptions, fallback: number): number {
  const target = options.targetEffect ?? fallback;
  if (!(target > 0) || !Number.isFinite(target))
    throw new RangeError(`targetEffect must be a positive number, got ${target}`);
  return target;
}

function checkRate(sample: RateSample, group: string): void {
  checkCount(sample.events, `${group}.events`);
  checkCount(sample.n, `${group}.n`);
  if (sample.events > sample.n)
    throw new RangeError(`${group}.events (${sample.events}) cannot exceed ${group}.n (${sample.n})`);
}

function excludesZero(ci: [number, number] | null): boolean {
  return ci !== null && (ci[0] > 0 || ci[1] < 0);
}

function finish(parts: {
  metric: Lift['metric'];
  better: Lift['better'];
  method: string;
  target: number;
  pt: number | null;
  ph: number | null;
  difference: number | null;
  ci: [number, number] | null;
  mde: number | null;
  needed: number | null;
  treatment: { n: number };
  holdout: { n: number };
}): Lift {
  return {
    metric: parts.metric,
    better: parts.better,
    treatment: { n: parts.treatment.n, value: parts.pt },
    holdout: { n: parts.holdout.n, value: parts.ph },
    difference: parts.difference,
    ci95: parts.ci,
    method: parts.method,
    mde: parts.mde,
    neededPerGroup: parts.needed,
    verdict: verdict({
      metric: parts.metric,
      treatmentN: parts.treatment.n,
      holdoutN: parts.holdout.n,
      difference: parts.difference,
      ci: parts.ci,
      neededPerGroup: parts.needed,
      targetEffect: parts.target,
    }),
  };
}
