// Row <-> domain mapping for both SQL dialects, written once: the builder's reads and the
// hand-written hot paths hand the same row objects to these functions.
import type {
  ChannelName,
  RenewalPeriod,
  SaleKind,
  Customer,
  EventType,
  LineItem,
  Moments,
  Order,
  Purpose,
  Segment,
  Shipment,
  ShippingAddress,
  StoredEvent,
  Task,
  TaskKind,
  TouchPoint,
  TouchPointStatus,
} from '../../core/domain.js';
import { nameKeyOf } from '../../core/nameKey.js';
import type { ReasonCode } from '../../core/reasons.js';
import type { StoredEnrollment, StoredOrder } from '../intake/batch.js';
import { normalizedEmail } from '../intake/lookup.js';
import { API_SCOPES, type ApiKey, type ApiScope } from '../ports/access.js';
import { purposePriority } from '../priority.js';
import { decodeEmbedded, encodeEmbedded } from '../records/embedded.js';
import { decodePlan, encodePlan, enrollmentIdOf, planNext } from '../records/plan.js';
import type {
  Concern,
  ConcernSource,
  ConcernStatus,
  Escalation,
  Severity,
} from '../../core/listening/types.js';
import type {
  ApiKeysTable,
  ConcernsTable,
  CustomersTable,
  EnrollmentsTable,
  EventsTable,
  OrdersTable,
  TasksTable,
  TouchPointsTable,
} from './tables.js';
import { isListened } from '../../core/listening/heard.js';
import { bool, readBool, readJson, readPreferences, readReasons } from './values.js';

type Row<T> = { [K in keyof T]: T[K] extends { __select__: infer S } ? S : T[K] };
type Insert<T> = { [K in keyof T]: T[K] extends { __insert__: infer I } ? I : T[K] };

export type CustomerRow = Row<CustomersTable>;
export type OrderRow = Row<OrdersTable>;
export type EventRow = Row<EventsTable>;
export type EnrollmentRow = Row<EnrollmentsTable>;
export type TouchPointRow = Row<TouchPointsTable>;
export type TaskRow = Row<TasksTable>;
export type ConcernRow = Row<ConcernsTable>;

export function customerFromRow(r: CustomerRow): Customer {
  return {
    id: r.id,
    email: r.email,
    firstName: r.first_name,
    lastName: r.last_name,
    phone: r.phone,
    timezone: r.timezone,
    locale: r.locale,
    segment: r.segment as Segment,
    holdout: readBool(r.holdout),
    temperature: r.temperature,
    temperatureReasons: readReasons(r.temperature_reasons),
    openConcerns: r.open_concerns,
    awaitingPersonSince: r.awaiting_person_since,
    lastNps: r.last_nps,
    engagedAt: r.engaged_at,
    preferences: readPreferences(r.preferences),
    unsubscribedAt: r.unsubscribed_at,
    emailBouncedAt: r.email_bounced_at,
    orderCount: r.order_count,
    lastOrderId: r.last_order_id,
    attributes: readJson<Record<string, unknown>>(r.attributes),
    createdAt: r.created_at,
  };
}

export function customerRow(c: Customer): Insert<CustomersTable> {
  return {
    id: c.id,
    email: c.email,
    email_lower: normalizedEmail(c.email),
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    timezone: c.timezone,
    locale: c.locale,
    segment: c.segment,
    holdout: bool(c.holdout),
    temperature: c.temperature,
    temperature_reasons: JSON.stringify(c.temperatureReasons),
    open_concerns: c.openConcerns,
    awaiting_person_since: c.awaitingPersonSince,
    last_nps: c.lastNps,
    engaged_at: c.engagedAt,
    preferences: JSON.stringify(c.preferences),
    unsubscribed_at: c.unsubscribedAt,
    email_bounced_at: c.emailBouncedAt,
    order_count: c.orderCount,
    last_order_id: c.lastOrderId,
    attributes: JSON.stringify(c.attributes),
    created_at: c.createdAt,
    name_key: nameKeyOf(c.firstName, c.lastName),
  };
}

