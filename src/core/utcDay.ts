// A calendar day written `YYYY-MM-DD`, as reports, gap windows, due dates and CRM fields take it.
import type { Millis } from './domain.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-03-02` -> its 00:00 UTC; null for any other shape and for days that do not exist. */
export function utcDayStart(day: string): Millis | null {
  const m = DAY.exec(day);
  if (m === null) return null;
  const at = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(at).toISOString().slice(0, 10) === day ? at : null;
}
