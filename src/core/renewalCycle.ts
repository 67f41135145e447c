// Renewal cycles: a subscription renews again and again, and each renewal gets its own touch
// points of the steps timed from `renewal`. The first cycle keeps the plain step key (ids of
// touch points planned before cycles existed stay the same); later ones carry the cycle number.
import type { Millis, RenewalPeriod } from './domain.js';

/** Not in a step key (`[a-z0-9-]+`) nor in a touch point id's separators (`:`). */
const SEPARATOR = '.';

const MONTHS: Record<RenewalPeriod, number> = { monthly: 1, quarterly: 3, annual: 12 };

/** The touch point's step key for `step` in renewal cycle `cycle` (1 = the first renewal). */
export function cycleStepKey(step: string, cycle: number): string {
  return cycle <= 1 ? step : `${step}${SEPARATOR}${cycle}`;
}

/** The playbook step a touch point's step key stands for (`renewal-notice.3` -> `renewal-notice`). */
export function baseStepKey(stepKey: string): string {
  const at = stepKey.indexOf(SEPARATOR);
  return at < 0 ? stepKey : stepKey.slice(0, at);
}

/** The renewal cycle a touch point's step key belongs to (1 for a plain key). */
export function cycleOfStepKey(stepKey: string): number {
  const at = stepKey.indexOf(SEPARATOR);
  if (at < 0) return 1;
  const cycle = Number(stepKey.slice(at + 1));
  return Number.isInteger(cycle) && cycle > 1 ? cycle : 1;
}

/**
 * The renewal one period after `at`: the same UTC wall time `months` later, the day clamped to
 * the month's end (Jan 31 + 1 month = Feb 28/29), as billing systems count.
 */
export function nextRenewalAfter(at: Millis, period: RenewalPeriod): Millis {
  const d = new Date(at);
  const monthIndex = d.getUTCMonth() + MONTHS[period];
  const year = d.getUTCFullYear() + Math.floor(monthIndex / 12);
  const month = monthIndex % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(
    year,
    month,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}
