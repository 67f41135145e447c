// The in-memory side of a PostgreSQL intake batch: the prefetched rows plus everything earlier
// events of the batch changed (an overlay), so each event is reduced against the state it would
// see if the batch were applied one event at a time, and the writes can go out in bulk at the end.
import type { Reason } from '../../core/reasons.js';
import type { Customer, DomainEvent, Enrollment, Order, StoredEvent, TouchPoint } from '../../core/domain.js';
import { customerLookup, eventOrderId } from '../intake/lookup.js';
import { purposePriority } from '../priority.js';
import type { IntakeChanges, IntakeResult, IntakeState } from '../port.js';

export interface SeenEvent {
  customerId: string;
  orderId: string | null;
}

/** A cancel of a row that existed before the batch; counted once the database says it applied. */
export interface PendingCancel {
  reason: string;
  at: number;
  event: number;
}

export class IntakeBatch {
  readonly customers = new Map<string, Customer>();
  readonly orders = new Map<string, Order>();
  /** Rows as they were in the database, to tell inserts from updates and skip no-op updates. */
  readonly dbCustomers = new Map<string, Customer>();
  readonly dbOrders = new Map<string, Order>();
  readonly dbEnrollments = new Map<string, Enrollment>();
  readonly dbTouchPoints = new Set<string>();
  readonly emailIndex = new Map<string, string>();
  readonly seen = new Map<string, SeenEvent>();
  readonly enrollments = new Map<string, Enrollment[]>();
  readonly touchPoints = new Map<string, TouchPoint[]>();
  readonly touchPointById = new Map<string, TouchPoint>();

  // --- what to write ---
  readonly dirtyCustomers = new Set<string>();
  readonly dirtyOrders = new Set<string>();
  readonly dirtyEnrollments = new Map<string, Enrollment>();
  readonly newEvents: StoredEvent[] = [];
  /** New touch points in their final in-batch state (a later event may have moved or cancelled one). */
  readonly newTouchPoints = new Map<string, TouchPoint>();
  readonly moves = new Map<string, number>();
  readonly cancels = new Map<string, PendingCancel>();
  readonly results: IntakeResult[] = [];

  // --- prefetch ---
  addDbCustomer(customer: Customer): void {
    this.customers.set(customer.id, customer);
    this.dbCustomers.set(customer.id, customer);
  }

  addDbOrder(order: Order): void {
    this.orders.set(order.id, order);
    this.dbOrders.set(order.id, order);
  }

  addDbEnrollment(enrollment: Enrollment): void {
    this.dbEnrollments.set(enrollment.id, enrollment);
    pushTo(this.enrollments, enrollment.orderId, enrollment);
  }

  addDbTouchPoint(touchPoint: TouchPoint): void {
    this.dbTouchPoints.add(touchPoint.id);
    this.touchPointById.set(touchPoint.id, touchPoint);
    pushTo(this.touchPoints, touchPoint.orderId, touchPoint);
  }

