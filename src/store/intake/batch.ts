// One intake batch in memory, the same for every adapter: the adapter reads what the batch needs
// (in a few rounds of keyed reads, `needs` -> `supply`), every event is reduced against what is
// held here, exactly as if each event had been written before the next was read, and `writes`
// says what to write once at the end. Touch points not yet due stay in their enrollment's
// compact plan (records/plan.ts); events that only restate their order stay on the order.
import type {
  Customer,
  DomainEvent,
  Enrollment,
  Millis,
  Order,
  StoredEvent,
  TouchPoint,
} from '../../core/domain.js';
import type { IntakeChanges, IntakeReducer, IntakeResult, IntakeState } from '../ports/intake.js';
import type { PlanEntry } from '../records/plan.js';
import { StorableValues } from '../records/storable.js';
import { HeldCustomers } from './heldCustomers.js';
import { HeldTouchPoints } from './heldTouchPoints.js';
import { customerLookup, eventOrderId, type CustomerLookup } from './lookup.js';

/** An order as stored: the record and the events kept with it. */
export interface StoredOrder {
  order: Order;
  embedded: StoredEvent[];
}

/** An enrollment as stored: the record and its compact plan. */
export interface StoredEnrollment {
  enrollment: Enrollment;
  plan: PlanEntry[];
}

export interface SeenEvent {
  id: string;
  customerId: string;
  orderId: string | null;
}

/** What the batch still has to read; every list may be empty. */
export interface IntakeNeeds {
  eventIds: string[];
  orderIds: string[];
  customerIds: string[];
  emails: string[];
  /** Existing orders whose enrollments (with plans) are wanted. */
  enrollmentsOf: string[];
  /** Existing orders whose queued touch point rows are wanted. */
  touchPointsOf: string[];
}

/** What the adapter read for IntakeNeeds (rows it did not find are simply absent). */
export interface IntakeRows {
  seenEvents: SeenEvent[];
  orders: StoredOrder[];
  /** Found by id or by address. */
  customers: Customer[];
  enrollments: StoredEnrollment[];
  touchPoints: TouchPoint[];
}

export interface IntakeWrites {
  customers: { insert: Customer[]; update: Customer[] };
  orders: { insert: StoredOrder[]; update: StoredOrder[] };
  events: StoredEvent[];
  enrollments: { insert: StoredEnrollment[]; update: StoredEnrollment[] };
  /** Queued rows this batch moved or cancelled; write them only if still scheduled. */
  touchPoints: TouchPoint[];
  /** The earliest due time this batch scheduled, for wake-ups; null when none. */
  earliestDue: Millis | null;
}

interface HeldOrder {
  current: StoredOrder;
  /** As read (null: new in this batch). */
  stored: StoredOrder | null;
  embeddedIds: Set<string>;
  /** Enrollments read (or created) and, when needed, queued rows read. */
  enrollmentsLoaded: boolean;
  rowsLoaded: boolean;
}

function empty(): IntakeNeeds {
  return { eventIds: [], orderIds: [], customerIds: [], emails: [], enrollmentsOf: [], touchPointsOf: [] };
}

export class IntakeBatch {
  /** Event ids known stored (before or in this batch); null: known not to be. */
  private readonly seen = new Map<string, SeenEvent | null>();
  private readonly customers = new HeldCustomers();
  /** null: no such order (yet). */
  private readonly orders = new Map<string, HeldOrder | null>();
  private readonly touchPoints = new HeldTouchPoints();
  private readonly newEvents: StoredEvent[] = [];
  private readonly values = new StorableValues();
  readonly results: IntakeResult[] = [];
  /** Per event: the order it names and how to find its customer when there is no order. */
  private readonly keys: { orderId: string | null; lookup: CustomerLookup }[];

  constructor(private readonly events: readonly DomainEvent[]) {
    this.keys = events.map((event) => ({
      orderId: eventOrderId(event),
      lookup: customerLookup(event, null),
    }));
  }

  /** How to find the customer of event `i`: through its order once the order is known. */
  private lookupOf(i: number): CustomerLookup {
    const { orderId, lookup } = this.keys[i]!;
    const held = orderId === null ? null : this.orders.get(orderId);
    return held ? { by: 'id', id: held.current.order.customerId } : lookup;
  }

