// Durations as playbooks write them ('90m', '2h', '1d', '3w') and as the domain keeps them
// (milliseconds). Days and weeks are fixed 24-hour units here; calendar days in the customer's
// zone (`at: "10:00"`) are the planner's business, through StepTiming.atLocal.
import type { Millis } from '../domain.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

const UNITS: Record<string, Millis> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: WEEK_MS };
// Bounded digits: nobody means a 7-digit count, and it keeps the result far from unsafe integers.
const PATTERN = /^(\d{1,6})([mhdw])$/;

export const DURATION_HINT = 'a duration like 90m, 2h, 1d or 3w';

/** '90m' -> 5_400_000; null when the text is not a duration. */
export function tryParseDuration(text: string): Millis | null {
  const match = PATTERN.exec(text.trim());
  if (match === null) return null;
  const unit = UNITS[match[2] ?? ''];
  return unit === undefined ? null : Number(match[1]) * unit;
}

/** '90m' -> 5_400_000. Throws a RangeError on anything else (use tryParseDuration to validate input). */
export function parseDuration(text: string): Millis {
  const ms = tryParseDuration(text);
  if (ms === null) throw new RangeError(`"${text}" is not ${DURATION_HINT}`);
  return ms;
}

/** The shortest exact spelling: 86_400_000 -> '1d', 5_400_000 -> '90m'. For messages and docs. */
export function formatDuration(ms: Millis): string {
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  if (abs === 0) return '0d';
  for (const [suffix, unit] of [
    ['w', WEEK_MS],
    ['d', DAY_MS],
    ['h', HOUR_MS],
    ['m', MINUTE_MS],
  ] as const) {
    if (abs % unit === 0) return `${sign}${abs / unit}${suffix}`;
  }
  return `${sign}${abs}ms`;
}
