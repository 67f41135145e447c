// How big a difference the current sizes can see, and how many more customers it takes to see
// a given one: 80% power, 5% two-sided, normal approximation (the usual planning formulas).
import { zCritical, zQuantile } from './quantiles.js';

export const ALPHA = 0.05;
export const POWER = 0.8;

/** z(1 - alpha/2) + z(power): 1.959964 + 0.841621 = 2.801585 at the defaults. */
export function powerMultiplier(alpha = ALPHA, power = POWER): number {
  return zCritical(1 - alpha) + zQuantile(power);
}

/**
 * Minimum detectable absolute difference between groups of n1 and n2 whose values have
 * per-customer variance `variance`: (z_a + z_b) * sqrt(variance * (1/n1 + 1/n2)). Null when a
 * group is empty or nothing varies (a variance of 0 from zero events says nothing yet).
 */
export function minimumDetectableEffect(variance: number | null, n1: number, n2: number): number | null {
  if (variance === null || !(variance > 0) || !(n1 > 0) || !(n2 > 0)) return null;
  return powerMultiplier() * Math.sqrt(variance * (1 / n1 + 1 / n2));
}

/**
 * Customers per group (equal groups) to detect p1 against p2 (Fleiss, without continuity
 * correction; what R's power.prop.test solves for):
 * n = (z_a * sqrt(2 * pbar * (1 - pbar)) + z_b * sqrt(p1(1-p1) + p2(1-p2)))^2 / (p1 - p2)^2.
 */
export function proportionSampleSize(p1: number, p2: number, alpha = ALPHA, power = POWER): number | null {
  if (!(p1 >= 0 && p1 <= 1 && p2 >= 0 && p2 <= 1) || p1 === p2) return null;
  const pbar = (p1 + p2) / 2;
  const root =
    zCritical(1 - alpha) * Math.sqrt(2 * pbar * (1 - pbar)) +
    zQuantile(power) * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  return (root * root) / ((p1 - p2) * (p1 - p2));
}

/** Customers per group (equal groups) to detect `effect` when values have per-customer variance `variance`. */
export function meanSampleSize(
  variance: number,
  effect: number,
  alpha = ALPHA,
  power = POWER,
): number | null {
  if (!(variance > 0) || !(effect !== 0) || !Number.isFinite(effect)) return null;
  const m = powerMultiplier(alpha, power);
  return (2 * variance * m * m) / (effect * effect);
}

/**
 * How many more customers each group needs (both growing by the same m) so that the standard
 * error equals what `perGroup` equal groups would have: 1/(n1 + m) + 1/(n2 + m) = 2/perGroup.
 * 0 when the groups are already large enough. Equal groups of n need perGroup - n more.
 */
export function morePerGroup(perGroup: number, n1: number, n2: number): number {
  const c = 2 / perGroup;
  if (1 / Math.max(n1, 1e-12) + 1 / Math.max(n2, 1e-12) <= c) return 0;
  // c m^2 + (c (n1 + n2) - 2) m + c n1 n2 - (n1 + n2) = 0, the larger root.
  const b = c * (n1 + n2) - 2;
  const k = c * n1 * n2 - (n1 + n2);
  const m = (-b + Math.sqrt(b * b - 4 * c * k)) / (2 * c);
  return Math.max(0, Math.ceil(m - 1e-9));
}
