// Records as the memory store keeps them: built field by field, as a database row reads back,
// and deeply frozen. The store replaces a record instead of changing it, so what it hands out
// never changes under the caller, and a caller cannot change the store. A value that is deeply
// frozen already cannot change either, so it is kept as it is rather than copied again.
import type { Customer, Enrollment, Order, StoredEvent, Task, TouchPoint } from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';
import type { Reason } from '../../core/reasons.js';
import type { StoredEnrollment, StoredOrder } from '../intake/batch.js';
import { enrollmentIdOf, type PlanEntry } from '../records/plan.js';

/** A deeply frozen plain JSON value (records/storable.ts made it plain): `value` itself if it is one. */
export function frozenJson<T>(value: T): T {
  return deeplyFrozen(value) ? value : copied(value);
}

/** Whether nothing in `value` can change (walked without allocating: most values come back unchanged). */
function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!deeplyFrozen(value[i])) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) if (!deeplyFrozen(record[key])) return false;
  return true;
}

/** A frozen copy of `value`, sharing the parts of it that are deeply frozen already. */
function copied<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = frozenJson<unknown>(value[i]);
    return Object.freeze(out) as T;
  }
  const record = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in record) put(out, key, frozenJson(record[key]));
  return Object.freeze(out) as T;
}

/** `__proto__` from JSON is an ordinary key; assigning it would set the prototype instead. */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

export function ownedReason(reason: Reason | null): Reason | null {
  if (reason === null || (Object.isFrozen(reason) && reason.detail !== undefined)) return reason;
  return Object.freeze({ code: reason.code, detail: reason.detail ?? null });
}

export function ownedCustomer(c: Customer): Customer {
  return Object.freeze({
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    timezone: c.timezone,
    locale: c.locale,
    segment: c.segment,
    holdout: c.holdout,
    temperature: c.temperature,
    temperatureReasons: frozenJson(c.temperatureReasons),
    openConcerns: c.openConcerns,
    awaitingPersonSince: c.awaitingPersonSince,
    lastNps: c.lastNps,
    engagedAt: c.engagedAt,
    preferences: frozenJson(c.preferences),
    unsubscribedAt: c.unsubscribedAt,
    emailBouncedAt: c.emailBouncedAt,
    orderCount: c.orderCount,
    lastOrderId: c.lastOrderId,
    attributes: frozenJson(c.attributes),
    createdAt: c.createdAt,
  });
}

export function ownedOrder(o: Order): Order {
  return Object.freeze({
    id: o.id,
    customerId: o.customerId,
    number: o.number,
    shippingAddress: o.shippingAddress === null ? null : frozenJson(o.shippingAddress),
    placedAt: o.placedAt,
    currency: o.currency,
    total: o.total,
    segment: o.segment,
    kind: o.kind,
    renewalPeriod: o.renewalPeriod,
    renewalCycle: o.renewalCycle,
    items: frozenJson(o.items),
    shipments: frozenJson(o.shipments),
    moments: frozenJson(o.moments),
    sequence: o.sequence,
    attributes: frozenJson(o.attributes),
    updatedAt: o.updatedAt,
  });
}

export function ownedEvent(e: StoredEvent): StoredEvent {
  return Object.freeze({
    id: e.id,
    customerId: e.customerId,
    orderId: e.orderId,
    type: e.type,
    at: e.at,
    data: frozenJson(e.data),
    receivedAt: e.receivedAt,
  });
}

/** Events kept with an order belong to it, whatever they said (as records/embedded.ts reads them back). */
export function ownedStoredOrder(s: StoredOrder): StoredOrder {
  const order = ownedOrder(s.order);
  const embedded = s.embedded.map((e) =>
    Object.isFrozen(e) &&
    e.customerId === order.customerId &&
    e.orderId === order.id &&
    frozenJson(e.data) === e.data
      ? e
      : ownedEvent({ ...e, customerId: order.customerId, orderId: order.id }),
  );
  return Object.freeze({ order, embedded: Object.freeze(embedded) as StoredEvent[] });
}

function ownedPlanEntry(e: PlanEntry): PlanEntry {
  if (Object.isFrozen(e) && ownedReason(e.reason) === e.reason) return e;
  return Object.freeze({
    step: e.step,
    channel: e.channel,
    purpose: e.purpose,
    dueAt: e.dueAt,
    createdAt: e.createdAt,
    status: e.status,
    reason: ownedReason(e.reason),
    outcomeAt: e.outcomeAt,
  });
}

