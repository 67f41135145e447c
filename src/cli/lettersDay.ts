// The options `aftercare letters` and `aftercare gifts` share: the day, and the zone it is a day in.
import { parseDay } from '../core/letters/day.js';
import type { CalendarDay } from '../core/letters/letter.js';
import { isValidZone } from '../core/localTime.js';
import { usageError } from './exit.js';

export function commandDay(raw: string): CalendarDay {
  const day = parseDay(raw);
  if (day === null) throw usageError(`--date: "${raw}" is not a date like 2026-12-03`, { field: 'date' });
  return day;
}

/** --zone, else the business's zone (AFTERCARE_TIMEZONE). */
export function commandZone(raw: string | undefined, fallback: string): string {
  if (raw === undefined) return fallback;
  if (!isValidZone(raw))
    throw usageError(`--zone: "${raw}" is not an IANA time zone like Europe/Berlin`, { field: 'zone' });
  return raw;
}
