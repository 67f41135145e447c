// What the statistics read: the sufficient counts of one group, so the store's additive cells
// can be summed into them without keeping individual answers.

/** `events` customers out of `n` (a return, a cancellation, a repeat purchase). */
export interface RateSample {
  events: number;
  n: number;
}

/** Scores on a scale (CSAT 1-5) as their count, sum and sum of squares. */
export interface MeanSample {
  n: number;
  sum: number;
  sumSquares: number;
}

/** NPS answers by category: 9-10 promoters, 7-8 passives, 0-6 detractors. */
export interface NpsSample {
  promoters: number;
  passives: number;
  detractors: number;
}

/** Counts must be finite and non-negative; anything else is a bug upstream, not data. */
export function checkCount(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a finite count >= 0, got ${value}`);
}
