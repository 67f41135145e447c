// Business days and hours: calls and meetings happen when the business is open in the
// customer's zone; letters and gifts are handled on business days where the business is.
import type { Millis } from '../domain.js';
import { atLocalTime, localParts } from '../localTime.js';
import type { PolicyConfig } from './types.js';

type BusinessHours = PolicyConfig['businessHours'];

/** The ISO weekday `days` after one that is `weekday`. */
function weekdayAfter(weekday: number, days: number): number {
  return ((weekday - 1 + days) % 7) + 1;
}

/** No open day, or an opening at or after the closing, means the rule is off (always open). */
function isRuleOff(hours: BusinessHours): boolean {
  const start = hours.start.hour * 60 + hours.start.minute;
  const end = hours.end.hour * 60 + hours.end.minute;
  return start >= end || !hours.days.some((day) => day >= 1 && day <= 7);
}

/**
 * The next opening after `at` in `zone`, or null if the business is open at `at`. Opening
 * times are local: one skipped by DST moves forward by the gap.
 */
export function nextOpening(at: Millis, zone: string, hours: BusinessHours): Millis | null {
  if (isRuleOff(hours)) return null;
  const local = localParts(at, zone);
  const minute = local.hour * 60 + local.minute;
  if (
    hours.days.includes(local.weekday) &&
    minute >= hours.start.hour * 60 + hours.start.minute &&
    minute < hours.end.hour * 60 + hours.end.minute
  ) {
    return null;
  }
  // A week later the same weekday comes round again, so 8 days always find an opening.
  for (let days = 0; days <= 7; days++) {
    if (!hours.days.includes(weekdayAfter(local.weekday, days))) continue;
    const opening = atLocalTime(at, zone, days, hours.start);
    if (opening > at) return opening;
  }
  return null; // unreachable while the rule is on
}

/**
 * For work that needs a business day but no particular hour (letters, gifts): null on a
 * business day, else the opening of the next one.
 */
export function nextBusinessDay(at: Millis, zone: string, hours: BusinessHours): Millis | null {
  if (isRuleOff(hours)) return null;
  const weekday = localParts(at, zone).weekday;
  if (hours.days.includes(weekday)) return null;
  for (let days = 1; days <= 7; days++) {
    if (hours.days.includes(weekdayAfter(weekday, days))) return atLocalTime(at, zone, days, hours.start);
  }
  return null; // unreachable while the rule is on
}