  /** What to read next, or null when everything the batch needs is held. */
  needs(): IntakeNeeds | null {
    const needs = empty();
    const eventIds = new Set<string>();
    const orderIds = new Set<string>();
    const customerIds = new Set<string>();
    const emails = new Set<string>();
    for (let i = 0; i < this.events.length; i++) {
      const event = this.events[i]!;
      // Events kept with their order are never rows of the events table: the order tells.
      if (event.embedded !== true && !this.seen.has(event.id)) eventIds.add(event.id);
      const orderId = this.keys[i]!.orderId;
      if (orderId !== null && !this.orders.has(orderId)) orderIds.add(orderId);
      const lookup = this.lookupOf(i);
      if (lookup?.by === 'id' && !this.customers.knows(lookup.id)) customerIds.add(lookup.id);
      if (lookup?.by === 'email') {
        if (!this.customers.knowsEmail(lookup.email)) emails.add(lookup.email);
        if (!this.customers.knows(lookup.derivedId)) customerIds.add(lookup.derivedId);
      }
    }
    for (const held of this.orders.values()) {
      if (held === null || held.stored === null) continue;
      const id = held.current.order.id;
      if (!held.enrollmentsLoaded) needs.enrollmentsOf.push(id);
      else if (!held.rowsLoaded && this.touchPoints.hasQueued(id)) needs.touchPointsOf.push(id);
    }
    needs.eventIds = [...eventIds];
    needs.orderIds = [...orderIds];
    needs.customerIds = [...customerIds];
    needs.emails = [...emails];
    const total =
      needs.eventIds.length +
      needs.orderIds.length +
      needs.customerIds.length +
      needs.emails.length +
      needs.enrollmentsOf.length +
      needs.touchPointsOf.length;
    return total === 0 ? null : needs;
  }

  /** Takes what the adapter read for `needs` (and marks what it did not find as absent). */
  supply(needs: IntakeNeeds, rows: IntakeRows): void {
    for (const seen of rows.seenEvents) this.seen.set(seen.id, seen);
    for (const id of needs.eventIds) if (!this.seen.has(id)) this.seen.set(id, null);
    for (const stored of rows.orders) {
      if (this.orders.get(stored.order.id)) continue;
      this.orders.set(stored.order.id, {
        current: stored,
        stored,
        embeddedIds: new Set(stored.embedded.map((e) => e.id)),
        enrollmentsLoaded: false,
        rowsLoaded: false,
      });
    }
    for (const id of needs.orderIds) if (!this.orders.has(id)) this.orders.set(id, null);
    this.customers.supply(rows.customers, needs.customerIds, needs.emails);
    for (const stored of rows.enrollments) this.touchPoints.holdStored(stored);
    for (const id of needs.enrollmentsOf) {
      const held = this.orders.get(id);
      if (held) held.enrollmentsLoaded = true;
    }
    for (const row of rows.touchPoints) this.touchPoints.holdRow(row);
    for (const id of needs.touchPointsOf) {
      const held = this.orders.get(id);
      if (held) held.rowsLoaded = true;
    }
  }

  /** Applies every event through the reducer, in order. Call once `needs()` is null. */
  reduce(reduce: IntakeReducer): IntakeResult[] {
    for (let i = 0; i < this.events.length; i++) this.results.push(this.reduceEvent(i, reduce));
    return this.results;
  }

  private reduceEvent(i: number, reduce: IntakeReducer): IntakeResult {
    const event = this.events[i]!;
    const seen = this.seenEvent(event, this.keys[i]!.orderId);
    const state = this.stateFor(i, seen !== null);
    const changes = reduce(state, event);
    if (seen !== null) return result(event, true, seen.customerId, seen.orderId, 0, 0, null);
    const customerId =
      changes.customer?.id ?? state.customer?.id ?? changes.event?.customerId ?? event.customerId;
    const orderId = changes.order?.id ?? state.order?.id ?? changes.event?.orderId ?? event.orderId;
    if (changes.rejected !== null) return result(event, false, customerId, orderId, 0, 0, changes.rejected);
    const { planned, cancelled } = this.write(changes, event);
    return result(event, false, customerId, orderId, planned, cancelled, null);
  }

  private seenEvent(event: DomainEvent, orderId: string | null): SeenEvent | null {
    const row = this.seen.get(event.id);
    if (row) return row;
    const held = orderId === null ? null : this.orders.get(orderId);
    if (held && held.embeddedIds.has(event.id)) {
      return { id: event.id, customerId: held.current.order.customerId, orderId: held.current.order.id };
    }
    return null;
  }

