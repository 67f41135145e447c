// Confidence intervals for one group and for the difference of two independent groups, one
// method per kind of metric: Wilson and Newcombe for rates, Student and Welch t for means, the
// adjusted Wald for NPS. Every function answers null rather than NaN when the data cannot say.
import { checkCount, type MeanSample, type NpsSample } from './samples.js';
import { tCritical, zCritical } from './quantiles.js';

export type Interval = [number, number];

/**
 * Wilson score interval for `events` out of `n` (Wilson 1927; Newcombe 1998a, method 3): stays
 * inside [0, 1] and keeps its coverage near 0 and 1, where the Wald interval collapses to a point.
 */
export function wilsonInterval(events: number, n: number, level = 0.95): Interval | null {
  checkCount(events, 'events');
  checkCount(n, 'n');
  if (events > n) throw new RangeError(`events (${events}) cannot exceed n (${n})`);
  if (n === 0) return null;
  const z = zCritical(level);
  const p = events / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  // Exact ends at 0 and n: the formula gives them up to rounding, the reader expects 0 and 1.
  return [events === 0 ? 0 : Math.max(0, centre - half), events === n ? 1 : Math.min(1, centre + half)];
}

/**
 * Newcombe's hybrid score interval for p1 - p2 (Newcombe 1998b, method 10), built from the two
 * Wilson intervals: good coverage at small sizes and rare events, never outside [-1, 1].
 */
export function newcombeInterval(
  a: { events: number; n: number },
  b: { events: number; n: number },
  level = 0.95,
): Interval | null {
  const wa = wilsonInterval(a.events, a.n, level);
  const wb = wilsonInterval(b.events, b.n, level);
  if (!wa || !wb) return null;
  const p1 = a.events / a.n;
  const p2 = b.events / b.n;
  const d = p1 - p2;
  const low = d - Math.sqrt((p1 - wa[0]) ** 2 + (wb[1] - p2) ** 2);
  const high = d + Math.sqrt((wa[1] - p1) ** 2 + (p2 - wb[0]) ** 2);
  return [Math.max(-1, low), Math.min(1, high)];
}

/** Mean and unbiased variance of a summed sample; variance null below two values. */
export function meanAndVariance(sample: MeanSample): { mean: number | null; variance: number | null } {
  checkCount(sample.n, 'n');
  if (!Number.isFinite(sample.sum) || !Number.isFinite(sample.sumSquares))
    throw new RangeError('sum and sumSquares must be finite');
  if (sample.n === 0) return { mean: null, variance: null };
  const mean = sample.sum / sample.n;
  if (sample.n < 2) return { mean, variance: null };
  // sumSquares - sum^2/n loses digits when the spread is tiny against the mean; clamp the
  // rounding below zero away (a constant sample has variance 0, not -1e-16).
  const variance = Math.max(0, (sample.sumSquares - (sample.sum * sample.sum) / sample.n) / (sample.n - 1));
  return { mean, variance: variance < 1e-12 * Math.max(1, mean * mean) ? 0 : variance };
}

/**
 * Student t interval for one mean. Null below two values or when every value is the same: a
 * zero-width interval from three identical answers would claim a certainty the data lack.
 */
export function meanInterval(sample: MeanSample, level = 0.95): Interval | null {
  const { mean, variance } = meanAndVariance(sample);
  if (mean === null || variance === null || variance === 0) return null;
  const half = tCritical(sample.n - 1, level) * Math.sqrt(variance / sample.n);
  return [mean - half, mean + half];
}

/** Welch's interval for mean(a) - mean(b) with Satterthwaite's degrees of freedom (R: t.test(a, b)). */
export function welchInterval(
  a: MeanSample,
  b: MeanSample,
  level = 0.95,
): { interval: Interval; df: number } | null {
  const ma = meanAndVariance(a);
  const mb = meanAndVariance(b);
  if (ma.mean === null || mb.mean === null || ma.variance === null || mb.variance === null) return null;
  const va = ma.variance / a.n;
  const vb = mb.variance / b.n;
  const se2 = va + vb;
  if (se2 === 0) return null;
  const df = (se2 * se2) / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const d = ma.mean - mb.mean;
  const half = tCritical(df, level) * Math.sqrt(se2);
  return { interval: [d - half, d + half], df };
}

/** NPS from -100 to 100; null without answers. */
export function npsScore(sample: NpsSample): number | null {
  const n = npsCount(sample);
  return n === 0 ? null : (100 * (sample.promoters - sample.detractors)) / n;
}

/**
 * Each respondent scores +1 (promoter), 0 (passive) or -1 (detractor); the NPS is their mean
 * (times 100). Their variance is p+ + p- - (p+ - p-)^2. Rocks (2016) adds 3/4 of an answer to
 * promoters and to detractors (3/2 to passives, n + 3) before taking the Wald interval: the
 * "adjusted Wald", whose coverage holds at small n and at extreme mixes where the plain Wald
 * interval shrinks to a point. Returned on the -100..100 scale.
 */
export function npsAdjusted(sample: NpsSample): { score: number; variance: number; n: number } {
  const n = npsCount(sample) + 3;
  const promoters = (sample.promoters + 0.75) / n;
  const detractors = (sample.detractors + 0.75) / n;
  const score = promoters - detractors;
  return { score, variance: promoters + detractors - score * score, n };
}

/** Adjusted-Wald interval for the NPS (Rocks 2016), on -100..100; null without answers. */
export function npsInterval(sample: NpsSample, level = 0.95): Interval | null {
  if (npsCount(sample) === 0) return null;
  const { score, variance, n } = npsAdjusted(sample);
  const half = zCritical(level) * Math.sqrt(variance / n);
  return [100 * Math.max(-1, score - half), 100 * Math.min(1, score + half)];
}

/**
 * NPS(a) - NPS(b) for independent groups: the adjusted Wald of each group (Rocks 2016, as
 * MeasuringU applies it to two groups), variances added. On -200..200; null if a group is empty.
 */
export function npsDifferenceInterval(a: NpsSample, b: NpsSample, level = 0.95): Interval | null {
  if (npsCount(a) === 0 || npsCount(b) === 0) return null;
  const ja = npsAdjusted(a);
  const jb = npsAdjusted(b);
  const d = ja.score - jb.score;
  const half = zCritical(level) * Math.sqrt(ja.variance / ja.n + jb.variance / jb.n);
  return [100 * Math.max(-2, d - half), 100 * Math.min(2, d + half)];
}

export function npsCount(sample: NpsSample): number {
  checkCount(sample.promoters, 'promoters');
  checkCount(sample.passives, 'passives');
  checkCount(sample.detractors, 'detractors');
  return sample.promoters + sample.passives + sample.detractors;
}
