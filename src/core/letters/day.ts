// The day letters and gifts are printed for: a calendar date read from the command line, and the
// window of instants it covers in a zone (the business's, so "today's letters" means its day).
import type { Millis } from '../domain.js';
import { fromLocal } from '../localTime.js';
import type { CalendarDay } from './letter.js';

/** '2026-12-03' -> the day; null when it is not a real date in that form. */
export function parseDay(text: string): CalendarDay | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(year, month - 1, day));
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** [start of `day`, start of the next day) in `zone`; 23 or 25 hours long on a DST change. */
export function dayWindow(day: CalendarDay, zone: string): { from: Millis; before: Millis } {
  const next = new Date(Date.UTC(day.year, day.month - 1, day.day + 1));
  return {
    from: fromLocal({ ...day, hour: 0, minute: 0 }, zone),
    before: fromLocal(
      {
        year: next.getUTCFullYear(),
        month: next.getUTCMonth() + 1,
        day: next.getUTCDate(),
        hour: 0,
        minute: 0,
      },
      zone,
    ),
  };
}

export function formatIsoDay(day: CalendarDay): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(day.year, 4)}-${pad(day.month, 2)}-${pad(day.day, 2)}`;
}