  private stateFor(i: number, duplicate: boolean): IntakeState {
    const orderId = this.keys[i]!.orderId;
    const held = orderId === null ? null : (this.orders.get(orderId) ?? null);
    const order = held?.current.order ?? null;
    const lookup = this.lookupOf(i);
    let customer: Customer | null = null;
    if (lookup?.by === 'id') customer = this.customers.byId(lookup.id);
    else if (lookup?.by === 'email') {
      customer = this.customers.byEmail(lookup.email) ?? this.customers.byId(lookup.derivedId);
    }
    if (order === null) return { duplicate, customer, order, enrollments: [], touchPoints: [] };
    return {
      duplicate,
      customer,
      order,
      enrollments: this.touchPoints.enrollmentsOf(order.id),
      touchPoints: this.touchPoints.touchPointsOf(order.id),
    };
  }

  private write(changes: IntakeChanges, event: DomainEvent): { planned: number; cancelled: number } {
    if (changes.customer) this.customers.put(this.values.customer(changes.customer));
    if (changes.order) this.putOrder(this.values.order(changes.order));
    if (changes.event) this.putEvent(this.values.event(changes.event), event.embedded === true);
    for (const derived of changes.derivedEvents ?? []) this.putEvent(this.values.event(derived), false);
    for (const enrollment of changes.enrollments)
      this.touchPoints.putEnrollment(this.values.enrollment(enrollment));
    let planned = 0;
    for (const touchPoint of changes.insertTouchPoints) {
      if (this.touchPoints.insert(this.values.touchPoint(touchPoint))) planned++;
    }
    for (const move of changes.reschedule) this.touchPoints.reschedule(move.id, move.dueAt);
    let cancelled = 0;
    for (const cancel of changes.cancel)
      cancelled += this.touchPoints.cancel(cancel.id, cancel.reason, event.at);
    return { planned, cancelled };
  }

  private putOrder(order: Order): void {
    const held = this.orders.get(order.id);
    if (held) {
      held.current = { order, embedded: held.current.embedded };
      return;
    }
    // New: nothing of it is stored, so its children are known (none).
    this.orders.set(order.id, {
      current: { order, embedded: [] },
      stored: null,
      embeddedIds: new Set(),
      enrollmentsLoaded: true,
      rowsLoaded: true,
    });
  }

  private putEvent(stored: StoredEvent, embedded: boolean): void {
    this.seen.set(stored.id, { id: stored.id, customerId: stored.customerId, orderId: stored.orderId });
    const held = stored.orderId === null ? null : this.orders.get(stored.orderId);
    if (embedded && held) {
      held.current = { order: held.current.order, embedded: [...held.current.embedded, stored] };
      held.embeddedIds.add(stored.id);
      return;
    }
    this.newEvents.push(stored);
  }

  /** Every row to write, each once, in its final state. Unchanged rows are left out. */
  writes(): IntakeWrites {
    const touchPoints = this.touchPoints.writes();
    const writes: IntakeWrites = {
      customers: this.customers.writes(),
      orders: { insert: [], update: [] },
      events: this.newEvents,
      enrollments: { insert: touchPoints.insert, update: touchPoints.update },
      touchPoints: touchPoints.rows,
      earliestDue: this.touchPoints.earliestDue,
    };
    for (const held of this.orders.values()) {
      if (held === null) continue;
      if (held.stored === null) writes.orders.insert.push(held.current);
      else if (held.current !== held.stored && !sameJson(held.current, held.stored))
        writes.orders.update.push(held.current);
    }
    return writes;
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function result(
  event: DomainEvent,
  duplicate: boolean,
  customerId: string | null,
  orderId: string | null,
  planned: number,
  cancelled: number,
  rejected: string | null,
): IntakeResult {
  return { eventId: event.id, duplicate, customerId, orderId, planned, cancelled, rejected };
}

/** Reads what the batch needs, in as many rounds as it takes (usually two or three). */
export function gatherSync(batch: IntakeBatch, read: (needs: IntakeNeeds) => IntakeRows): void {
  for (let needs = batch.needs(); needs !== null; needs = batch.needs()) batch.supply(needs, read(needs));
}

export async function gather(
  batch: IntakeBatch,
  read: (needs: IntakeNeeds) => Promise<IntakeRows>,
): Promise<void> {
  for (let needs = batch.needs(); needs !== null; needs = batch.needs())
    batch.supply(needs, await read(needs));
}
