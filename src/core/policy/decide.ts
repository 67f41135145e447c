// The send-time decision: every policy in a fixed order, the first objection wins. Pure; the
// dispatcher executes the Decision (send, skip with a reason, defer to a time, cancel).
import { resolveZone } from '../localTime.js';
import { checkAwaitingPerson } from './awaitingPerson.js';
import { checkConcernOpen } from './concernOpen.js';
import { checkConditions } from './conditions.js';
import { checkConsent } from './consent.js';
import { checkExit, momentsOf } from './exit.js';
import { arrivalCheckDeadline, checkFrequencyCap, plannedAt } from './frequencyCap.js';
import { checkHoldout } from './holdout.js';
import { checkNoSelling } from './noSelling.js';
import { checkOptedOut, checkPaused } from './preferences.js';
import { SEND, cancel } from './result.js';
import { checkSameStep } from './sameStep.js';
import { checkSendWindow, nextSendWindow } from './sendWindow.js';
import { checkSurveyThrottle } from './surveyThrottle.js';
import { checkTips } from './tips.js';
import type { ChannelName, Millis } from '../domain.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

export { DEFAULT_POLICY_CONFIG } from './defaults.js';

/**
 * 1. exits (cancel)  2. consent and reachability  3. holdout  4. the step's conditions
 * 5. the customer's preferences: topic or channel off  6. an open concern  7. a tip step's series
 * (tips done, none fits, too short)  8. the survey throttle  9. the same step sent recently
 * 10. no selling while reassuring  11. the customer's pause  12. a reply awaiting a person
 * 13. send window (quiet/business hours)  14. frequency cap.
 * Checks that end a touch point (1-9) come before those that only delay it (10-14). A deferral
 * by 10, 11, 12 or 14 is moved into the channel's send window, so the touch point is not claimed
 * at a time when it would only be deferred again.
 */
export function decide(ctx: DispatchContext, config: PolicyConfig): Decision {
  const exit = checkExit(ctx);
  if (exit !== null || ctx.step === null) return exit ?? cancel('step_removed');
  const step = ctx.step;
  const early =
    checkConsent(ctx) ??
    checkHoldout(ctx, step, config) ??
    checkConditions(ctx, step, config) ??
    checkOptedOut(ctx) ??
    checkConcernOpen(ctx, step) ??
    checkTips(ctx, step, config) ??
    checkSurveyThrottle(ctx, step, config) ??
    checkSameStep(ctx, step, config);
  if (early !== null) return early;

  const { channel } = ctx.touchPoint;
  const zone = resolveZone(ctx.customer.timezone, config.defaultTimezone);
  const settle = settlerFor(channel, zone, config);
  const moments = momentsOf(ctx);

  const selling = checkNoSelling(ctx, config, moments);
  if (selling !== null) {
    return selling.kind === 'defer' ? { ...selling, until: settle(selling.until) } : selling;
  }
  const planned = plannedAt(ctx, step, moments, zone);
  const wait = { plannedAt: planned, settle, arrivalBy: arrivalCheckDeadline(ctx, step, moments, planned) };
  return (
    checkPaused(ctx, config, wait) ??
    checkAwaitingPerson(ctx, config, wait) ??
    checkSendWindow(ctx.now, channel, zone, config) ??
    checkFrequencyCap(ctx, config, wait) ??
    SEND
  );
}

/** Moves a time into the channel's send window. Built by a factory rather than a named local
 * closure: tsx (esbuild keepNames) would rename a named closure on every call. */
function settlerFor(channel: ChannelName, zone: string, config: PolicyConfig): (at: Millis) => Millis {
  return (at) => nextSendWindow(at, channel, zone, config)?.until ?? at;
}
