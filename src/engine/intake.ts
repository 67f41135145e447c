// Intake: event -> entities -> plan. The reducer decides, purely, what one event changes; the
// store applies a batch of events through it in one transaction.
import { discountCodesOf } from '../core/offers/redemption.js';
import type { OffersStore } from '../store/ports/offers.js';
import { hasRate, type CurrencyRates } from '../core/money.js';
import {
  applyEventToCustomer,
  changedContactFields,
  mergeCustomerInput,
  newCustomer,
} from '../core/customer.js';
import {
  ORDER_EVENT_TYPES,
  type Customer,
  type DomainEvent,
  type Enrollment,
  type EventType,
  type Millis,
  type Order,
  type StoredEvent,
} from '../core/domain.js';
import { isHoldout } from '../core/holdout.js';
import { applyEventToOrder, newOrder, programExit } from '../core/lifecycle.js';
import { implausibleTimeOf } from '../core/plausibleTime.js';
import { planTouchPoints } from '../core/planner.js';
import type { Playbook } from '../core/playbook/types.js';
import { TemplateRenderer } from '../templates/render.js';
import { PlaybookRegistry, PlaybookVersionMissing } from './playbookRegistry.js';
import type { IntakeChanges, IntakeReducer, IntakeResult, IntakeStore } from '../store/ports/intake.js';

export interface IntakeOptions {
  /** The configured playbooks: new orders are enrolled in these versions. */
  playbooks: readonly Playbook[];
  /**
   * Where enrollments find the version they are pinned to (an order planned under v1 keeps being
   * planned with v1). Default: only `playbooks` themselves.
   */
  versions?: PlaybookRegistry;
  defaultTimezone: string;
  /** The base currency and rates for `order.total_base` (config.policy.currency); default USD, no rates. */
  currency?: CurrencyRates;
  /**
   * Told the first time an order arrives in a currency `currency` has no rate for: conditions on
   * `order.total_base` are not met for it until a rate is configured.
   */
  onMissingRate?: (currency: string, orderId: string) => void;
  holdoutShare: number;
  holdoutSalt: string;
  now: () => Millis;
}

/** Rejection reasons an IntakeResult can carry. */
export const INTAKE_REJECTIONS = [
  'unknown_order',
  'unknown_customer',
  'missing_order_id',
  'invalid_time',
  /** The event is about a person who was erased (a tombstone matched): nothing of it is kept. */
  'erased',
  /** The event's own time is before 2000 or ahead of the clock (core/plausibleTime.ts). */
  'implausible_time',
  /** A time of the order it carries (placed, shipped, delivered, promise, renewal) is out of the window. */
  'implausible_order_time',
  /** The id ends like the ids intake gives the events it derives (`:contact`). */
  'reserved_id',
] as const;
export type IntakeRejection = (typeof INTAKE_REJECTIONS)[number];

/**
 * What a customer says to us (answers, replies, concerns, the outcome of a call) is about someone
 * we know: such an event for an unknown customer is rejected rather than made into a new one.
 */
const NEEDS_KNOWN_CUSTOMER: ReadonlySet<EventType> = new Set<EventType>([
  'survey.answered',
  'reply.received',
  'concern.raised',
  'concern.acknowledged',
  'concern.resolved',
  'task.completed',
]);

/** The id of the `customer.contact_changed` event derived from event `id`; input ids may not end so. */
export const CONTACT_CHANGED_SUFFIX = ':contact';

function nothing(rejected: IntakeRejection | null): IntakeChanges {
  return {
    rejected,
    customer: null,
    order: null,
    event: null,
    derivedEvents: [],
    enrollments: [],
    insertTouchPoints: [],
    reschedule: [],
    cancel: [],
  };
}

