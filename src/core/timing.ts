// When a step is due: its moment plus an offset, or a local time of day a whole number of days
// after (or before) the moment in the customer's zone.
import type { Millis } from './domain.js';
import { atLocalTime } from './localTime.js';
import type { StepTiming } from './playbook/types.js';

const DAY: Millis = 86_400_000;

/**
 * The due time of a step whose moment happened at `anchor`. A local time that would fall before
 * the moment itself for an "after" offset ("0d after delivered at 10:00" with a delivery at 15:00)
 * moves to the next day: a follow-up never precedes what it follows.
 */
export function dueAtFor(timing: StepTiming, anchor: Millis, zone: string): Millis {
  if (timing.atLocal === null) return anchor + timing.offsetMs;
  const days = Math.round(timing.offsetMs / DAY);
  const due = atLocalTime(anchor, zone, days, timing.atLocal);
  if (timing.offsetMs >= 0 && due < anchor) return atLocalTime(anchor, zone, days + 1, timing.atLocal);
  return due;
}
