// The customer's own choices (the preference page): topics and channels they switched off, and
// a pause. They govern the e-mails and SMS we send on our own; transactional messages are not
// optional, and work done by people (calls, letters, gifts) is not a message they opted out of.
import type { Millis } from '../domain.js';
import { optionalChannelOf, topicOf } from '../listening/types.js';
import { defer, skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

/** Skips `opted_out` when the step's topic or channel is switched off; the detail says which. */
export function checkOptedOut(ctx: DispatchContext): Decision | null {
  const { touchPoint, customer } = ctx;
  const topic = topicOf(touchPoint.purpose);
  const channel = optionalChannelOf(touchPoint.channel);
  if (topic === null || channel === null) return null;
  const { topicsOff, channelsOff } = customer.preferences;
  if (topicsOff.includes(topic)) return skip('opted_out', `topic ${topic} switched off`);
  if (channelsOff.includes(channel)) return skip('opted_out', `channel ${channel} switched off`);
  return null;
}

export interface WaitInput {
  /** When the touch point was meant to go out (frequencyCap.plannedAt). */
  plannedAt: Millis;
  /** Moves a time into the channel's send window. */
  settle: (at: Millis) => Millis;
}

/**
 * During a pause, an optional message waits for its end, unless it would then go out more than
 * `maxLatenessMs` after it was planned: a month-old check-in is noise, so it is skipped `paused`.
 */
export function checkPaused(ctx: DispatchContext, config: PolicyConfig, input: WaitInput): Decision | null {
  const { touchPoint, customer, now } = ctx;
  const pausedUntil = customer.preferences.pausedUntil;
  if (pausedUntil === null || pausedUntil <= now) return null;
  if (topicOf(touchPoint.purpose) === null || optionalChannelOf(touchPoint.channel) === null) return null;
  const until = input.settle(pausedUntil);
  if (until - input.plannedAt > config.maxLatenessMs)
    return skip('paused', `paused until ${isoMinute(pausedUntil)}`);
  return defer(until, 'paused');
}

/** `2026-07-10 09:00 UTC`: for details a person reads. */
export function isoMinute(at: Millis): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
