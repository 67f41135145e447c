// Distribution quantiles come from stdlib (@stdlib/stats-base-dists-*-quantile, Apache-2.0), a
// maintained numerical library, so no home-made inverse CDF decides an interval.
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** The two-sided critical value of the standard normal: 1.959964 for level 0.95. */
export function zCritical(level = 0.95): number {
  checkLevel(level);
  return normalQuantile(1 - (1 - level) / 2, 0, 1);
}

/** The standard normal quantile at probability `p` (e.g. 0.8 -> 0.841621, for 80% power). */
export function zQuantile(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** The two-sided critical value of Student's t with `df` degrees of freedom (df may be fractional). */
export function tCritical(df: number, level = 0.95): number {
  checkLevel(level);
  if (!(df > 0) || !Number.isFinite(df)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
  return tQuantile(1 - (1 - level) / 2, df);
}

function checkLevel(level: number): void {
  if (!(level > 0 && level < 1))
    throw new RangeError(`confidence level must be between 0 and 1, got ${level}`);
}
