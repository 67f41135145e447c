// Row <-> domain mapping for the SQLite tables. Rows are read in raw mode (arrays in column
// order: about twice as fast as objects in better-sqlite3) and bound positionally. Booleans are
// 0/1, JSON columns text. Each *_COLUMNS list and its row tuple keep the same order.
import type { Reason } from '../../core/reasons.js';
import type Database from 'better-sqlite3';
import type {
  ChannelName,
  Customer,
  Enrollment,
  EventType,
  LineItem,
  Moments,
  Order,
  Purpose,
  Segment,
  Shipment,
  StoredEvent,
  Task,
  TaskKind,
  TouchPoint,
  TouchPointStatus,
} from '../../core/domain.js';
import { normalizedEmail } from '../intakeLookup.js';
import { purposePriority } from '../priority.js';

export type SqlValue = string | number | null;

export const CUSTOMER_COLUMNS =
  'id, email, email_lower, first_name, last_name, phone, timezone, locale, segment, holdout, temperature, ' +
  'open_concerns, unsubscribed_at, email_bounced_at, attributes, created_at';

export type CustomerRow = [
  id: string,
  email: string | null,
  emailLower: string | null,
  firstName: string | null,
  lastName: string | null,
  phone: string | null,
  timezone: string | null,
  locale: string | null,
  segment: string,
  holdout: number,
  temperature: number,
  openConcerns: number,
  unsubscribedAt: number | null,
  emailBouncedAt: number | null,
  attributes: string,
  createdAt: number,
];

export function customerFromRow(row: CustomerRow): Customer {
  const [
    id,
    email,
    ,
    firstName,
    lastName,
    phone,
    timezone,
    locale,
    segment,
    holdout,
    temperature,
    openConcerns,
    unsubscribedAt,
    emailBouncedAt,
    attributes,
    createdAt,
  ] = row;
  return {
    id,
    email,
    firstName,
    lastName,
    phone,
    timezone,
    locale,
    segment: segment as Segment,
    holdout: holdout === 1,
    temperature,
    openConcerns,
    unsubscribedAt,
    emailBouncedAt,
    attributes: JSON.parse(attributes) as Record<string, unknown>,
    createdAt,
  };
}

export function customerParams(c: Customer): CustomerRow {
  return [
    c.id,
    c.email,
    normalizedEmail(c.email),
    c.firstName,
    c.lastName,
    c.phone,
    c.timezone,
    c.locale,
    c.segment,
    c.holdout ? 1 : 0,
    c.temperature,
    c.openConcerns,
    c.unsubscribedAt,
    c.emailBouncedAt,
    JSON.stringify(c.attributes),
    c.createdAt,
  ];
}

export const ORDER_COLUMNS =
  'id, customer_id, placed_at, currency, total, segment, items, shipments, moments, attributes, updated_at';

export type OrderRow = [
  id: string,
  customerId: string,
  placedAt: number,
  currency: string,
  total: number,
  segment: string,
  items: string,
  shipments: string,
  moments: string,
  attributes: string,
  updatedAt: number,
];

export function orderFromRow(row: OrderRow): Order {
  const [
    id,
    customerId,
    placedAt,
    currency,
    total,
    segment,
    items,
    shipments,
    moments,
    attributes,
    updatedAt,
  ] = row;
  return {
    id,
    customerId,
    placedAt,
    currency,
    total,
    segment: segment as Segment,
    items: JSON.parse(items) as LineItem[],
    shipments: JSON.parse(shipments) as Shipment[],
    moments: JSON.parse(moments) as Moments,
    attributes: JSON.parse(attributes) as Record<string, unknown>,
    updatedAt,
  };
}

export function orderParams(o: Order): OrderRow {
  return [
    o.id,
    o.customerId,
    o.placedAt,
    o.currency,
    o.total,
    o.segment,
    JSON.stringify(o.items),
    JSON.stringify(o.shipments),
    JSON.stringify(o.moments),
    JSON.stringify(o.attributes),
    o.updatedAt,
  ];
}

export const EVENT_COLUMNS = 'id, customer_id, order_id, type, at, data, received_at';

export type EventRow = [
  id: string,
  customerId: string,
  orderId: string | null,
  type: string,
  at: number,
  data: string,
  receivedAt: number,
];

export function eventFromRow(row: EventRow): StoredEvent {
  const [id, customerId, orderId, type, at, data, receivedAt] = row;
  return {
    id,
    customerId,
    orderId,
    type: type as EventType,
    at,
    data: JSON.parse(data) as Record<string, unknown>,
    receivedAt,
  };
}

export function eventParams(e: StoredEvent): EventRow {
  return [e.id, e.customerId, e.orderId, e.type, e.at, JSON.stringify(e.data), e.receivedAt];
}

export const ENROLLMENT_COLUMNS =
  'id, customer_id, order_id, playbook, playbook_version, holdout, status, ended_reason, enrolled_at';

export type EnrollmentRow = [
  id: string,
  customerId: string,
  orderId: string,
  playbook: string,
  playbookVersion: number,
  holdout: number,
  status: string,
  endedReason: string | null,
  enrolledAt: number,
];

