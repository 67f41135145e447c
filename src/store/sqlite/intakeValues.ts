// Values as a later event of the same batch would read them back from SQLite, so that the intake
// overlay can serve them from memory: rebuilt in row order, JSON columns copied through JSON
// unless already JSON-clean. A value SQLite would not give back as it is (wrong type, NaN, -0, a
// lone surrogate in a text column) throws NotStorable and the batch runs the serial path instead.
import type { Reason } from '../../core/reasons.js';
import type {
  ChannelName,
  Customer,
  Enrollment,
  Order,
  Purpose,
  Segment,
  StoredEvent,
  TouchPoint,
  TouchPointStatus,
} from '../../core/domain.js';
import { PURPOSE_PRIORITY } from '../priority.js';

/** The overlay cannot tell what SQLite would make of a value: redo the batch one event at a time. */
export class NotStorable extends Error {
  constructor(what: string) {
    super(`intake overlay: ${what} does not round-trip through SQLite as it is`);
  }
}

interface WellFormed {
  isWellFormed(): boolean;
}

/** False when the string holds a lone surrogate (SQLite stores UTF-8: it would come back U+FFFD). */
export function isWellFormed(value: string): boolean {
  return (value as unknown as WellFormed).isWellFormed();
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || !isWellFormed(value)) throw new NotStorable(what);
  return value;
}

function textOrNull(value: unknown, what: string): string | null {
  return value === null ? null : text(value, what);
}

/** A number SQLite gives back unchanged: finite (NaN binds as NULL) and not -0 (comes back 0). */
function num(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || (value === 0 && 1 / value < 0)) {
    throw new NotStorable(what);
  }
  return value;
}

function numOrNull(value: unknown, what: string): number | null {
  return value === null ? null : num(value, what);
}

const MAX_DEPTH = 64;

/** True when JSON.parse(JSON.stringify(value)) would be a deep copy of `value`. */
function jsonClean(value: unknown, depth: number, clean: WeakSet<object>): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !(value === 0 && 1 / value < 0);
    case 'object': {
      if (value === null || clean.has(value)) return true;
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!jsonClean(value[i], depth + 1, clean)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      const record = value as Record<string, unknown>;
      for (const key in record) if (!jsonClean(record[key], depth + 1, clean)) return false;
      return true;
    }
    case 'undefined':
    case 'function':
    case 'symbol':
    case 'bigint':
      return false;
  }
}

/** `value` as the JSON column would give it back: itself when clean, else a JSON copy. */
function json<T>(value: T, what: string, clean: WeakSet<object>): T {
  if (jsonClean(value, 0, clean)) {
    if (typeof value === 'object' && value !== null) clean.add(value);
    return value;
  }
  // Cycles and BigInt throw here as they would when the row is written; undefined has no column.
  const encoded = JSON.stringify(value) as string | undefined;
  if (encoded === undefined) throw new NotStorable(what);
  return JSON.parse(encoded) as T;
}

/** Canonical copies of what the reducer returns, for one batch. */
export class StoredValues {
  /** Objects already found JSON-clean: values passed on unchanged are not walked again. */
  private readonly clean = new WeakSet<object>();

  customer(c: Customer): Customer {
    return {
      id: text(c.id, 'customer.id'),
      email: textOrNull(c.email, 'customer.email'),
      firstName: textOrNull(c.firstName, 'customer.firstName'),
      lastName: textOrNull(c.lastName, 'customer.lastName'),
      phone: textOrNull(c.phone, 'customer.phone'),
      timezone: textOrNull(c.timezone, 'customer.timezone'),
      locale: textOrNull(c.locale, 'customer.locale'),
      segment: text(c.segment, 'customer.segment') as Segment,
      holdout: Boolean(c.holdout),
      temperature: num(c.temperature, 'customer.temperature'),
      openConcerns: num(c.openConcerns, 'customer.openConcerns'),
      unsubscribedAt: numOrNull(c.unsubscribedAt, 'customer.unsubscribedAt'),
      emailBouncedAt: numOrNull(c.emailBouncedAt, 'customer.emailBouncedAt'),
      attributes: json(c.attributes, 'customer.attributes', this.clean),
      createdAt: num(c.createdAt, 'customer.createdAt'),
    };
  }

