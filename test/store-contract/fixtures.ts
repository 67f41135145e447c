// Test-only helpers for the store contract: a tiny intake reducer (not the real planner) and
// builders for events, touch points and tasks. Only the Store port is used.
import type {
  ChannelName,
  Customer,
  DomainEvent,
  Enrollment,
  EventType,
  Millis,
  Order,
  Purpose,
  Task,
  TouchPoint,
} from '../../src/core/domain.js';
import type { IntakeChanges, IntakeReducer, IntakeState } from '../../src/store/ports/intake.js';
import type { Store } from '../../src/store/store.js';

export type OpenStore = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** Every contract store is made with this install key, so two of them derive the same ids. */
export const TEST_INSTALL_KEY = 'install-key-of-the-store-contract';

export const T0: Millis = Date.UTC(2026, 2, 1, 9, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Opens a store, runs `body`, always cleans up. */
export async function withStore(open: OpenStore, body: (store: Store) => Promise<void>): Promise<void> {
  const { store, cleanup } = await open();
  try {
    await body(store);
  } finally {
    await cleanup();
  }
}

export interface StepSpec {
  key: string;
  offset: Millis;
  channel?: ChannelName;
  purpose?: Purpose;
}

export const DEFAULT_STEPS: StepSpec[] = [
  { key: 'thanks', offset: HOUR, purpose: 'transactional' },
  { key: 'arrived', offset: 3 * DAY, purpose: 'reassurance' },
  { key: 'tips', offset: 7 * DAY, purpose: 'education' },
];

/** Enrollment ids are `playbook:order` (stores derive them), touch point ids `playbook:order:step`. */
export function enrollmentIdFor(orderId: string): string {
  return `test:${orderId}`;
}

export function touchPointIdFor(orderId: string, stepKey: string): string {
  return `${enrollmentIdFor(orderId)}:${stepKey}`;
}

const NO_CHANGES: IntakeChanges = {
  rejected: null,
  customer: null,
  order: null,
  event: null,
  derivedEvents: [],
  enrollments: [],
  insertTouchPoints: [],
  reschedule: [],
  cancel: [],
};

/**
 * A reducer with just enough behaviour to exercise the store. `data.steps` plans touch points on
 * order.placed; shipment.delayed moves them by `data.delayMs`; order.cancelled cancels
 * all of them and ends the program; `data.explode` throws; events about an unknown order are rejected.
 * Every call is recorded in `seen`.
 */
export function testReducer(): { reduce: IntakeReducer; seen: { event: DomainEvent; state: IntakeState }[] } {
  const seen: { event: DomainEvent; state: IntakeState }[] = [];
  const reduce: IntakeReducer = (state, event) => {
    seen.push({ event, state });
    if (event.data.explode === true) throw new Error('the test reducer was told to fail');
    if (state.duplicate) return NO_CHANGES;
    // As the engine's reducer: a tombstone matched, nothing is written.
    if (state.erased) return { ...NO_CHANGES, rejected: 'erased' };
    const customer = customerFor(state, event);
    const stored = {
      id: event.id,
      customerId: customer.id,
      orderId: event.orderId,
      type: event.type,
      at: event.at,
      data: event.data,
      receivedAt: event.at + 1,
    };
    if (event.type === 'order.placed') return placed(state, event, customer, stored);
    if (event.orderId !== null && state.order === null) return { ...NO_CHANGES, rejected: 'unknown order' };
    const base: IntakeChanges = { ...NO_CHANGES, customer, event: stored };
    if (event.type === 'shipment.delayed' && state.order) {
      const delay = typeof event.data.delayMs === 'number' ? event.data.delayMs : DAY;
      return {
        ...base,
        order: {
          ...state.order,
          moments: { ...state.order.moments, delayed: event.at },
          updatedAt: event.at,
        },
        // Asks to move every touch point; the store must only move the scheduled ones.
        reschedule: state.touchPoints.map((t) => ({ id: t.id, dueAt: t.dueAt + delay })),
      };
    }
    if (event.type === 'order.cancelled') {
      // Asks to cancel every touch point; the store must only cancel the scheduled ones.
      return {
        ...base,
        // The program ends with the order (once): the store closes its open tasks.
        enrollments: state.enrollments
          .filter((e) => e.status === 'active')
          .map((e) => ({ ...e, status: 'ended' as const, endedReason: 'cancelled' })),
        cancel: state.touchPoints.map((t) => ({
          id: t.id,
          reason: { code: 'program_ended', detail: 'cancelled' },
        })),
      };
    }
    if (event.type === 'customer.unsubscribed')
      return { ...base, customer: { ...customer, unsubscribedAt: event.at } };
    return base;
  };
  return { reduce, seen };
}

function customerFor(state: IntakeState, event: DomainEvent): Customer {
  if (state.customer) return state.customer;
  const input = event.customer ?? {};
  const email = input.email ?? null;
  return {
    id: event.customerId ?? input.customerId ?? `c:${email ?? event.id}`,
    email,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phone: input.phone ?? null,
    timezone: input.timezone ?? null,
    locale: input.locale ?? null,
    segment: input.segment ?? 'b2c',
    holdout: false,
    temperature: 50,
    openConcerns: 0,
    temperatureReasons: [],
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: { topicsOff: [], channelsOff: [], pausedUntil: null },
    unsubscribedAt: null,
    emailBouncedAt: null,
    attributes: input.attributes ?? {},
    orderCount: 1,
    lastOrderId: null,
    createdAt: event.at,
  };
}

function placed(
  state: IntakeState,
  event: DomainEvent,
  customer: Customer,
  stored: IntakeChanges['event'],
): IntakeChanges {
  const orderId = event.orderId ?? `o:${event.id}`;
  const input = event.order;
  const order: Order = state.order ?? {
    id: orderId,
    customerId: customer.id,
    number: input?.number ?? null,
    shippingAddress: input?.shippingAddress ?? null,
    placedAt: input?.placedAt ?? event.at,
    currency: input?.currency ?? 'EUR',
    total: input?.total ?? 0,
    segment: customer.segment,
    kind: input?.kind ?? 'goods',
    renewalPeriod: input?.renewalPeriod ?? null,
    renewalCycle: 1,
    items: input?.items ?? [],
    shipments: [],
    moments: { placed: input?.placedAt ?? event.at },
    attributes: input?.attributes ?? {},
    sequence: 1,
    updatedAt: event.at,
  };
  const enrollment: Enrollment = state.enrollments[0] ?? {
    id: enrollmentIdFor(orderId),
    customerId: customer.id,
    orderId,
    playbook: 'test',
    playbookVersion: 1,
    holdout: customer.holdout,
    status: 'active',
    endedReason: null,
    enrolledAt: event.at,
  };
  const steps = Array.isArray(event.data.steps) ? (event.data.steps as StepSpec[]) : DEFAULT_STEPS;
  return {
    ...NO_CHANGES,
    customer,
    order,
    event: stored,
    enrollments: [enrollment],
    // Every step, even ones that exist: the store inserts only the new ones and says how many.
    insertTouchPoints: steps.map((step) => touchPoint(enrollment, step, order.placedAt, event.at)),
  };
}

function touchPoint(enrollment: Enrollment, step: StepSpec, anchor: Millis, now: Millis): TouchPoint {
  return {
    id: `${enrollment.id}:${step.key}`,
    enrollmentId: enrollment.id,
    customerId: enrollment.customerId,
    orderId: enrollment.orderId,
    playbook: enrollment.playbook,
    playbookVersion: enrollment.playbookVersion,
    stepKey: step.key,
    channel: step.channel ?? 'email',
    purpose: step.purpose ?? 'reassurance',
    holdout: enrollment.holdout,
    dueAt: anchor + step.offset,
    status: 'scheduled',
    attempt: 0,
    leaseUntil: null,
    reason: null,
    outcomeAt: null,
    createdAt: now,
  };
}

export interface EventOptions {
  at?: Millis;
  customerId?: string | null;
  email?: string;
  data?: Record<string, unknown>;
}

export function event(
  id: string,
  type: EventType,
  orderId: string | null,
  options: EventOptions = {},
): DomainEvent {
  const at = options.at ?? T0;
  return {
    id,
    type,
    at,
    customerId: options.customerId === undefined ? 'c1' : options.customerId,
    orderId,
    customer: options.email === undefined ? undefined : { email: options.email, firstName: 'Ada' },
    order: type === 'order.placed' ? { placedAt: at, currency: 'EUR', total: 42.5 } : undefined,
    data: options.data ?? {},
  };
}

/** An order.placed event planning `steps` (default: DEFAULT_STEPS) for `orderId`. */
export function placedEvent(
  id: string,
  orderId: string,
  options: EventOptions & { steps?: StepSpec[] } = {},
): DomainEvent {
  const { steps, ...rest } = options;
  return event(id, 'order.placed', orderId, { ...rest, data: { ...rest.data, ...(steps ? { steps } : {}) } });
}

export function task(id: string, touchPointId: string, overrides: Partial<Task> = {}): Task {
  return {
    id,
    touchPointId,
    customerId: 'c1',
    orderId: 'o1',
    concernId: null,
    kind: 'call',
    title: 'Call Ada',
    script: 'Ask how the first week went.',
    dueAt: T0,
    owner: null,
    status: 'open',
    outcome: null,
    notes: null,
    createdAt: T0,
    completedAt: null,
    ...overrides,
  };
}