export function orderFromRow(r: OrderRow): Order {
  return {
    id: r.id,
    customerId: r.customer_id,
    number: r.order_number,
    shippingAddress: r.shipping_address === null ? null : readJson<ShippingAddress>(r.shipping_address),
    placedAt: r.placed_at,
    currency: r.currency,
    total: r.total,
    segment: r.segment as Segment,
    kind: r.kind as SaleKind,
    renewalPeriod: r.renewal_period as RenewalPeriod | null,
    renewalCycle: r.renewal_cycle,
    items: readJson<LineItem[]>(r.items),
    shipments: readJson<Shipment[]>(r.shipments),
    moments: readJson<Moments>(r.moments),
    sequence: r.sequence,
    attributes: readJson<Record<string, unknown>>(r.attributes),
    updatedAt: r.updated_at,
  };
}

export function storedOrderFromRow(r: OrderRow): StoredOrder {
  return { order: orderFromRow(r), embedded: decodeEmbedded(r.embedded_events, r.customer_id, r.id) };
}

export function orderRow(o: StoredOrder): Insert<OrdersTable> {
  const { order } = o;
  return {
    id: order.id,
    customer_id: order.customerId,
    placed_at: order.placedAt,
    currency: order.currency,
    total: order.total,
    segment: order.segment,
    items: JSON.stringify(order.items),
    shipments: JSON.stringify(order.shipments),
    moments: JSON.stringify(order.moments),
    sequence: order.sequence,
    attributes: JSON.stringify(order.attributes),
    embedded_events: encodeEmbedded(o.embedded),
    updated_at: order.updatedAt,
    order_number: order.number,
    shipping_address: order.shippingAddress === null ? null : JSON.stringify(order.shippingAddress),
    kind: order.kind,
    renewal_period: order.renewalPeriod,
    renewal_cycle: order.renewalCycle,
  };
}

export function eventFromRow(r: EventRow): StoredEvent {
  return {
    id: r.id,
    customerId: r.customer_id,
    orderId: r.order_id,
    type: r.type as EventType,
    at: r.at,
    data: readJson<Record<string, unknown>>(r.data),
    receivedAt: r.received_at,
  };
}

export function eventRow(e: StoredEvent): Insert<EventsTable> {
  return {
    id: e.id,
    customer_id: e.customerId,
    order_id: e.orderId,
    type: e.type,
    at: e.at,
    data: JSON.stringify(e.data),
    received_at: e.receivedAt,
    heard_at: isListened(e.type) ? null : e.receivedAt,
  };
}

export function enrollmentFromRow(r: EnrollmentRow): StoredEnrollment {
  return {
    enrollment: {
      id: enrollmentIdOf(r.playbook, r.order_id),
      customerId: r.customer_id,
      orderId: r.order_id,
      playbook: r.playbook,
      playbookVersion: r.playbook_version,
      holdout: readBool(r.holdout),
      status: r.status as 'active' | 'ended',
      endedReason: r.ended_reason,
      enrolledAt: r.enrolled_at,
    },
    plan: decodePlan(r.plan),
  };
}

export function enrollmentRow(s: StoredEnrollment): Insert<EnrollmentsTable> {
  const e = s.enrollment;
  const next = planNext(e.id, s.plan);
  return {
    order_id: e.orderId,
    playbook: e.playbook,
    customer_id: e.customerId,
    playbook_version: e.playbookVersion,
    holdout: bool(e.holdout),
    status: e.status,
    ended_reason: e.endedReason,
    enrolled_at: e.enrolledAt,
    plan: encodePlan(s.plan),
    next_due_at: next?.dueAt ?? null,
    next_priority: next?.priority ?? null,
    next_key: next?.key ?? null,
  };
}

export function touchPointFromRow(r: TouchPointRow): TouchPoint {
  return {
    id: r.id,
    enrollmentId: enrollmentIdOf(r.playbook, r.order_id),
    customerId: r.customer_id,
    orderId: r.order_id,
    playbook: r.playbook,
    playbookVersion: r.playbook_version,
    stepKey: r.step_key,
    channel: r.channel as ChannelName,
    purpose: r.purpose as Purpose,
    holdout: readBool(r.holdout),
    dueAt: r.due_at,
    status: r.status as TouchPointStatus,
    attempt: r.attempt,
    leaseUntil: r.lease_until,
    reason: r.reason === null ? null : { code: r.reason as ReasonCode, detail: r.reason_detail },
    outcomeAt: r.outcome_at,
    createdAt: r.created_at,
  };
}

