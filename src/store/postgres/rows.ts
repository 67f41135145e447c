// Row <-> domain mapping for the PostgreSQL tables. The pool parses bigint as number (epoch
// milliseconds fit in 2^53) and jsonb as objects, so mapping is a rename of fields.
import type { Reason } from '../../core/reasons.js';
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

export interface CustomerRow {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  phone: string | null;
  timezone: string | null;
  locale: string | null;
  segment: string;
  holdout: boolean;
  temperature: number;
  open_concerns: number;
  unsubscribed_at: number | null;
  email_bounced_at: number | null;
  attributes: Record<string, unknown>;
  created_at: number;
}

/** Columns in write order (email_lower is derived from email when writing). */
export const CUSTOMER_COLUMNS = [
  'id',
  'email',
  'email_lower',
  'first_name',
  'last_name',
  'phone',
  'timezone',
  'locale',
  'segment',
  'holdout',
  'temperature',
  'open_concerns',
  'unsubscribed_at',
  'email_bounced_at',
  'attributes',
  'created_at',
] as const;
export const CUSTOMER_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'text',
  'boolean',
  'double precision',
  'integer',
  'bigint',
  'bigint',
  'jsonb',
  'bigint',
] as const;

export function customerFromRow(row: CustomerRow): Customer {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    phone: row.phone,
    timezone: row.timezone,
    locale: row.locale,
    segment: row.segment as Segment,
    holdout: row.holdout,
    temperature: row.temperature,
    openConcerns: row.open_concerns,
    unsubscribedAt: row.unsubscribed_at,
    emailBouncedAt: row.email_bounced_at,
    attributes: row.attributes,
    createdAt: row.created_at,
  };
}

export type Cell = string | number | boolean | null;

export function customerValues(c: Customer): Cell[] {
  return [
    c.id,
    c.email,
    c.email === null ? null : c.email.toLowerCase(),
    c.firstName,
    c.lastName,
    c.phone,
    c.timezone,
    c.locale,
    c.segment,
    c.holdout,
    c.temperature,
    c.openConcerns,
    c.unsubscribedAt,
    c.emailBouncedAt,
    JSON.stringify(c.attributes),
    c.createdAt,
  ];
}

export interface OrderRow {
  id: string;
  customer_id: string;
  placed_at: number;
  currency: string;
  total: number;
  segment: string;
  items: LineItem[];
  shipments: Shipment[];
  moments: Moments;
  attributes: Record<string, unknown>;
  updated_at: number;
}

export const ORDER_COLUMNS = [
  'id',
  'customer_id',
  'placed_at',
  'currency',
  'total',
  'segment',
  'items',
  'shipments',
  'moments',
  'attributes',
  'updated_at',
] as const;
export const ORDER_TYPES = [
  'text',
  'text',
  'bigint',
  'text',
  'double precision',
  'text',
  'jsonb',
  'jsonb',
  'jsonb',
  'jsonb',
  'bigint',
] as const;

export function orderFromRow(row: OrderRow): Order {
  return {
    id: row.id,
    customerId: row.customer_id,
    placedAt: row.placed_at,
    currency: row.currency,
    total: row.total,
    segment: row.segment as Segment,
    items: row.items,
    shipments: row.shipments,
    moments: row.moments,
    attributes: row.attributes,
    updatedAt: row.updated_at,
  };
}

