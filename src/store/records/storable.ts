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

/**
 * Canonical copies of what a reducer returns, for one intake batch. Objects found plain and clean
 * are remembered, so values passed on unchanged from event to event (an order's items, a
 * customer's attributes) are not walked again.
 */
export class StorableValues {
  private readonly clean = new WeakSet<object>();

  /** True when `value` is kept exactly as it is (no copy needed). */
  private jsonClean(value: unknown, depth: number): boolean {
    switch (typeof value) {
      case 'string':
        return cleanText(value);
      case 'boolean':
        return true;
      case 'number':
        return Number.isFinite(value) && !Object.is(value, -0);
      case 'object': {
        if (value === null || this.clean.has(value)) return true;
        if (depth > MAX_DEPTH) return false;
        if (Array.isArray(value)) {
          for (const item of value) if (!this.jsonClean(item, depth + 1)) return false;
        } else {
          if (Object.getPrototypeOf(value) !== Object.prototype) return false;
          const record = value as Record<string, unknown>;
          for (const key in record) {
            if (!cleanText(key) || !this.jsonClean(record[key], depth + 1)) return false;
          }
        }
        this.clean.add(value);
        return true;
      }
      case 'undefined':
      case 'function':
      case 'symbol':
      case 'bigint':
        return false;
    }
  }

  /** `value` as a JSON column gives it back. */
  json<T>(value: T, what: string): T {
    if (this.jsonClean(value, 0)) return value;
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

  customer(c: Customer): Customer {
    if (
      cleanText(c.id) &&
      cleanOrNull(c.email) &&
      cleanOrNull(c.firstName) &&
      cleanOrNull(c.lastName) &&
      cleanOrNull(c.phone) &&
      cleanOrNull(c.timezone) &&
      cleanOrNull(c.locale) &&
      finite(c.temperature) &&
      finite(c.openConcerns) &&
      finiteOrNull(c.awaitingPersonSince) &&
      finiteOrNull(c.lastNps) &&
      finiteOrNull(c.engagedAt) &&
      this.jsonClean(c.temperatureReasons, 0) &&
      this.jsonClean(c.preferences, 0) &&
      finiteOrNull(c.unsubscribedAt) &&
      finiteOrNull(c.emailBouncedAt) &&
      finite(c.orderCount) &&
      cleanOrNull(c.lastOrderId) &&
      finite(c.createdAt) &&
      this.jsonClean(c.attributes, 0)
    ) {
      return c;
    }
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
      temperatureReasons: this.json(c.temperatureReasons, 'customer.temperatureReasons'),
      openConcerns: num(c.openConcerns, 'customer.openConcerns'),
      awaitingPersonSince: numOrNull(c.awaitingPersonSince, 'customer.awaitingPersonSince'),
      lastNps: numOrNull(c.lastNps, 'customer.lastNps'),
      engagedAt: numOrNull(c.engagedAt, 'customer.engagedAt'),
      preferences: this.json(c.preferences, 'customer.preferences'),
      unsubscribedAt: numOrNull(c.unsubscribedAt, 'customer.unsubscribedAt'),
      emailBouncedAt: numOrNull(c.emailBouncedAt, 'customer.emailBouncedAt'),
      orderCount: num(c.orderCount, 'customer.orderCount'),
      lastOrderId: textOrNull(c.lastOrderId),
      attributes: this.json(c.attributes, 'customer.attributes'),
      createdAt: num(c.createdAt, 'customer.createdAt'),
    };
  }

  order(o: Order): Order {
    if (
      cleanText(o.id) &&
      cleanText(o.customerId) &&
      cleanText(o.currency) &&
      cleanOrNull(o.number) &&
      (o.shippingAddress === null || this.jsonClean(o.shippingAddress, 0)) &&
      finite(o.placedAt) &&
      finite(o.total) &&
      finite(o.updatedAt) &&
      finite(o.sequence) &&
      Number.isInteger(o.renewalCycle) &&
      this.jsonClean(o.items, 0) &&
      this.jsonClean(o.shipments, 0) &&
      this.jsonClean(o.moments, 0) &&
      this.jsonClean(o.attributes, 0)
    ) {
      return o;
    }
    return {
      id: text(o.id),
      customerId: text(o.customerId),
      number: textOrNull(o.number),
      shippingAddress:
        o.shippingAddress === null ? null : this.json(o.shippingAddress, 'order.shippingAddress'),
      placedAt: num(o.placedAt, 'order.placedAt'),
      currency: text(o.currency),
      total: num(o.total, 'order.total'),
      segment: o.segment,
      kind: o.kind,
      renewalPeriod: o.renewalPeriod,
      renewalCycle: num(o.renewalCycle, 'order.renewalCycle'),
      items: this.json(o.items, 'order.items'),
      shipments: this.json(o.shipments, 'order.shipments'),
      moments: this.json(o.moments, 'order.moments'),
      sequence: num(o.sequence, 'order.sequence'),
      attributes: this.json(o.attributes, 'order.attributes'),
      updatedAt: num(o.updatedAt, 'order.updatedAt'),
    };
  }

  event(e: StoredEvent): StoredEvent {
    if (
      cleanText(e.id) &&
      cleanText(e.customerId) &&
      cleanOrNull(e.orderId) &&
      finite(e.at) &&
      finite(e.receivedAt) &&
      this.jsonClean(e.data, 0)
    ) {
      return e;
    }
    return {
      id: text(e.id),
      customerId: text(e.customerId),
      orderId: textOrNull(e.orderId),
      type: e.type,
      at: num(e.at, 'event.at'),
      data: this.json(e.data, 'event.data'),
      receivedAt: num(e.receivedAt, 'event.receivedAt'),
    };
  }

  /** Enrollments and touch points are built by intake from values already made storable. */
  enrollment(e: Enrollment): Enrollment {
    if (
      cleanText(e.id) &&
      cleanText(e.customerId) &&
      cleanText(e.orderId) &&
      finite(e.enrolledAt) &&
      cleanOrNull(e.endedReason)
    ) {
      return e;
    }
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

  touchPoint(t: TouchPoint): TouchPoint {
    if (
      cleanText(t.id) &&
      finite(t.dueAt) &&
      finite(t.createdAt) &&
      finiteOrNull(t.outcomeAt) &&
      (t.reason === null || cleanOrNull(t.reason.detail))
    ) {
      return t;
    }
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
}

function cleanOrNull(value: string | null): boolean {
  return value === null || cleanText(value);
}

function finite(value: number): boolean {
  return Number.isFinite(value) && !Object.is(value, -0);
}

function finiteOrNull(value: number | null): boolean {
  return value === null || finite(value);
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
