// Quiet hours: no e-mail or SMS reaches a customer at night in their own zone. A message due
// in quiet hours waits for their end, computed in local time (DST-aware).
import type { Millis } from '../domain.js';
import { atLocalTime, localParts } from '../localTime.js';
import type { LocalTimeOfDay } from '../playbook/types.js';
import type { PolicyConfig } from './types.js';

function minutesOf(time: LocalTimeOfDay): number {
  return time.hour * 60 + time.minute;
}

/**
 * Whether a local minute of the day is quiet. `start > end` spans midnight (20:00-09:00);
 * `start === end` means no quiet hours at all.
 */
export function isQuietMinute(minuteOfDay: number, quiet: PolicyConfig['quietHours']): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

/**
 * When the quiet hours around `at` end (the next local `end` time after `at`), or null if `at`
 * is not quiet. An end time skipped by DST moves forward by the gap, like every local time.
 */
export function quietHoursEnd(at: Millis, zone: string, quiet: PolicyConfig['quietHours']): Millis | null {
  const local = localParts(at, zone);
  if (!isQuietMinute(local.hour * 60 + local.minute, quiet)) return null;
  const today = atLocalTime(at, zone, 0, quiet.end);
  return today > at ? today : atLocalTime(at, zone, 1, quiet.end);
}