export function enrollmentFromRow(row: EnrollmentRow): Enrollment {
  const [id, customerId, orderId, playbook, playbookVersion, holdout, status, endedReason, enrolledAt] = row;
  return {
    id,
    customerId,
    orderId,
    playbook,
    playbookVersion,
    holdout: holdout === 1,
    status: status as Enrollment['status'],
    endedReason,
    enrolledAt,
  };
}

export function enrollmentParams(e: Enrollment): EnrollmentRow {
  return [
    e.id,
    e.customerId,
    e.orderId,
    e.playbook,
    e.playbookVersion,
    e.holdout ? 1 : 0,
    e.status,
    e.endedReason,
    e.enrolledAt,
  ];
}

/** The columns a TouchPoint is read from (priority, claimed_by, provider_id are bookkeeping). */
export const TOUCH_POINT_COLUMNS =
  'id, enrollment_id, customer_id, order_id, playbook, playbook_version, step_key, channel, purpose, ' +
  'holdout, due_at, status, attempt, lease_until, reason, outcome_at, created_at';

export type TouchPointRow = [
  id: string,
  enrollmentId: string,
  customerId: string,
  orderId: string,
  playbook: string,
  playbookVersion: number,
  stepKey: string,
  channel: string,
  purpose: string,
  holdout: number,
  dueAt: number,
  status: string,
  attempt: number,
  leaseUntil: number | null,
  reason: string | null,
  outcomeAt: number | null,
  createdAt: number,
];

export function touchPointFromRow(row: TouchPointRow): TouchPoint {
  const [
    id,
    enrollmentId,
    customerId,
    orderId,
    playbook,
    playbookVersion,
    stepKey,
    channel,
    purpose,
    holdout,
    dueAt,
    status,
    attempt,
    leaseUntil,
    reason,
    outcomeAt,
    createdAt,
  ] = row;
  return {
    id,
    enrollmentId,
    customerId,
    orderId,
    playbook,
    playbookVersion,
    stepKey,
    channel: channel as ChannelName,
    purpose: purpose as Purpose,
    holdout: holdout === 1,
    dueAt,
    status: status as TouchPointStatus,
    attempt,
    leaseUntil,
    reason: reason as unknown as Reason | null,
    outcomeAt,
    createdAt,
  };
}

/** The columns a new touch point is inserted with, in `pushTouchPointParams` order. */
export const TOUCH_POINT_INSERT_COLUMNS =
  'id, enrollment_id, customer_id, order_id, playbook, playbook_version, step_key, channel, purpose, ' +
  'priority, holdout, due_at, status, attempt, lease_until, reason, outcome_at, created_at';
export const TOUCH_POINT_INSERT_WIDTH = 18;

/** Appends the insert values of `t` to `out` (so a multi-row insert binds one flat array). */
export function pushTouchPointParams(out: SqlValue[], t: TouchPoint): void {
  out.push(
    t.id,
    t.enrollmentId,
    t.customerId,
    t.orderId,
    t.playbook,
    t.playbookVersion,
    t.stepKey,
    t.channel,
    t.purpose,
    purposePriority(t.purpose),
    t.holdout ? 1 : 0,
    t.dueAt,
    t.status,
    t.attempt,
    t.leaseUntil,
    t.reason as unknown as string | null,
    t.outcomeAt,
    t.createdAt,
  );
}

export const TASK_COLUMNS =
  'id, touch_point_id, customer_id, order_id, kind, title, script, due_at, owner, status, outcome, notes, ' +
  'created_at, completed_at';

export type TaskRow = [
  id: string,
  touchPointId: string,
  customerId: string,
  orderId: string,
  kind: string,
  title: string,
  script: string,
  dueAt: number,
  owner: string | null,
  status: string,
  outcome: string | null,
  notes: string | null,
  createdAt: number,
  completedAt: number | null,
];

export function taskFromRow(row: TaskRow): Task {
  const [
    id,
    touchPointId,
    customerId,
    orderId,
    kind,
    title,
    script,
    dueAt,
    owner,
    status,
    outcome,
    notes,
    createdAt,
    completedAt,
  ] = row;
  return {
    id,
    touchPointId,
    customerId,
    orderId,
    kind: kind as TaskKind,
    title,
    script,
    dueAt,
    owner,
    status: status as Task['status'],
    outcome,
    notes,
    createdAt,
    completedAt,
  };
}

export function taskParams(t: Task): TaskRow {
  return [
    t.id,
    t.touchPointId,
    t.customerId,
    t.orderId,
    t.kind,
    t.title,
    t.script,
    t.dueAt,
    t.owner,
    t.status,
    t.outcome,
    t.notes,
    t.createdAt,
    t.completedAt,
  ];
}

/** `?, ?, ?` for `n` placeholders. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A statement whose rows come back as arrays in column order (raw mode). */
export function prepareRows<P extends unknown[], R extends unknown[]>(
  db: Database.Database,
  sql: string,
): Database.Statement<P, R> {
  return db.prepare<P, R>(sql).raw(true);
}
