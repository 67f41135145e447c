// Which timing rule a channel follows: quiet hours for messages that reach a person's phone or
// inbox, business hours for work a rep does with the customer, business days for the rest.
import type { ChannelName, Millis } from '../domain.js';
import { resolveZone } from '../localTime.js';
import { nextBusinessDay, nextOpening } from './businessHours.js';
import { quietHoursEnd } from './quietHours.js';
import { defer } from './result.js';
import type { Decision, DeferReason, PolicyConfig } from './types.js';

export interface WindowWait {
  until: Millis;
  reason: DeferReason;
}

/**
 * When the channel may next be used, if not at `at`: null means "now is fine".
 * `customerZone` is already resolved (customer's zone, else the business's default).
 */
export function nextSendWindow(
  at: Millis,
  channel: ChannelName,
  customerZone: string,
  config: PolicyConfig,
): WindowWait | null {
  let until: Millis | null;
  switch (channel) {
    case 'email':
    case 'sms':
      until = quietHoursEnd(at, customerZone, config.quietHours);
      return until === null ? null : { until, reason: 'quiet_hours' };
    case 'task:call':
    case 'task:meeting':
    case 'task:reply':
      until = nextOpening(at, customerZone, config.businessHours);
      return until === null ? null : { until, reason: 'business_hours' };
    case 'task:letter':
    case 'task:gift':
      until = nextBusinessDay(at, resolveZone(config.defaultTimezone, 'UTC'), config.businessHours);
      return until === null ? null : { until, reason: 'business_hours' };
    case 'webhook':
      return null;
  }
}

export function checkSendWindow(
  at: Millis,
  channel: ChannelName,
  customerZone: string,
  config: PolicyConfig,
): Decision | null {
  const wait = nextSendWindow(at, channel, customerZone, config);
  return wait === null ? null : defer(wait.until, wait.reason);
}
