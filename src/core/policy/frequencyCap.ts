// The frequency cap: at most `max` non-transactional e-mails and SMS per customer within a
// rolling window, across all programs. When the cap is full, purpose decides who waits:
// reassurance waits for a free slot, education waits only while it is still timely, offers
// give way. Transactional messages are never capped and never counted. The arrival check
// outranks the cap itself: asking whether the order arrived well is only worth it while the
// delivery is fresh, so it goes out rather than wait past ARRIVAL_CHECK_WITHIN_MS.
import { isFollowUpMoment, type Millis, type Moments } from '../domain.js';
import type { Step } from '../playbook/types.js';
import { dueAtFor } from '../timing.js';
import { defer, skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

/**
 * When a slot frees up, or null if one is free at `now`. A send at `t` counts while
 * `now < t + windowMs`; with n sends in the window and room for `max`, the slot frees when the
 * (n - max + 1)-th oldest leaves it.
 */
export function capFreesAt(
  sentAt: readonly Millis[],
  now: Millis,
  cap: PolicyConfig['frequencyCap'],
): Millis | null {
  const inWindow = sentAt.filter((t) => t > now - cap.windowMs).sort((a, b) => a - b);
  if (inWindow.length < cap.max) return null;
  if (cap.max <= 0) return Number.POSITIVE_INFINITY;
  return (inWindow[inWindow.length - cap.max] as Millis) + cap.windowMs;
}

/**
 * When the touch point was meant to go out: the step's due time from its moment, as the
 * planner computes it (deferrals move `dueAt`, so it cannot tell lateness on its own).
 */
export function plannedAt(ctx: DispatchContext, step: Step, moments: Moments, zone: string): Millis {
  const moment = step.timing.moment;
  // A follow-up's anchor (an answer, a concern) is not an order moment: its due time stands.
  const anchor = isFollowUpMoment(moment) ? undefined : moments[moment];
  if (anchor === undefined) return ctx.touchPoint.dueAt;
  return Math.min(ctx.touchPoint.dueAt, dueAtFor(step.timing, anchor, zone));
}

/** An arrival check lands within this long of delivery, whatever the cap says. */
export const ARRIVAL_CHECK_WITHIN_MS: Millis = 2 * 86_400_000;

/**
 * The time by which the touch point must be out if it is an arrival check (reassurance timed
 * from delivery and planned within ARRIVAL_CHECK_WITHIN_MS of it), else null.
 */
export function arrivalCheckDeadline(
  ctx: DispatchContext,
  step: Step,
  moments: Moments,
  planned: Millis,
): Millis | null {
  const delivered = moments.delivered;
  if (ctx.touchPoint.purpose !== 'reassurance' || step.timing.moment !== 'delivered') return null;
  if (delivered === undefined) return null;
  const deadline = delivered + ARRIVAL_CHECK_WITHIN_MS;
  return planned <= deadline ? deadline : null;
}

export interface CapInput {
  /** See plannedAt. */
  plannedAt: Millis;
  /** See arrivalCheckDeadline: a full cap does not hold the touch point past this. */
  arrivalBy?: Millis | null;
  /** Moves a time into the channel's send window (quiet hours...); identity if there is none. */
  settle?: (at: Millis) => Millis;
}

export function checkFrequencyCap(
  ctx: DispatchContext,
  config: PolicyConfig,
  input: CapInput,
): Decision | null {
  const { touchPoint, now } = ctx;
  if (touchPoint.purpose === 'transactional') return null;
  if (touchPoint.channel !== 'email' && touchPoint.channel !== 'sms') return null;
  const freesAt = capFreesAt(ctx.recentNonTransactional, now, config.frequencyCap);
  if (freesAt === null) return null;
  if (!Number.isFinite(freesAt)) return skip('frequency_cap');
  const until = input.settle ? input.settle(freesAt) : freesAt;
  switch (touchPoint.purpose) {
    case 'reassurance':
      // Later than the arrival check's window: it goes now, one over the cap, rather than late.
      if (input.arrivalBy != null && until > input.arrivalBy) return null;
      return defer(until, 'frequency_cap');
    case 'education':
      // Dropped if it could only go out later than allowed: stale tips are noise.
      return until - input.plannedAt > config.maxLatenessMs ? skip('stale') : defer(until, 'frequency_cap');
    case 'offer':
      return skip('frequency_cap');
  }
}