export function makeIntakeReducer(options: IntakeOptions): IntakeReducer {
  const versions =
    options.versions ?? PlaybookRegistry.fixed(options.playbooks, new TemplateRenderer({ dirs: [] }));

  const warned = new Set<string>();
  const fx = options.currency;
  const onMissingRate = options.onMissingRate;
  return (state, event) => {
    if (state.duplicate) return nothing(null);
    if (state.erased) return nothing('erased');
    if (!Number.isFinite(event.at)) return nothing('invalid_time');
    if (event.id.endsWith(CONTACT_CHANGED_SUFFIX)) return nothing('reserved_id');
    const now = options.now();
    const implausible = implausibleTimeOf(event, now);
    if (implausible !== null)
      return nothing(implausible === 'at' ? 'implausible_time' : 'implausible_order_time');
    const orderEvent = ORDER_EVENT_TYPES.has(event.type);
    const orderId = event.orderId?.trim() || null;
    if (orderEvent && orderId === null) return nothing('missing_order_id');

    const customerId =
      state.customer?.id ??
      state.order?.customerId ??
      (event.customerId?.trim() || null) ??
      state.newCustomerId;
    if (customerId === null) return nothing(orderEvent ? 'unknown_order' : 'unknown_customer');
    if (state.customer === null && NEEDS_KNOWN_CUSTOMER.has(event.type)) return nothing('unknown_customer');

    // Holdout is drawn once, when the customer is first seen, and recorded: never recomputed.
    const known = state.customer ? mergeCustomerInput(state.customer, event.customer) : null;
    const base =
      known ??
      newCustomer(
        customerId,
        event.customer,
        isHoldout(customerId, options.holdoutShare, options.holdoutSalt),
        now,
      );
    let customer = applyEventToCustomer(base, event);
    const contactChanged = state.customer ? contactChanges(state.customer, customer, event, now) : [];

    let order: Order | null = state.order;
    let repeated: StoredEvent | null = null;
    const newEnrollments: Enrollment[] = [];
    if (orderEvent && orderId !== null) {
      const created = order === null;
      // An order first heard of through a later event (a shipment webhook that overtook the
      // order, an import of returns) is taken as placed when the event says, or at the event.
      let current = order;
      if (current === null) {
        const arrival = countOrder(customer, orderId, event, now);
        customer = arrival.customer;
        repeated = arrival.repeated;
        current = {
          ...newOrder(orderId, customer.id, event.order, { at: event.at, segment: customer.segment }),
          sequence: customer.orderCount,
        };
      }
      order = applyEventToOrder(current, event, now);
      if (onMissingRate && fx && !warned.has(order.currency) && !hasRate(order.currency, fx)) {
        warned.add(order.currency);
        onMissingRate(order.currency, order.id);
      }
      if (created || event.type === 'order.placed') {
        for (const playbook of options.playbooks) {
          if (state.enrollments.some((e) => e.playbook === playbook.name)) continue;
          newEnrollments.push({
            id: `${playbook.name}:${order.id}`,
            customerId: order.customerId,
            orderId: order.id,
            playbook: playbook.name,
            playbookVersion: playbook.version,
            holdout: customer.holdout,
            status: 'active',
            endedReason: null,
            enrolledAt: now,
          });
        }
      }
    }

    const changes: IntakeChanges = {
      rejected: null,
      customer,
      order,
      event: {
        id: event.id,
        customerId: customer.id,
        orderId: order?.id ?? orderId,
        type: event.type,
        at: event.at,
        data: event.data,
        receivedAt: now,
      },
      derivedEvents: repeated === null ? contactChanged : [...contactChanged, repeated],
      enrollments: [],
      insertTouchPoints: [],
      reschedule: [],
      cancel: [],
    };
    if (order === null) return changes;

    const previous = state.customer && state.order ? { customer: state.customer, order: state.order } : null;
    for (const stored of [...state.enrollments, ...newEnrollments]) {
      // Each enrollment is planned with the version it was enrolled in.
      const playbook = versions.resolve(stored.playbook, stored.playbookVersion);
      let enrollment = stored;
      if (playbook !== null && enrollment.status === 'active') {
        const exit = programExit(order, playbook, now);
        if (exit !== null) enrollment = { ...enrollment, status: 'ended', endedReason: exit };
      }
      if (enrollment !== stored || newEnrollments.includes(stored)) changes.enrollments.push(enrollment);
      // A playbook taken out of the configuration leaves its enrollments as they are.
      if (playbook === null) continue;
      const plan = planTouchPoints({
        playbook,
        customer,
        order,
        enrollment,
        existing: state.touchPoints,
        now,
        defaultTimezone: options.defaultTimezone,
        ...(options.currency ? { currency: options.currency } : {}),
        previous,
      });
      changes.insertTouchPoints.push(...plan.insert);
      changes.reschedule.push(...plan.reschedule);
      changes.cancel.push(...plan.cancel);
    }
    return changes;
  };
}