export function orderValues(o: Order): Cell[] {
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

export interface EventRow {
  id: string;
  customer_id: string;
  order_id: string | null;
  type: string;
  at: number;
  data: Record<string, unknown>;
  received_at: number;
}

export const EVENT_COLUMNS = ['id', 'customer_id', 'order_id', 'type', 'at', 'data', 'received_at'] as const;

export function eventFromRow(row: EventRow): StoredEvent {
  return {
    id: row.id,
    customerId: row.customer_id,
    orderId: row.order_id,
    type: row.type as EventType,
    at: row.at,
    data: row.data,
    receivedAt: row.received_at,
  };
}

export function eventValues(e: StoredEvent): Cell[] {
  return [e.id, e.customerId, e.orderId, e.type, e.at, JSON.stringify(e.data), e.receivedAt];
}

export interface EnrollmentRow {
  id: string;
  customer_id: string;
  order_id: string;
  playbook: string;
  playbook_version: number;
  holdout: boolean;
  status: string;
  ended_reason: string | null;
  enrolled_at: number;
}

export const ENROLLMENT_COLUMNS = [
  'id',
  'customer_id',
  'order_id',
  'playbook',
  'playbook_version',
  'holdout',
  'status',
  'ended_reason',
  'enrolled_at',
] as const;
export const ENROLLMENT_TYPES = [
  'text',
  'text',
  'text',
  'text',
  'integer',
  'boolean',
  'text',
  'text',
  'bigint',
] as const;

export function enrollmentFromRow(row: EnrollmentRow): Enrollment {
  return {
    id: row.id,
    customerId: row.customer_id,
    orderId: row.order_id,
    playbook: row.playbook,
    playbookVersion: row.playbook_version,
    holdout: row.holdout,
    status: row.status as Enrollment['status'],
    endedReason: row.ended_reason,
    enrolledAt: row.enrolled_at,
  };
}

export function enrollmentValues(e: Enrollment): Cell[] {
  return [
    e.id,
    e.customerId,
    e.orderId,
    e.playbook,
    e.playbookVersion,
    e.holdout,
    e.status,
    e.endedReason,
    e.enrolledAt,
  ];
}

export interface TouchPointRow {
  id: string;
  enrollment_id: string;
  customer_id: string;
  order_id: string;
  playbook: string;
  playbook_version: number;
  step_key: string;
  channel: string;
  purpose: string;
  holdout: boolean;
  due_at: number;
  status: string;
  attempt: number;
  lease_until: number | null;
  reason: string | null;
  outcome_at: number | null;
  created_at: number;
}

/** The columns a TouchPoint is read from (claimed_by and provider_id are adapter bookkeeping). */
export const TOUCH_POINT_READ =
  'id, enrollment_id, customer_id, order_id, playbook, playbook_version, step_key, channel, purpose, ' +
  'holdout, due_at, status, attempt, lease_until, reason, outcome_at, created_at';

export const TOUCH_POINT_COLUMNS = [
  'id',
  'enrollment_id',
  'customer_id',
  'order_id',
  'playbook',
  'playbook_version',
  'step_key',
  'channel',
  'purpose',
  'priority',
  'holdout',
  'due_at',
  'status',
  'attempt',
  'lease_until',
  'reason',
  'outcome_at',
  'created_at',
] as const;

export function touchPointFromRow(row: TouchPointRow): TouchPoint {
  return {
    id: row.id,
    enrollmentId: row.enrollment_id,
    customerId: row.customer_id,
    orderId: row.order_id,
    playbook: row.playbook,
    playbookVersion: row.playbook_version,
    stepKey: row.step_key,
    channel: row.channel as ChannelName,
    purpose: row.purpose as Purpose,
    holdout: row.holdout,
    dueAt: row.due_at,
    status: row.status as TouchPointStatus,
    attempt: row.attempt,
    leaseUntil: row.lease_until,
    reason: row.reason as unknown as Reason | null,
    outcomeAt: row.outcome_at,
    createdAt: row.created_at,
  };
}

export function touchPointValues(t: TouchPoint, priority: number): Cell[] {
  return [
    t.id,
    t.enrollmentId,
    t.customerId,
    t.orderId,
    t.playbook,
    t.playbookVersion,
    t.stepKey,
    t.channel,
    t.purpose,
    priority,
    t.holdout,
    t.dueAt,
    t.status,
    t.attempt,
    t.leaseUntil,
    t.reason as unknown as string | null,
    t.outcomeAt,
    t.createdAt,
  ];
}

export interface TaskRow {
  id: string;
  touch_point_id: string;
  customer_id: string;
  order_id: string;
  kind: string;
  title: string;
  script: string;
  due_at: number;
  owner: string | null;
  status: string;
  outcome: string | null;
  notes: string | null;
  created_at: number;
  completed_at: number | null;
}

export const TASK_COLUMNS =
  'id, touch_point_id, customer_id, order_id, kind, title, script, due_at, owner, status, outcome, notes, ' +
  'created_at, completed_at';

export function taskFromRow(row: TaskRow): Task {
  return {
    id: row.id,
    touchPointId: row.touch_point_id,
    customerId: row.customer_id,
    orderId: row.order_id,
    kind: row.kind as TaskKind,
    title: row.title,
    script: row.script,
    dueAt: row.due_at,
    owner: row.owner,
    status: row.status as Task['status'],
    outcome: row.outcome,
    notes: row.notes,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}

export function taskValues(t: Task): Cell[] {
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

/** `$1, $2, ...` */
export function params(n: number, from = 1): string {
  return Array.from({ length: n }, (_, i) => `$${i + from}`).join(', ');
}
