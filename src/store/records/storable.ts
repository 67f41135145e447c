// Values as every store keeps them, so that what intake holds in memory for later events of a
// batch equals what a read would give back, on any adapter: strings well-formed and free of NUL
// (PostgreSQL cannot store either; both become U+FFFD everywhere), -0 as 0, JSON values plain
// (copied through JSON when they are not). A number that is not finite is a bug upstream: refused.
import type { Customer, Enrollment, Order, StoredEvent, TouchPoint } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';

const MAX_DEPTH = 64;
const REPLACEMENT = '\uFFFD';

interface WellFormed {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

function cleanText(value: string): boolean {
  return (value as unknown as WellFormed).isWellFormed() && !value.includes('\u0000');
}

export function text(value: string): string {
  if (cleanText(value)) return value;
  return (value as unknown as WellFormed).toWellFormed().replaceAll('\u0000', REPLACEMENT);
}

export function textOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : text(value);
}

export function num(value: number, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${what} is not a finite number`, { field: what });
  }
  return value === 0 ? 0 : value;
}

export function numOrNull(value: number | null | undefined, what: string): number | null {
  return value === null || value === undefined ? null : num(value, what);
}

/** True when `value` is kept exactly as it is (no copy needed). */
function jsonClean(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
      return cleanText(value);
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object': {
      if (value === null) return true;
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!jsonClean(item, depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      const record = value as Record<string, unknown>;
      for (const key in record) {
        if (!cleanText(key) || !jsonClean(record[key], depth + 1)) return false;
      }
      return true;
    }
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return false;
  }
}

/** A JSON copy with every string (keys too) made storable. */
function copyJson(value: unknown): unknown {
  if (typeof value === 'string') return text(value);
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) out[text(key)] = copyJson(item);
  return out;
}

/** `value` as a JSON column gives it back. */
export function json<T>(value: T, what: string): T {
  if (jsonClean(value, 0)) return value;
  let encoded: string | undefined;
  try {
    encoded = JSON.stringify(value);
  } catch (error) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      `${what} cannot be stored as JSON`,
      { field: what },
      { cause: error },
    );
  }
  if (encoded === undefined) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${what} cannot be stored as JSON`, {
      field: what,
    });
  }
  return copyJson(JSON.parse(encoded)) as T;
}

export function storableCustomer(c: Customer): Customer {
  return {
    id: text(c.id),
    email: textOrNull(c.email),
    firstName: textOrNull(c.firstName),
    lastName: textOrNull(c.lastName),
    phone: textOrNull(c.phone),
    timezone: textOrNull(c.timezone),
    locale: textOrNull(c.locale),
    segment: c.segment,
    holdout: Boolean(c.holdout),
    temperature: num(c.temperature, 'customer.temperature'),
    openConcerns: num(c.openConcerns, 'customer.openConcerns'),
    unsubscribedAt: numOrNull(c.unsubscribedAt, 'customer.unsubscribedAt'),
    emailBouncedAt: numOrNull(c.emailBouncedAt, 'customer.emailBouncedAt'),
    attributes: json(c.attributes, 'customer.attributes'),
    createdAt: num(c.createdAt, 'customer.createdAt'),
  };
}

export function storableOrder(o: Order): Order {
  return {
    id: text(o.id),
    customerId: text(o.customerId),
    placedAt: num(o.placedAt, 'order.placedAt'),
    currency: text(o.currency),
    total: num(o.total, 'order.total'),
    segment: o.segment,
    items: json(o.items, 'order.items'),
    shipments: json(o.shipments, 'order.shipments'),
    moments: json(o.moments, 'order.moments'),
    attributes: json(o.attributes, 'order.attributes'),
    updatedAt: num(o.updatedAt, 'order.updatedAt'),
  };
}

export function storableEvent(e: StoredEvent): StoredEvent {
  return {
    id: text(e.id),
    customerId: text(e.customerId),
    orderId: textOrNull(e.orderId),
    type: e.type,
    at: num(e.at, 'event.at'),
    data: json(e.data, 'event.data'),
    receivedAt: num(e.receivedAt, 'event.receivedAt'),
  };
}

export function storableEnrollment(e: Enrollment): Enrollment {
  return {
    id: text(e.id),
    customerId: text(e.customerId),
    orderId: text(e.orderId),
    playbook: text(e.playbook),
    playbookVersion: num(e.playbookVersion, 'enrollment.playbookVersion'),
    holdout: Boolean(e.holdout),
    status: e.status,
    endedReason: textOrNull(e.endedReason),
    enrolledAt: num(e.enrolledAt, 'enrollment.enrolledAt'),
  };
}

export function storableTouchPoint(t: TouchPoint): TouchPoint {
  return {
    id: text(t.id),
    enrollmentId: text(t.enrollmentId),
    customerId: text(t.customerId),
    orderId: text(t.orderId),
    playbook: text(t.playbook),
    playbookVersion: num(t.playbookVersion, 'touchPoint.playbookVersion'),
    stepKey: text(t.stepKey),
    channel: t.channel,
    purpose: t.purpose,
    holdout: Boolean(t.holdout),
    dueAt: num(t.dueAt, 'touchPoint.dueAt'),
    status: t.status,
    attempt: num(t.attempt, 'touchPoint.attempt'),
    leaseUntil: numOrNull(t.leaseUntil, 'touchPoint.leaseUntil'),
    reason: t.reason === null ? null : { code: t.reason.code, detail: textOrNull(t.reason.detail) },
    outcomeAt: numOrNull(t.outcomeAt, 'touchPoint.outcomeAt'),
    createdAt: num(t.createdAt, 'touchPoint.createdAt'),
  };
}

/** Code point order: how both databases compare keys (SQLite BINARY, PostgreSQL "C"). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}