  order(o: Order): Order {
    return {
      id: text(o.id, 'order.id'),
      customerId: text(o.customerId, 'order.customerId'),
      placedAt: num(o.placedAt, 'order.placedAt'),
      currency: text(o.currency, 'order.currency'),
      total: num(o.total, 'order.total'),
      segment: text(o.segment, 'order.segment') as Segment,
      items: json(o.items, 'order.items', this.clean),
      shipments: json(o.shipments, 'order.shipments', this.clean),
      moments: json(o.moments, 'order.moments', this.clean),
      attributes: json(o.attributes, 'order.attributes', this.clean),
      updatedAt: num(o.updatedAt, 'order.updatedAt'),
    };
  }

  enrollment(e: Enrollment): Enrollment {
    return {
      id: text(e.id, 'enrollment.id'),
      customerId: text(e.customerId, 'enrollment.customerId'),
      orderId: text(e.orderId, 'enrollment.orderId'),
      playbook: text(e.playbook, 'enrollment.playbook'),
      playbookVersion: num(e.playbookVersion, 'enrollment.playbookVersion'),
      holdout: Boolean(e.holdout),
      status: text(e.status, 'enrollment.status') as Enrollment['status'],
      endedReason: textOrNull(e.endedReason, 'enrollment.endedReason'),
      enrolledAt: num(e.enrolledAt, 'enrollment.enrolledAt'),
    };
  }

  touchPoint(t: TouchPoint): TouchPoint {
    return {
      id: text(t.id, 'touchPoint.id'),
      enrollmentId: text(t.enrollmentId, 'touchPoint.enrollmentId'),
      customerId: text(t.customerId, 'touchPoint.customerId'),
      orderId: text(t.orderId, 'touchPoint.orderId'),
      playbook: text(t.playbook, 'touchPoint.playbook'),
      playbookVersion: num(t.playbookVersion, 'touchPoint.playbookVersion'),
      stepKey: text(t.stepKey, 'touchPoint.stepKey'),
      channel: text(t.channel, 'touchPoint.channel') as ChannelName,
      purpose: text(t.purpose, 'touchPoint.purpose') as Purpose,
      holdout: Boolean(t.holdout),
      dueAt: num(t.dueAt, 'touchPoint.dueAt'),
      status: text(t.status, 'touchPoint.status') as TouchPointStatus,
      attempt: num(t.attempt, 'touchPoint.attempt'),
      leaseUntil: numOrNull(t.leaseUntil, 'touchPoint.leaseUntil'),
      reason: textOrNull(t.reason, 'touchPoint.reason') as Reason | null,
      outcomeAt: numOrNull(t.outcomeAt, 'touchPoint.outcomeAt'),
      createdAt: num(t.createdAt, 'touchPoint.createdAt'),
    };
  }
}

/** The priority column a new touch point is inserted with (an unknown purpose has none). */
export function insertPriority(t: TouchPoint): number {
  const priority = PURPOSE_PRIORITY[t.purpose] as number | undefined;
  if (priority === undefined) throw new NotStorable('touchPoint.purpose');
  return priority;
}

/** What a duplicate of this event reports, as the events row would give it back. */
export function storedEventKey(e: StoredEvent): { id: string; customerId: string; orderId: string | null } {
  return {
    id: text(e.id, 'event.id'),
    customerId: text(e.customerId, 'event.customerId'),
    orderId: textOrNull(e.orderId, 'event.orderId'),
  };
}

/** SQLite's BINARY collation on UTF-8 text is code point order; UTF-16 units differ above U+D7FF. */
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