  // --- per event ---
  /** The state of `event`, found by the same rule as on SQLite (store/intakeLookup.ts). */
  stateFor(event: DomainEvent): IntakeState {
    const orderId = eventOrderId(event);
    const order = orderId === null ? null : (this.orders.get(orderId) ?? null);
    const lookup = customerLookup(event, order);
    let customer: Customer | null = null;
    if (lookup?.by === 'id') customer = this.customers.get(lookup.id) ?? null;
    else if (lookup?.by === 'email') {
      const id = this.emailIndex.get(lookup.email);
      customer = id === undefined ? null : (this.customers.get(id) ?? null);
    }
    const duplicate = this.seen.has(event.id);
    if (order === null) return { duplicate, customer, order, enrollments: [], touchPoints: [] };
    const touchPoints = [...(this.touchPoints.get(order.id) ?? [])].sort(
      (a, b) =>
        a.dueAt - b.dueAt ||
        purposePriority(a.purpose) - purposePriority(b.purpose) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    return {
      duplicate,
      customer,
      order,
      enrollments: [...(this.enrollments.get(order.id) ?? [])],
      touchPoints,
    };
  }

  /** Fold one event's changes into the overlay and note what to write; records its result. */
  apply(index: number, event: DomainEvent, state: IntakeState, changes: IntakeChanges): void {
    const seen = this.seen.get(event.id);
    if (seen !== undefined) {
      // A repeated event writes nothing, whatever the reducer says.
      this.results[index] = result(event, true, seen.customerId, seen.orderId, 0, 0, null);
      return;
    }
    const customerId =
      changes.customer?.id ?? state.customer?.id ?? changes.event?.customerId ?? event.customerId;
    const orderId = changes.order?.id ?? state.order?.id ?? changes.event?.orderId ?? event.orderId;
    if (changes.rejected !== null) {
      this.results[index] = result(event, false, customerId, orderId, 0, 0, changes.rejected);
      return;
    }
    if (changes.customer) this.putCustomer(changes.customer);
    if (changes.order) {
      this.orders.set(changes.order.id, changes.order);
      this.dirtyOrders.add(changes.order.id);
    }
    if (changes.event) {
      this.newEvents.push(changes.event);
      this.seen.set(changes.event.id, {
        customerId: changes.event.customerId,
        orderId: changes.event.orderId,
      });
    }
    for (const enrollment of changes.enrollments) this.putEnrollment(enrollment);
    let planned = 0;
    for (const touchPoint of changes.insertTouchPoints) if (this.insertTouchPoint(touchPoint)) planned += 1;
    for (const move of changes.reschedule) this.move(move.id, move.dueAt);
    let cancelled = 0;
    for (const cancel of changes.cancel)
      if (this.cancel(cancel.id, cancel.reason, event.at, index)) cancelled += 1;
    this.results[index] = result(event, false, customerId, orderId, planned, cancelled, null);
  }

  private putCustomer(customer: Customer): void {
    this.customers.set(customer.id, customer);
    this.dirtyCustomers.add(customer.id);
    if (customer.email) {
      const key = customer.email.toLowerCase();
      if (!this.emailIndex.has(key)) this.emailIndex.set(key, customer.id);
    }
  }

  private putEnrollment(enrollment: Enrollment): void {
    const list = this.enrollments.get(enrollment.orderId) ?? [];
    const at = list.findIndex((e) => e.id === enrollment.id);
    if (at >= 0) list[at] = enrollment;
    else list.push(enrollment);
    this.enrollments.set(enrollment.orderId, list);
    this.dirtyEnrollments.set(enrollment.id, enrollment);
  }

  /** INSERT OR IGNORE semantics: false when the id exists already. */
  private insertTouchPoint(touchPoint: TouchPoint): boolean {
    if (this.touchPointById.has(touchPoint.id)) return false;
    this.touchPointById.set(touchPoint.id, touchPoint);
    pushTo(this.touchPoints, touchPoint.orderId, touchPoint);
    this.newTouchPoints.set(touchPoint.id, touchPoint);
    return true;
  }

  private replace(touchPoint: TouchPoint): void {
    this.touchPointById.set(touchPoint.id, touchPoint);
    const list = this.touchPoints.get(touchPoint.orderId);
    if (list) {
      const at = list.findIndex((t) => t.id === touchPoint.id);
      if (at >= 0) list[at] = touchPoint;
    }
    if (this.newTouchPoints.has(touchPoint.id)) this.newTouchPoints.set(touchPoint.id, touchPoint);
  }

  private move(id: string, dueAt: number): void {
    const current = this.touchPointById.get(id);
    if (current !== undefined && current.status !== 'scheduled') return;
    if (current !== undefined) this.replace({ ...current, dueAt });
    if (!this.newTouchPoints.has(id)) this.moves.set(id, dueAt);
  }

  /** True when counted now (a row of this batch); rows from before are counted after the UPDATE. */
  private cancel(id: string, reason: string, at: number, event: number): boolean {
    const current = this.touchPointById.get(id);
    if (current !== undefined && current.status !== 'scheduled') return false;
    if (current !== undefined) {
      this.replace({
        ...current,
        status: 'cancelled',
        reason: reason as unknown as Reason,
        outcomeAt: at,
        leaseUntil: null,
      });
    }
    if (this.newTouchPoints.has(id)) return true;
    this.moves.delete(id);
    if (!this.cancels.has(id)) this.cancels.set(id, { reason, at, event });
    return false;
  }

  /** Earliest due time among scheduled rows this batch adds or moves, for the wake-up notice. */
  earliestNewDue(): number | null {
    let earliest: number | null = null;
    for (const t of this.newTouchPoints.values()) {
      if (t.status === 'scheduled' && (earliest === null || t.dueAt < earliest)) earliest = t.dueAt;
    }
    for (const dueAt of this.moves.values()) if (earliest === null || dueAt < earliest) earliest = dueAt;
    return earliest;
  }
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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