export function touchPointRow(t: TouchPoint, claimedBy: string | null): Insert<TouchPointsTable> {
  return {
    id: t.id,
    order_id: t.orderId,
    playbook: t.playbook,
    step_key: t.stepKey,
    customer_id: t.customerId,
    playbook_version: t.playbookVersion,
    channel: t.channel,
    purpose: t.purpose,
    priority: purposePriority(t.purpose),
    holdout: bool(t.holdout),
    due_at: t.dueAt,
    status: t.status,
    attempt: t.attempt,
    lease_until: t.leaseUntil,
    claimed_by: claimedBy,
    reason: t.reason?.code ?? null,
    reason_detail: t.reason?.detail ?? null,
    outcome_at: t.outcomeAt,
    provider_id: null,
    created_at: t.createdAt,
  };
}

/** The columns a scheduled touch point changes when it is moved or cancelled (by hand or by intake). */
export function scheduleChangeRow(t: TouchPoint) {
  return {
    due_at: t.dueAt,
    status: t.status,
    reason: t.reason?.code ?? null,
    reason_detail: t.reason?.detail ?? null,
    outcome_at: t.outcomeAt,
    lease_until: t.leaseUntil,
  };
}

export function taskFromRow(r: TaskRow): Task {
  return {
    id: r.id,
    touchPointId: r.touch_point_id,
    customerId: r.customer_id,
    orderId: r.order_id,
    concernId: r.concern_id,
    kind: r.kind as TaskKind,
    title: r.title,
    script: r.script,
    dueAt: r.due_at,
    owner: r.owner,
    status: r.status as Task['status'],
    outcome: r.outcome,
    notes: r.notes,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  };
}

export function taskRow(t: Task): Insert<TasksTable> {
  return {
    id: t.id,
    touch_point_id: t.touchPointId,
    customer_id: t.customerId,
    order_id: t.orderId,
    concern_id: t.concernId,
    kind: t.kind,
    title: t.title,
    script: t.script,
    due_at: t.dueAt,
    owner: t.owner,
    status: t.status,
    outcome: t.outcome,
    notes: t.notes,
    created_at: t.createdAt,
    completed_at: t.completedAt,
    // A new task was never printed; only TaskStore.markPrinted sets it.
    printed_at: null,
  };
}

export function concernFromRow(r: ConcernRow): Concern {
  return {
    id: r.id,
    customerId: r.customer_id,
    orderId: r.order_id,
    source: r.source as ConcernSource,
    severity: r.severity as Severity,
    summary: r.summary,
    status: r.status as ConcernStatus,
    level: r.level,
    owner: r.owner,
    openedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
    escalations: readJson<Escalation[]>(r.escalations),
    nextEscalationAt: r.next_escalation_at,
    sourceEventId: r.source_event_id,
  };
}

export function concernRow(c: Concern): Insert<ConcernsTable> {
  return {
    id: c.id,
    customer_id: c.customerId,
    order_id: c.orderId,
    source: c.source,
    severity: c.severity,
    summary: c.summary,
    status: c.status,
    level: c.level,
    owner: c.owner,
    opened_at: c.openedAt,
    acknowledged_at: c.acknowledgedAt,
    resolved_at: c.resolvedAt,
    resolution: c.resolution,
    escalations: JSON.stringify(c.escalations),
    next_escalation_at: c.nextEscalationAt,
    source_event_id: c.sourceEventId,
  };
}

export function apiKeyFromRow(r: ApiKeysTable): ApiKey {
  return {
    id: r.id,
    name: r.name,
    hash: r.hash,
    scopes: scopesFromColumn(r.scopes),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

/** The scopes column; anything it holds that is no scope (a hand edit) grants nothing. */
function scopesFromColumn(text: string): ApiScope[] {
  let parsed: unknown = [];
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: no scope.
  }
  const listed: unknown[] = Array.isArray(parsed) ? parsed : [];
  return API_SCOPES.filter((scope) => listed.includes(scope));
}
