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
import type { Reason } from '../../core/reasons.js';
import type { IntakeChanges, IntakeReducer, IntakeResult, IntakeState } from '../ports/intake.js';
import { purposePriority } from '../priority.js';
import { planEntryOf, planTouchPoint, parseTouchPointId, type PlanEntry } from '../records/plan.js';
import { compareText, StorableValues } from '../records/storable.js';
import { HeldCustomers } from './heldCustomers.js';
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

interface HeldEnrollment {
  enrollment: Enrollment;
  /** Shared with `stored` until the batch first changes it (copied then, changed in place after). */
  plan: PlanEntry[];
  stored: StoredEnrollment | null;
  dirty: boolean;
}

/** The plan, ready to change in place: copied once if it is still the stored one. */
function ownPlan(held: HeldEnrollment): PlanEntry[] {
  if (held.stored !== null && held.plan === held.stored.plan) held.plan = [...held.plan];
  held.dirty = true;
  return held.plan;
}

interface HeldRow {
  current: TouchPoint;
  stored: TouchPoint;
}

function empty(): IntakeNeeds {
  return { eventIds: [], orderIds: [], customerIds: [], emails: [], enrollmentsOf: [], touchPointsOf: [] };
}

function byDue(a: TouchPoint, b: TouchPoint): number {
  return (
    a.dueAt - b.dueAt || purposePriority(a.purpose) - purposePriority(b.purpose) || compareText(a.id, b.id)
  );
}

export class IntakeBatch {
  /** Event ids known stored (before or in this batch); null: known not to be. */
  private readonly seen = new Map<string, SeenEvent | null>();
  private readonly customers = new HeldCustomers();
  /** null: no such order (yet). */
  private readonly orders = new Map<string, HeldOrder | null>();
  private readonly enrollments = new Map<string, HeldEnrollment>();
  private readonly enrollmentsByOrder = new Map<string, HeldEnrollment[]>();
  private readonly rows = new Map<string, HeldRow>();
  private readonly rowsByOrder = new Map<string, HeldRow[]>();
  private readonly newEvents: StoredEvent[] = [];
  private earliestDue: Millis | null = null;
  private readonly values = new StorableValues();
  readonly results: IntakeResult[] = [];
  /** Per event: the order it names and how to find its customer when there is no order. */
  private readonly keys: { orderId: string | null; lookup: CustomerLookup }[];

  constructor(private readonly events: readonly DomainEvent[]) {
    this.keys = events.map((event) => ({ orderId: eventOrderId(event), lookup: customerLookup(event, null) }));
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
      else if (!held.rowsLoaded && this.hasQueued(id)) needs.touchPointsOf.push(id);
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
    for (const stored of rows.enrollments) {
      if (this.enrollments.has(stored.enrollment.id)) continue;
      this.holdEnrollment({ enrollment: stored.enrollment, plan: stored.plan, stored, dirty: false });
    }
    for (const id of needs.enrollmentsOf) {
      const held = this.orders.get(id);
      if (held) held.enrollmentsLoaded = true;
    }
    for (const row of rows.touchPoints) {
      if (this.rows.has(row.id)) continue;
      const held: HeldRow = { current: row, stored: row };
      this.rows.set(row.id, held);
      const list = this.rowsByOrder.get(row.orderId);
      if (list) list.push(held);
      else this.rowsByOrder.set(row.orderId, [held]);
    }
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
    const enrollments = [...(this.enrollmentsByOrder.get(order.id) ?? [])]
      .map((e) => e.enrollment)
      .sort((a, b) => a.enrolledAt - b.enrolledAt || compareText(a.id, b.id));
    return { duplicate, customer, order, enrollments, touchPoints: this.touchPointsOf(order.id) };
  }

  private touchPointsOf(orderId: string): TouchPoint[] {
    const out: TouchPoint[] = [];
    for (const held of this.enrollmentsByOrder.get(orderId) ?? []) {
      for (const entry of held.plan) {
        if (entry.status !== 'queued') out.push(planTouchPoint(held.enrollment, entry));
      }
    }
    for (const row of this.rowsByOrder.get(orderId) ?? []) out.push(row.current);
    return out.length > 1 ? out.sort(byDue) : out;
  }

  private hasQueued(orderId: string): boolean {
    for (const held of this.enrollmentsByOrder.get(orderId) ?? []) {
      if (held.plan.some((e) => e.status === 'queued')) return true;
    }
    return false;
  }