/**
 * A new order of this customer: counted, and, when they had ordered before, a `purchase.repeated`
 * naming the previous order (`data.previous_order_id`, `data.order_count`), applied to the
 * customer as if it had arrived on its own. Its id derives from the order, so it is written once.
 */
function countOrder(
  before: Customer,
  orderId: string,
  event: DomainEvent,
  now: Millis,
): { customer: Customer; repeated: StoredEvent | null } {
  const customer: Customer = { ...before, orderCount: before.orderCount + 1, lastOrderId: orderId };
  if (before.orderCount === 0) return { customer, repeated: null };
  const repeated: StoredEvent = {
    id: `purchase.repeated:${orderId}`,
    customerId: customer.id,
    orderId,
    type: 'purchase.repeated',
    at: event.order?.placedAt ?? event.at,
    data: { previous_order_id: before.lastOrderId, order_count: customer.orderCount },
    receivedAt: now,
  };
  return { customer: applyEventToCustomer(customer, domainEventOf(repeated)), repeated };
}

function domainEventOf(stored: StoredEvent): DomainEvent {
  return {
    id: stored.id,
    type: stored.type,
    at: stored.at,
    customerId: stored.customerId,
    orderId: stored.orderId,
    data: stored.data,
  };
}

/**
 * `customer.contact_changed` when the event changed a known customer's contact details: which
 * fields (not their values: the customer record has those), who vouched for them, and the event.
 */
function contactChanges(before: Customer, after: Customer, event: DomainEvent, now: Millis): StoredEvent[] {
  const fields = changedContactFields(before, after);
  if (fields.length === 0) return [];
  return [
    {
      id: `${event.id}${CONTACT_CHANGED_SUFFIX}`,
      customerId: after.id,
      orderId: null,
      type: 'customer.contact_changed',
      at: event.at,
      data: {
        fields,
        source: event.customer?.contactSource ?? 'business',
        eventId: event.id,
        eventType: event.type,
      },
      receivedAt: now,
    },
  ];
}

/** Feeds events to the store in batches, each batch one transaction. */
export class Intake {
  constructor(
    private readonly store: IntakeStore,
    private readonly reducer: IntakeReducer,
    private readonly batchSize = 1000,
    /** Loads a pinned playbook version the reducer met before it was loaded. */
    private readonly versions: PlaybookRegistry | null = null,
    /** Insider offer codes an order used are marked redeemed here (core/offers/redemption.ts). */
    private readonly offers: Pick<OffersStore, 'redeem'> | null = null,
  ) {}

  async ingest(events: DomainEvent[]): Promise<IntakeResult[]> {
    const results: IntakeResult[] = [];
    for (let start = 0; start < events.length; start += this.batchSize) {
      const slice = events.slice(start, start + this.batchSize);
      const batch = await this.applyBatch(slice);
      await this.redeem(slice, batch);
      for (const result of batch) results.push(result);
    }
    return results;
  }

  /**
   * Marks the offer codes the batch's orders used. After the batch's commit and for duplicates
   * too: an event repeated after a crash in between (the inbox drain, a re-import) marks what the
   * first time could not; marking is idempotent per order.
   */
  private async redeem(events: readonly DomainEvent[], results: readonly IntakeResult[]): Promise<void> {
    if (this.offers === null) return;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const result = results[i];
      if (result === undefined || result.rejected !== null) continue;
      const orderId = result.orderId ?? event.orderId;
      if (orderId === null) continue;
      for (const code of discountCodesOf(event)) {
        await this.offers.redeem({ code, orderId, at: event.at });
      }
    }
  }

  /** A batch whose reducer met an older playbook version not loaded yet is rolled back, the version loaded, and the batch redone. */
  private async applyBatch(events: DomainEvent[]): Promise<IntakeResult[]> {
    for (;;) {
      try {
        return await this.store.apply(events, this.reducer);
      } catch (error) {
        if (!(error instanceof PlaybookVersionMissing) || this.versions === null) throw error;
        await this.versions.load(error.playbook, error.version);
      }
    }
  }
}
