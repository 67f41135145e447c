// Reads in memory: customers, orders, timelines (event rows and the events kept with their
// orders) and touch points (rows and compact plans, listed alike), in the same orders as the
// SQL stores give them.
import {
  TOUCH_POINT_STATUSES,
  type Customer,
  type EventType,
  type Order,
  type StoredEvent,
  type TouchPoint,
  type TouchPointStatus,
} from '../../core/domain.js';
import { normalizedEmail } from '../intake/lookup.js';
import type { ReadStore, SentQuery, StatusCounts, TouchPointQuery } from '../ports/reads.js';
import { compareText } from '../records/storable.js';
import { byDueThenPriority } from '../records/touchPointOrder.js';
import type { Records } from './records.js';
import { settle } from './settle.js';
import type { MemoryTables } from './tables.js';
import { appendPlanned, touchPointById, touchPointsOfOrders } from './touchPoints.js';

function byTime(a: StoredEvent, b: StoredEvent): number {
  return a.at - b.at || a.receivedAt - b.receivedAt || compareText(a.id, b.id);
}

/** The customer's timeline, in timeline order; shared with the export. */
export function eventsOf(records: Records, customerId: string, types?: readonly EventType[]): StoredEvent[] {
  if (types !== undefined && types.length === 0) return [];
  const wanted = types === undefined ? null : new Set<string>(types);
  const events: StoredEvent[] = [];
  for (const id of records.eventIdsOf(customerId)) {
    const e = records.events.get(id)!;
    if (wanted === null || wanted.has(e.type)) events.push(e);
  }
  for (const orderId of records.orderIdsOf(customerId)) {
    for (const e of records.orders.get(orderId)!.embedded)
      if (wanted === null || wanted.has(e.type)) events.push(e);
  }
  return events.sort(byTime);
}

/** The customer's orders by placed time, then id. */
export function ordersOf(records: Records, customerId: string): Order[] {
  const orders: Order[] = [];
  for (const id of records.orderIdsOf(customerId)) orders.push(records.orders.get(id)!.order);
  return orders.sort((a, b) => a.placedAt - b.placedAt || compareText(a.id, b.id));
}

export class MemoryReads implements ReadStore {
  private readonly records: Records;

  constructor(private readonly tables: MemoryTables) {
    this.records = tables.records;
  }

  getCustomer(id: string): Promise<Customer | null> {
    return settle(() => this.records.customers.get(id) ?? null);
  }

  findCustomerByEmail(email: string): Promise<Customer | null> {
    return settle(() => {
      const normalized = normalizedEmail(email);
      if (normalized === null) return null;
      let best: Customer | null = null;
      for (const id of this.records.customersWithEmail(normalized)) {
        const c = this.records.customers.get(id)!;
        if (
          best === null ||
          c.createdAt < best.createdAt ||
          (c.createdAt === best.createdAt && compareText(c.id, best.id) < 0)
        ) {
          best = c;
        }
      }
      return best;
    });
  }

  getOrder(id: string): Promise<Order | null> {
    return settle(() => this.records.orders.get(id)?.order ?? null);
  }

  listOrders(customerId: string): Promise<Order[]> {
    return settle(() => ordersOf(this.records, customerId));
  }

  listEvents(customerId: string, types?: EventType[]): Promise<StoredEvent[]> {
    return settle(() => eventsOf(this.records, customerId, types));
  }

  listTouchPoints(query: TouchPointQuery): Promise<TouchPoint[]> {
    return settle(() => {
      const limit = query.limit ?? Number.MAX_SAFE_INTEGER;
      if (limit <= 0) return [];
      let all: TouchPoint[];
      if (query.orderId !== undefined) all = touchPointsOfOrders(this.records, [query.orderId], query.status);
      else if (query.customerId !== undefined)
        all = touchPointsOfOrders(this.records, this.records.orderIdsOf(query.customerId), query.status);
      else all = this.everywhere(query.status);
      if (query.customerId !== undefined) all = all.filter((t) => t.customerId === query.customerId);
      return all.length > limit ? all.slice(0, limit) : all;
    });
  }

  getTouchPoint(id: string): Promise<TouchPoint | null> {
    return settle(() => touchPointById(this.records, id));
  }

  listSent(query: SentQuery): Promise<TouchPoint[]> {
    return settle(() => {
      const before = query.before ?? null;
      const out: TouchPoint[] = [];
      for (const t of this.records.allRows()) {
        if (t.status !== 'sent' || t.outcomeAt === null) continue;
        if (query.channel !== undefined && t.channel !== query.channel) continue;
        if (query.stepKey !== undefined && t.stepKey !== query.stepKey) continue;
        if (
          before !== null &&
          !(t.outcomeAt < before.at || (t.outcomeAt === before.at && compareText(t.id, before.id) < 0))
        )
          continue;
        out.push(t);
      }
      out.sort((a, b) => (b.outcomeAt ?? 0) - (a.outcomeAt ?? 0) || compareText(b.id, a.id));
      return out.slice(0, Math.max(0, query.limit));
    });
  }

  counts(): Promise<StatusCounts> {
    return settle(() => {
      const r = this.records;
      const touchPoints = Object.fromEntries(
        TOUCH_POINT_STATUSES.map((s) => [s, 0]),
      ) as StatusCounts['touchPoints'];
      for (const t of r.allRows()) touchPoints[t.status] += 1;
      for (const { plan } of r.allEnrollments()) {
        for (const e of plan) if (e.status !== 'queued') touchPoints[e.status] += 1;
      }
      let events = r.events.size;
      for (const { embedded } of r.orders.values()) events += embedded.length;
      const tasks: StatusCounts['tasks'] = { open: 0, claimed: 0, done: 0, cancelled: 0 };
      for (const task of this.tables.tasks.values()) tasks[task.status] += 1;
      return { customers: r.customers.size, orders: r.orders.size, events, touchPoints, tasks };
    });
  }

  /** Every touch point (optionally of one status), in listing order. */
  private everywhere(status: TouchPointStatus | undefined): TouchPoint[] {
    const out: TouchPoint[] = [];
    for (const t of this.records.allRows()) if (status === undefined || t.status === status) out.push(t);
    if (status !== 'claimed' && status !== 'sent' && status !== 'failed') {
      for (const stored of this.records.allEnrollments()) appendPlanned(out, stored, status);
    }
    return out.sort(byDueThenPriority);
  }
}
