// The plan a deal's order will get, worked out before there is an order: the configured playbooks
// planned for a hypothetical order placed at the expected close, in the prospect's zone, with the
// customer having it in hand `leadDays` later. The very planner intake runs (core/planner.ts), so
// the preview cannot promise what the program would not do. Pure.
import { DEFAULT_PREFERENCES } from '../listening/types.js';
import type { Customer, Enrollment, Millis, Order, TouchPoint } from '../domain.js';
import type { CurrencyRates } from '../money.js';
import { SEND_TIME_FIELDS, conditionFields } from '../playbook/conditions.js';
import type { Playbook, Step } from '../playbook/types.js';
import { planTouchPoints } from '../planner.js';
import type { Deal, DealMeeting, PromisedStep } from './deal.js';

const DAY = 86_400_000;

/** One step of the previewed plan. */
export interface PreviewStep {
  touchPoint: TouchPoint;
  step: Step;
  /**
   * Depends on what the customer does or says later (a condition on their answers or silence):
   * shown as possible, never promised.
   */
  conditional: boolean;
}

export interface DealPreview {
  /** The playbooks the order will be enrolled in, with their versions. */
  playbooks: { name: string; version: number }[];
  /** Due steps in time order (skipped ones are left out). */
  steps: PreviewStep[];
  /** The customer as the order will make them (the prospect's contact, zone and locale). */
  customer: Customer;
  order: Order;
}

/** The customer and order the deal's order will make, as intake would see them. */
export function hypothetical(deal: Deal): { customer: Customer; order: Order } {
  const [firstName, ...rest] = deal.contact.name.trim().split(/\s+/);
  const customerId = `prospect:${deal.id}`;
  const placedAt = deal.expectedCloseAt;
  const inHand = placedAt + deal.leadDays * DAY;
  const customer: Customer = {
    id: customerId,
    email: deal.contact.email,
    firstName: firstName ?? null,
    lastName: rest.length > 0 ? rest.join(' ') : null,
    phone: deal.contact.phone,
    timezone: deal.contact.timeZone,
    locale: deal.contact.locale,
    segment: deal.segment,
    holdout: false,
    temperature: 50,
    temperatureReasons: [],
    openConcerns: 0,
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: DEFAULT_PREFERENCES,
    unsubscribedAt: null,
    emailBouncedAt: null,
    orderCount: 1,
    lastOrderId: null,
    attributes: { company: deal.company },
    createdAt: placedAt,
  };
  const order: Order = {
    id: `deal:${deal.id}`,
    customerId,
    number: null,
    shippingAddress: null,
    placedAt,
    currency: deal.value.currency,
    total: deal.value.amount,
    segment: deal.segment,
    kind: deal.kind,
    renewalPeriod: null,
    renewalCycle: 1,
    items: deal.products.map((name) => ({
      sku: null,
      productName: name,
      category: null,
      quantity: 1,
      price: null,
    })),
    shipments: [],
    moments:
      deal.kind === 'goods'
        ? { placed: placedAt, delivered: inHand }
        : { placed: placedAt, started: inHand, delivered: inHand },
    sequence: 1,
    attributes: { deal_id: deal.id },
    updatedAt: placedAt,
  };
  return { customer, order };
}

/** Whether a step's condition reads what only the customer's later behaviour decides. */
export function isConditional(step: Step): boolean {
  if (step.when === null) return false;
  for (const field of conditionFields(step.when)) if (SEND_TIME_FIELDS.has(field)) return true;
  return false;
}

export function previewDeal(
  deal: Deal,
  playbooks: readonly Playbook[],
  defaultTimezone: string,
  currency?: CurrencyRates,
): DealPreview {
  const { customer, order } = hypothetical(deal);
  const steps: PreviewStep[] = [];
  for (const playbook of playbooks) {
    const enrollment: Enrollment = {
      id: `${playbook.name}:${order.id}`,
      customerId: customer.id,
      orderId: order.id,
      playbook: playbook.name,
      playbookVersion: playbook.version,
      holdout: false,
      status: 'active',
      endedReason: null,
      enrolledAt: order.placedAt,
    };
    const plan = planTouchPoints({
      playbook,
      customer,
      order,
      enrollment,
      existing: [],
      // Planned as intake would plan it on the day the order comes in.
      now: order.placedAt,
      defaultTimezone,
      ...(currency ? { currency } : {}),
    });
    const byKey = new Map(playbook.steps.map((s) => [s.key, s]));
    for (const touchPoint of plan.insert) {
      if (touchPoint.status !== 'scheduled') continue;
      const step = byKey.get(touchPoint.stepKey);
      if (step === undefined) continue;
      steps.push({ touchPoint, step, conditional: isConditional(step) });
    }
  }
  steps.sort(
    (a, b) => a.touchPoint.dueAt - b.touchPoint.dueAt || (a.touchPoint.id < b.touchPoint.id ? -1 : 1),
  );
  return {
    playbooks: playbooks.map((p) => ({ name: p.name, version: p.version })),
    steps,
    customer,
    order,
  };
}

const MEETING_CHANNELS: ReadonlySet<string> = new Set(['task:meeting', 'task:call']);

/** The meetings and calls the preview promises (not the conditional ones), at their planned times. */
export function proposedMeetings(preview: DealPreview): DealMeeting[] {
  return preview.steps
    .filter((s) => !s.conditional && MEETING_CHANNELS.has(s.step.channel))
    .map((s) => ({
      playbook: s.touchPoint.playbook,
      step: s.step.key,
      channel: s.step.channel as DealMeeting['channel'],
      at: s.touchPoint.dueAt,
      objective: s.step.description ?? s.step.key,
      state: 'proposed' as const,
    }));
}

/** Every step the preview promises: the ones shown as planned, not the conditional ones. */
export function promisedSteps(preview: DealPreview): PromisedStep[] {
  return preview.steps
    .filter((s) => !s.conditional)
    .map((s) => ({ playbook: s.touchPoint.playbook, step: s.step.key, state: 'promised' as const }));
}

/**
 * The agreed meetings after the deal changed: a meeting whose time was agreed by hand (`agreed`)
 * keeps it; the others follow the new preview.
 */
export function mergeMeetings(
  proposed: readonly DealMeeting[],
  agreed: ReadonlyMap<string, Millis>,
): DealMeeting[] {
  return proposed.map((m) => {
    const at = agreed.get(`${m.playbook}/${m.step}`);
    return at === undefined ? m : { ...m, at };
  });
}

export type { Millis };
