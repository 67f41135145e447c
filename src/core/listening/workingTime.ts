// SLA time that counts only the business's open hours: 4 hours given at 16:00 on a Friday with
// Mon-Fri 09:00-17:00 run out at 12:00 on Monday. Local hours in the business's zone, so DST and
// weekends fall where the people answering the concern live.
import type { Millis } from '../domain.js';
import { atLocalTime } from '../localTime.js';
import { nextOpening } from '../policy/businessHours.js';
import type { PolicyConfig } from '../policy/types.js';

type BusinessHours = PolicyConfig['businessHours'];

/** Hours with no open day or an opening not before the closing are no rule: always open. */
function alwaysOpen(hours: BusinessHours): boolean {
  const start = hours.start.hour * 60 + hours.start.minute;
  const end = hours.end.hour * 60 + hours.end.minute;
  return start >= end || !hours.days.some((day) => day >= 1 && day <= 7);
}

/** The instant at which `spanMs` of open time has passed since `start`. */
export function addWorkingTime(start: Millis, spanMs: Millis, zone: string, hours: BusinessHours): Millis {
  if (spanMs <= 0 || alwaysOpen(hours)) return start + Math.max(0, spanMs);
  let at = start;
  let remaining = spanMs;
  // One round per open day; SLAs are bounded (a year at most), so this ends well within the cap.
  for (let round = 0; round < 5_000; round++) {
    at = nextOpening(at, zone, hours) ?? at;
    const closing = atLocalTime(at, zone, 0, hours.end);
    const open = closing - at;
    if (open <= 0) break; // cannot happen while open; never loop on it
    if (remaining <= open) return at + remaining;
    remaining -= open;
    at = closing;
  }
  return at + remaining;
}