/** The id is derived from playbook and order, as every store keys enrollments. */
export function ownedEnrollment(e: Enrollment): Enrollment {
  return Object.freeze({
    id: enrollmentIdOf(e.playbook, e.orderId),
    customerId: e.customerId,
    orderId: e.orderId,
    playbook: e.playbook,
    playbookVersion: e.playbookVersion,
    holdout: e.holdout,
    status: e.status,
    endedReason: e.endedReason,
    enrolledAt: e.enrolledAt,
  });
}

export function ownedStoredEnrollment(enrollment: Enrollment, plan: readonly PlanEntry[]): StoredEnrollment {
  return replanned(ownedEnrollment(enrollment), plan);
}

/** `enrollment` is the store's own already; the plan's unchanged entries are kept as they are. */
export function replanned(enrollment: Enrollment, plan: readonly PlanEntry[]): StoredEnrollment {
  return Object.freeze({ enrollment, plan: Object.freeze(plan.map(ownedPlanEntry)) as PlanEntry[] });
}

export function ownedTouchPoint(t: TouchPoint): TouchPoint {
  return Object.freeze({
    id: t.id,
    enrollmentId: enrollmentIdOf(t.playbook, t.orderId),
    customerId: t.customerId,
    orderId: t.orderId,
    playbook: t.playbook,
    playbookVersion: t.playbookVersion,
    stepKey: t.stepKey,
    channel: t.channel,
    purpose: t.purpose,
    holdout: t.holdout,
    dueAt: t.dueAt,
    status: t.status,
    attempt: t.attempt,
    leaseUntil: t.leaseUntil,
    reason: ownedReason(t.reason),
    outcomeAt: t.outcomeAt,
    createdAt: t.createdAt,
  });
}

/** The store's own enrollment with the plan's entry `index` replaced by a new one of the store's own making. */
export function withEntry(stored: StoredEnrollment, index: number, entry: PlanEntry): StoredEnrollment {
  const plan = stored.plan.slice();
  plan[index] = Object.freeze(entry);
  return Object.freeze({ enrollment: stored.enrollment, plan: Object.freeze(plan) as PlanEntry[] });
}

type Changeable = Pick<TouchPoint, 'dueAt' | 'status' | 'attempt' | 'leaseUntil' | 'reason' | 'outcomeAt'>;

/**
 * The store's own touch point with some fields changed (to plain values or owned reasons). Built
 * as one literal, like ownedTouchPoint, so every stored touch point has the same shape.
 */
export function changed(t: TouchPoint, c: Partial<Changeable>): TouchPoint {
  return Object.freeze({
    id: t.id,
    enrollmentId: t.enrollmentId,
    customerId: t.customerId,
    orderId: t.orderId,
    playbook: t.playbook,
    playbookVersion: t.playbookVersion,
    stepKey: t.stepKey,
    channel: t.channel,
    purpose: t.purpose,
    holdout: t.holdout,
    dueAt: c.dueAt ?? t.dueAt,
    status: c.status ?? t.status,
    attempt: c.attempt ?? t.attempt,
    leaseUntil: c.leaseUntil === undefined ? t.leaseUntil : c.leaseUntil,
    reason: c.reason === undefined ? t.reason : c.reason,
    outcomeAt: c.outcomeAt === undefined ? t.outcomeAt : c.outcomeAt,
    createdAt: t.createdAt,
  });
}

export function ownedTask(t: Task): Task {
  return Object.freeze({
    id: t.id,
    touchPointId: t.touchPointId,
    customerId: t.customerId,
    orderId: t.orderId,
    concernId: t.concernId,
    kind: t.kind,
    title: t.title,
    script: t.script,
    dueAt: t.dueAt,
    owner: t.owner,
    status: t.status,
    outcome: t.outcome,
    notes: t.notes,
    createdAt: t.createdAt,
    completedAt: t.completedAt,
  });
}

export function ownedConcern(c: Concern): Concern {
  return Object.freeze({
    id: c.id,
    customerId: c.customerId,
    orderId: c.orderId,
    source: c.source,
    severity: c.severity,
    summary: c.summary,
    status: c.status,
    level: c.level,
    owner: c.owner,
    openedAt: c.openedAt,
    acknowledgedAt: c.acknowledgedAt,
    resolvedAt: c.resolvedAt,
    resolution: c.resolution,
    escalations: frozenJson(c.escalations.map((e) => ({ level: e.level, at: e.at }))),
    nextEscalationAt: c.nextEscalationAt,
    sourceEventId: c.sourceEventId,
  });
}
