// The two worlds of a demo order (generate.ts draws both at once): the order as a customer of
// one group lives it, and which group an event of it needs, so the demo can pass on what each
// customer does once intake has told it their group (cli/demoFeeder.ts).
import type { EventType } from '../../core/domain.js';
import type { DemoGroup } from './effect.js';
import type { DemoOrder } from './generate.js';

/** The order as a customer of `group` lives it; null when they never place it. */
export function orderIn(order: DemoOrder, group: DemoGroup): DemoOrder | null {
  const only = order.onlyFor;
  if (only.order !== undefined && only.order !== group) return null;
  const view: DemoOrder = { ...order, onlyFor: {} };
  if (only.cancelled !== undefined && only.cancelled !== group) {
    view.cancelledAt = null;
    view.cancelReason = null;
  }
  if (only.lifecycle !== undefined && only.lifecycle !== group) {
    Object.assign(view, {
      promisedDate: null,
      shippedAt: null,
      carrier: null,
      trackingNumber: null,
      delayedAt: null,
      delayReason: null,
      outForDeliveryAt: null,
      deliveredAt: null,
      returnedAt: null,
      returnReason: null,
      startedAt: null,
      onboardedAt: null,
      renewalAt: null,
      renewals: [],
      answer: null,
    } satisfies Partial<DemoOrder>);
  }
  if (only.returned !== undefined && only.returned !== group) {
    view.returnedAt = null;
    view.returnReason = null;
  }
  return view;
}

/**
 * Which group an event of `order` happens for, and the order whose customer's group decides it
 * (their first: known before a later order arrives); null: for everyone; 'never': for no one.
 */
export function eventCondition(
  order: DemoOrder,
  type: EventType,
): { group: DemoGroup | 'never'; customerOf: string } | null {
  const only = order.onlyFor;
  const needs = [only.order];
  if (type === 'order.cancelled') needs.push(only.cancelled);
  else if (type !== 'order.placed') needs.push(only.lifecycle);
  if (type === 'order.returned') needs.push(only.returned);
  const groups = new Set(needs.filter((g): g is DemoGroup => g !== undefined));
  if (groups.size === 0) return null;
  const [group] = groups;
  return { group: groups.size > 1 ? 'never' : group!, customerOf: order.firstOrderId };
}