  private write(changes: IntakeChanges, event: DomainEvent): { planned: number; cancelled: number } {
    if (changes.customer) this.customers.put(this.values.customer(changes.customer));
    if (changes.order) this.putOrder(this.values.order(changes.order));
    if (changes.event) this.putEvent(this.values.event(changes.event), event.embedded === true);
    for (const enrollment of changes.enrollments) this.putEnrollment(this.values.enrollment(enrollment));
    let planned = 0;
    for (const touchPoint of changes.insertTouchPoints) {
      if (this.insertTouchPoint(this.values.touchPoint(touchPoint))) planned++;
    }
    for (const move of changes.reschedule) this.reschedule(move.id, move.dueAt);
    let cancelled = 0;
    for (const cancel of changes.cancel) cancelled += this.cancel(cancel.id, cancel.reason, event.at);
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

  private holdEnrollment(held: HeldEnrollment): void {
    this.enrollments.set(held.enrollment.id, held);
    const list = this.enrollmentsByOrder.get(held.enrollment.orderId);
    if (list) list.push(held);
    else this.enrollmentsByOrder.set(held.enrollment.orderId, [held]);
  }

  private putEnrollment(enrollment: Enrollment): void {
    const held = this.enrollments.get(enrollment.id);
    if (held) {
      held.enrollment = enrollment;
      held.dirty = true;
      return;
    }
    this.holdEnrollment({ enrollment, plan: [], stored: null, dirty: true });
  }

  /** INSERT OR IGNORE: false when the step is planned or queued already. */
  private insertTouchPoint(touchPoint: TouchPoint): boolean {
    const held = this.enrollments.get(touchPoint.enrollmentId);
    if (held === undefined) {
      throw new Error(`intake: touch point ${touchPoint.id} names no enrollment of this order`);
    }
    if (this.rows.has(touchPoint.id) || held.plan.some((e) => e.step === touchPoint.stepKey)) return false;
    ownPlan(held).push(planEntryOf(touchPoint));
    if (touchPoint.status === 'scheduled') this.noteDue(touchPoint.dueAt);
    return true;
  }

  /** The plan entry of a touch point id, with its enrollment. */
  private entryOf(id: string): { held: HeldEnrollment; index: number } | null {
    const parts = parseTouchPointId(id);
    if (parts === null) return null;
    const held = this.enrollments.get(`${parts.playbook}:${parts.orderId}`);
    if (held === undefined) return null;
    const index = held.plan.findIndex((e) => e.step === parts.step);
    return index < 0 ? null : { held, index };
  }

  private replaceEntry(held: HeldEnrollment, index: number, entry: PlanEntry): void {
    ownPlan(held)[index] = entry;
  }

  /** Only a scheduled touch point moves, whether in a plan or queued. */
  private reschedule(id: string, dueAt: Millis): void {
    const row = this.rows.get(id);
    if (row) {
      if (row.current.status === 'scheduled') row.current = { ...row.current, dueAt };
      return;
    }
    const found = this.entryOf(id);
    if (found === null) return;
    const entry = found.held.plan[found.index]!;
    if (entry.status !== 'scheduled') return;
    this.replaceEntry(found.held, found.index, { ...entry, dueAt });
    this.noteDue(dueAt);
  }

  /** Only a scheduled touch point is cancelled; returns how many were. */
  private cancel(id: string, reason: Reason, at: Millis): number {
    const row = this.rows.get(id);
    if (row) {
      if (row.current.status !== 'scheduled') return 0;
      row.current = { ...row.current, status: 'cancelled', reason, outcomeAt: at, leaseUntil: null };
      return 1;
    }
    const found = this.entryOf(id);
    if (found === null) return 0;
    const entry = found.held.plan[found.index]!;
    if (entry.status !== 'scheduled') return 0;
    this.replaceEntry(found.held, found.index, { ...entry, status: 'cancelled', reason, outcomeAt: at });
    return 1;
  }

  private noteDue(at: Millis): void {
    if (this.earliestDue === null || at < this.earliestDue) this.earliestDue = at;
  }

  /** Every row to write, each once, in its final state. Unchanged rows are left out. */
  writes(): IntakeWrites {
    const writes: IntakeWrites = {
      customers: this.customers.writes(),
      orders: { insert: [], update: [] },
      events: this.newEvents,
      enrollments: { insert: [], update: [] },
      touchPoints: [],
      earliestDue: this.earliestDue,
    };
    for (const held of this.orders.values()) {
      if (held === null) continue;
      if (held.stored === null) writes.orders.insert.push(held.current);
      else if (held.current !== held.stored && !sameJson(held.current, held.stored))
        writes.orders.update.push(held.current);
    }
    // Dirty only through a real change: the reducer hands back an enrollment it ended or
    // created, and plans change only where the planner moved, added or cancelled a step.
    for (const held of this.enrollments.values()) {
      if (!held.dirty) continue;
      const stored: StoredEnrollment = { enrollment: held.enrollment, plan: held.plan };
      if (held.stored === null) writes.enrollments.insert.push(stored);
      else writes.enrollments.update.push(stored);
    }
    for (const row of this.rows.values())
      if (row.current !== row.stored) writes.touchPoints.push(row.current);
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
