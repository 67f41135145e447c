// Builders for the policy tests: a plain, sendable situation by default (a Wednesday afternoon
// in UTC, nothing sent lately, customer reachable and subscribed); each test changes only what
// it is about.
import type { ChannelName, Customer, Enrollment, Millis, Order, Purpose, TouchPoint } from '../domain.js';
import type { Playbook, Step } from '../playbook/types.js';
import type { DispatchContext } from './types.js';

export const MINUTE: Millis = 60_000;
export const HOUR: Millis = 60 * MINUTE;
export const DAY: Millis = 24 * HOUR;
/** Wednesday 2026-06-10 14:00 UTC: outside quiet hours, inside business hours. */
export const NOW: Millis = Date.UTC(2026, 5, 10, 14, 0);

export function aCustomer(overrides: Partial<Customer> = {}): Customer {
  return {
    id: 'cus_1',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: 'Lovelace',
    phone: '+15550100',
    timezone: null,
    locale: 'en',
    segment: 'b2c',
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
    attributes: {},
    orderCount: 1,
    lastOrderId: null,
    createdAt: NOW - 30 * DAY,
    ...overrides,
  };
}

export function anOrder(overrides: Partial<Order> = {}): Order {
  return {
    id: 'ord_1',
    customerId: 'cus_1',
    number: null,
    shippingAddress: null,
    placedAt: NOW - 2 * DAY,
    currency: 'EUR',
    total: 120,
    segment: 'b2c',
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    items: [{ sku: 'SKU-1', productName: 'Kettle', category: 'kitchen', quantity: 1, price: 120 }],
    shipments: [],
    moments: { placed: NOW - 2 * DAY },
    attributes: {},
    sequence: 1,
    updatedAt: NOW - 2 * DAY,
    ...overrides,
  };
}

export function anEnrollment(overrides: Partial<Enrollment> = {}): Enrollment {
  return {
    id: 'enr_1',
    customerId: 'cus_1',
    orderId: 'ord_1',
    playbook: 'reassure',
    playbookVersion: 1,
    holdout: false,
    status: 'active',
    endedReason: null,
    enrolledAt: NOW - 2 * DAY,
    ...overrides,
  };
}

export function aStep(overrides: Partial<Step> = {}): Step {
  return {
    key: 'check_in',
    description: null,
    timing: { moment: 'placed', offsetMs: 2 * DAY, atLocal: null },
    channel: 'email',
    template: 'check_in',
    purpose: 'reassurance',
    when: null,
    cancelOn: [],
    survey: null,
    owner: null,
    ...overrides,
  };
}

export function aTouchPoint(overrides: Partial<TouchPoint> = {}): TouchPoint {
  return {
    id: 'enr_1:check_in',
    enrollmentId: 'enr_1',
    customerId: 'cus_1',
    orderId: 'ord_1',
    playbook: 'reassure',
    playbookVersion: 1,
    stepKey: 'check_in',
    channel: 'email',
    purpose: 'reassurance',
    holdout: false,
    dueAt: NOW,
    status: 'claimed',
    attempt: 1,
    leaseUntil: NOW + MINUTE,
    reason: null,
    outcomeAt: null,
    createdAt: NOW - 2 * DAY,
    ...overrides,
  };
}

export function aPlaybook(overrides: Partial<Playbook> = {}): Playbook {
  return {
    name: 'reassure',
    version: 1,
    description: null,
    exitOn: ['returned', 'cancelled'],
    returnWindowMs: 30 * DAY,
    delayGraceMs: 2 * DAY,
    staleAfterMs: 3 * DAY,
    steps: [],
    source: 'test',
    ...overrides,
  };
}

export interface ContextOverrides extends Partial<
  Omit<DispatchContext, 'customer' | 'order' | 'step' | 'touchPoint' | 'enrollment'>
> {
  /** Sets both the step's and the touch point's channel. */
  channel?: ChannelName;
  /** Sets both the step's and the touch point's purpose. */
  purpose?: Purpose;
  customer?: Partial<Customer>;
  order?: Partial<Order>;
  enrollment?: Partial<Enrollment>;
  /** null: the playbook no longer has the step. */
  step?: Partial<Step> | null;
  touchPoint?: Partial<TouchPoint>;
}

export function aContext(overrides: ContextOverrides = {}): DispatchContext {
  const { channel, purpose, customer, order, enrollment, step, touchPoint, ...rest } = overrides;
  const shared = { ...(channel ? { channel } : {}), ...(purpose ? { purpose } : {}) };
  return {
    now: NOW,
    recentNonTransactional: [],
    recentSurveys: [],
    recentSteps: [],
    suppressed: false,
    customer: aCustomer(customer),
    order: anOrder(order),
    enrollment: anEnrollment(enrollment),
    step: step === null ? null : aStep({ ...shared, ...step }),
    touchPoint: aTouchPoint({ ...shared, ...touchPoint }),
    ...rest,
  };
}
