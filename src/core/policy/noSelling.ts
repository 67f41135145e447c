// No selling while reassuring: an offer waits until the order has arrived, the customer has
// had time to enjoy it (an open concern stops offers earlier: concernOpen.ts).
import type { Moments } from '../domain.js';
import { defer, skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

export function checkNoSelling(
  ctx: DispatchContext,
  config: PolicyConfig,
  moments: Moments,
): Decision | null {
  if (ctx.touchPoint.purpose !== 'offer') return null;
  const delivered = moments.delivered;
  if (delivered === undefined) return skip('not_delivered');
  const allowedFrom = delivered + config.offerDelayAfterDeliveryMs;
  return ctx.now < allowedFrom ? defer(allowedFrom, 'offer_too_soon') : null;
}
