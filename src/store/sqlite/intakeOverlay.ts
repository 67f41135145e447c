// The in-memory side of one SQLite intake batch (write-behind): rows read once, then what earlier
// events of the batch wrote is served to later ones from memory, exactly as if each event had
// been written before the next was read; intake.ts writes the final rows once at the end.
import type { Reason } from '../../core/reasons.js';
import type { Customer, DomainEvent, Enrollment, Order, StoredEvent, TouchPoint } from '../../core/domain.js';
import { customerLookup, eventOrderId, normalizedEmail } from '../intakeLookup.js';
import type { IntakeChanges, IntakeReducer, IntakeResult, IntakeState } from '../port.js';
import { StoredValues, compareText, insertPriority, storedEventKey } from './intakeValues.js';
import {
  customerFromRow,
  enrollmentFromRow,
  orderFromRow,
  touchPointFromRow,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type TouchPointRow,
} from './rows.js';

export type SeenRow = [id: string, customerId: string, orderId: string | null];
export type PrioritizedTouchPointRow = [...TouchPointRow, priority: number];

/**
 * Reads by key (any number of keys in one call) and the two writes that cannot wait: moving or
 * cancelling a touch point the overlay does not hold, which no row in memory can depend on.
 */
export interface IntakeSource {
  seenEvents(ids: string[]): SeenRow[];
  orders(ids: string[]): OrderRow[];
  customersById(ids: string[]): CustomerRow[];
  /** Every customer whose stored email_lower is one of these. */
  customersByEmail(emails: string[]): CustomerRow[];
  /** Ordered by enrolled_at, id. */
  enrollmentsOf(orderIds: string[]): EnrollmentRow[];
  /** Ordered by due_at, priority, id. */
  touchPointsOf(orderIds: string[]): PrioritizedTouchPointRow[];
  reschedule(id: string, dueAt: number): void;
  /** Returns 1 when the row was scheduled and is now cancelled. */
  cancel(id: string, reason: string, at: number): number;
}

/**
 * A touch point in memory: its current value, the priority it is (or will be) stored with, and
 * the value read from the database (null for a row this batch inserts).
 */
interface HeldTouchPoint {
  touchPoint: TouchPoint;
  readonly priority: number;
  readonly stored: TouchPoint | null;
}

/** The touch points of one order, sorted as the database would return them unless `sorted` is false. */
interface OrderTouchPoints {
  held: HeldTouchPoint[];
  sorted: boolean;
}

/** A row the batch wants inserted already exists in a part of the database it did not read. */
export class UnseenConflict extends Error {
  constructor(id: string) {
    super(`intake overlay: touch point ${id} exists already`);
  }
}

function byDueThenPriority(a: HeldTouchPoint, b: HeldTouchPoint): number {
  return (
    a.touchPoint.dueAt - b.touchPoint.dueAt ||
    a.priority - b.priority ||
    compareText(a.touchPoint.id, b.touchPoint.id)
  );
}

function byEnrolledAt(a: Enrollment, b: Enrollment): number {
  return a.enrolledAt - b.enrolledAt || compareText(a.id, b.id);
}

export class IntakeOverlay {
  private readonly values = new StoredValues();
  /** Event ids already stored (before or in this batch); null: known not to be. */
  private readonly seen = new Map<string, SeenRow | null>();

  /** Current customers by id; null: not in the database and not written. */
  private readonly customers = new Map<string, Customer | null>();
  readonly dbCustomers = new Map<string, CustomerRow>();
  readonly dirtyCustomers = new Set<string>();
  /** email_lower -> ids of held customers with that address now. */
  private readonly byEmail = new Map<string, Set<string>>();
  private readonly emailOf = new Map<string, string | null>();
  /** Addresses whose stored customers are all held. */
  private readonly emailsLoaded = new Set<string>();

  private readonly orders = new Map<string, Order | null>();
  readonly dbOrders = new Map<string, OrderRow>();
  readonly dirtyOrders = new Set<string>();

  /** Orders whose enrollments and touch points (as stored, plus this batch's) are held. */
  private readonly childrenLoaded = new Set<string>();
  private readonly enrollmentsByOrder = new Map<string, Enrollment[]>();
  private readonly enrollmentById = new Map<string, Enrollment>();
  readonly dbEnrollments = new Map<string, EnrollmentRow>();
  readonly dirtyEnrollments = new Set<string>();

  private readonly touchPointsByOrder = new Map<string, OrderTouchPoints>();
  private readonly touchPointById = new Map<string, HeldTouchPoint>();
  /** Touch points read from the database, to find the ones this batch changed. */
  private readonly dbTouchPoints: HeldTouchPoint[] = [];
  /** Touch points this batch inserts, in the order it first inserted them. */
  private readonly insertedTouchPoints: HeldTouchPoint[] = [];

  readonly newEvents: StoredEvent[] = [];

  constructor(private readonly source: IntakeSource) {}

  /** Reads what the batch will need in a few statements instead of several per event. */
  prefetch(events: DomainEvent[]): void {
    const eventIds = new Set<string>();
    const orderIds = new Set<string>();
    const customerIds = new Set<string>();
    const emails = new Set<string>();
    for (const event of events) {
      eventIds.add(event.id);
      const orderId = eventOrderId(event);
      if (orderId !== null) orderIds.add(orderId);
      const lookup = customerLookup(event, null);
      if (lookup?.by === 'id') customerIds.add(lookup.id);
      else if (lookup?.by === 'email') emails.add(lookup.email);
    }
    this.loadSeen([...eventIds]);
    for (const order of this.loadOrders([...orderIds])) customerIds.add(order.customerId);
    this.loadCustomers([...customerIds]);
    this.loadEmails([...emails]);
    this.loadChildren([...orderIds]);
  }

  /** Applies one event through the reducer; the same result the serial path would give. */
  reduceEvent(event: DomainEvent, reduce: IntakeReducer): IntakeResult {
    const seen = this.seenEvent(event.id);
    const state = this.stateFor(event, seen !== null);
    const changes = reduce(state, event);
    if (seen !== null) {
      // A repeated event writes nothing, whatever the reducer says.
      return result(event, true, seen[1], seen[2], 0, 0, null);
    }
    const customerId =
      changes.customer?.id ?? state.customer?.id ?? changes.event?.customerId ?? event.customerId;
    const orderId = changes.order?.id ?? state.order?.id ?? changes.event?.orderId ?? event.orderId;
    if (changes.rejected !== null) return result(event, false, customerId, orderId, 0, 0, changes.rejected);
    const { planned, cancelled } = this.write(changes, event.at);
    return result(event, false, customerId, orderId, planned, cancelled, null);
  }

  private stateFor(event: DomainEvent, duplicate: boolean): IntakeState {
    const orderId = eventOrderId(event);
    const order = orderId === null ? null : this.order(orderId);
    const lookup = customerLookup(event, order);
    let customer: Customer | null = null;
    if (lookup?.by === 'id') customer = this.customer(lookup.id);
    else if (lookup?.by === 'email') customer = this.customerByEmail(lookup.email);
    // As stored: an order that does not exist yet has no enrollments or touch points.
    if (order === null) return { duplicate, customer, order, enrollments: [], touchPoints: [] };
    if (!this.childrenLoaded.has(order.id)) this.loadChildren([order.id]);
    return {
      duplicate,
      customer,
      order,
      enrollments: [...(this.enrollmentsByOrder.get(order.id) ?? [])].sort(byEnrolledAt),
      touchPoints: this.touchPointsOf(order.id),
    };
  }

  private touchPointsOf(orderId: string): TouchPoint[] {
    const entry = this.touchPointsByOrder.get(orderId);
    if (entry === undefined) return [];
    if (!entry.sorted) {
      entry.held.sort(byDueThenPriority);
      entry.sorted = true;
    }
    const out: TouchPoint[] = new Array<TouchPoint>(entry.held.length);
    for (let i = 0; i < out.length; i++) out[i] = entry.held[i]!.touchPoint;
    return out;
  }

  private write(changes: IntakeChanges, at: number): { planned: number; cancelled: number } {
    if (changes.customer) this.putCustomer(this.values.customer(changes.customer));
    if (changes.order) this.putOrder(this.values.order(changes.order));
    if (changes.event) {
      const key = storedEventKey(changes.event);
      this.newEvents.push(changes.event);
      this.seen.set(key.id, [key.id, key.customerId, key.orderId]);
    }
    for (const enrollment of changes.enrollments) this.putEnrollment(this.values.enrollment(enrollment));
    let planned = 0;
    for (const touchPoint of changes.insertTouchPoints) {
      if (this.insertTouchPoint(this.values.touchPoint(touchPoint))) planned++;
    }
    for (const move of changes.reschedule) this.reschedule(move.id, move.dueAt);
    let cancelled = 0;
    for (const cancel of changes.cancel) cancelled += this.cancel(cancel.id, cancel.reason, at);
    return { planned, cancelled };
  }

  // --- events ---

  private loadSeen(ids: string[]): void {
    const wanted = ids.filter((id) => !this.seen.has(id));
    if (wanted.length === 0) return;
    for (const row of this.source.seenEvents(wanted)) this.seen.set(row[0], row);
    for (const id of wanted) if (!this.seen.has(id)) this.seen.set(id, null);
  }

  private seenEvent(id: string): SeenRow | null {
    if (!this.seen.has(id)) this.loadSeen([id]);
    return this.seen.get(id) ?? null;
  }

  // --- customers ---

  private loadCustomers(ids: string[]): void {
    const wanted = ids.filter((id) => !this.customers.has(id));
    if (wanted.length === 0) return;
    this.holdCustomers(this.source.customersById(wanted));
    for (const id of wanted) if (!this.customers.has(id)) this.customers.set(id, null);
  }

  private loadEmails(emails: string[]): void {
    const wanted = emails.filter((email) => !this.emailsLoaded.has(email));
    if (wanted.length === 0) return;
    this.holdCustomers(this.source.customersByEmail(wanted));
    for (const email of wanted) this.emailsLoaded.add(email);
  }

  /** Stored rows not held yet; a held one is newer (written by this batch) or the same. */
  private holdCustomers(rows: CustomerRow[]): void {
    for (const row of rows) {
      const id = row[0];
      if (this.customers.get(id)) continue;
      this.customers.set(id, customerFromRow(row));
      this.dbCustomers.set(id, row);
      this.indexEmail(id, row[2]);
    }
  }

  private indexEmail(id: string, email: string | null): void {
    const before = this.emailOf.get(id);
    if (before === email && this.emailOf.has(id)) return;
    if (before != null) this.byEmail.get(before)?.delete(id);
    this.emailOf.set(id, email);
    if (email === null) return;
    const ids = this.byEmail.get(email);
    if (ids) ids.add(id);
    else this.byEmail.set(email, new Set([id]));
  }

  private customer(id: string): Customer | null {
    if (!this.customers.has(id)) this.loadCustomers([id]);
    return this.customers.get(id) ?? null;
  }

  /** The earliest customer (created_at, then id) with this address, as the serial lookup orders them. */
  private customerByEmail(email: string): Customer | null {
    if (!this.emailsLoaded.has(email)) this.loadEmails([email]);
    let best: Customer | null = null;
    for (const id of this.byEmail.get(email) ?? []) {
      const candidate = this.customers.get(id);
      if (!candidate) continue;
      if (
        best === null ||
        candidate.createdAt < best.createdAt ||
        (candidate.createdAt === best.createdAt && compareText(candidate.id, best.id) < 0)
      ) {
        best = candidate;
      }
    }
    return best;
  }

  private putCustomer(customer: Customer): void {
    this.customers.set(customer.id, customer);
    this.dirtyCustomers.add(customer.id);
    this.indexEmail(customer.id, normalizedEmail(customer.email));
  }

  currentCustomer(id: string): Customer {
    return this.customers.get(id)!;
  }

  // --- orders ---

  private loadOrders(ids: string[]): Order[] {
    const wanted = ids.filter((id) => !this.orders.has(id));
    if (wanted.length === 0) return [];
    const loaded: Order[] = [];
    for (const row of this.source.orders(wanted)) {
      const order = orderFromRow(row);
      this.orders.set(order.id, order);
      this.dbOrders.set(order.id, row);
      loaded.push(order);
    }
    for (const id of wanted) if (!this.orders.has(id)) this.orders.set(id, null);
    return loaded;
  }

  private order(id: string): Order | null {
    if (!this.orders.has(id)) this.loadOrders([id]);
    return this.orders.get(id) ?? null;
  }

  private putOrder(order: Order): void {
    // An upsert replaces the whole row, whatever was stored: no need to have read it.
    this.orders.set(order.id, order);
    this.dirtyOrders.add(order.id);
  }

  currentOrder(id: string): Order {
    return this.orders.get(id)!;
  }

  // --- enrollments and touch points (held per order) ---

  /**
   * Reads the stored enrollments and touch points of orders not held yet, including orders that
   * have no row (their children are as stored: a later event of the batch would see them).
   */
  private loadChildren(orderIds: string[]): void {
    const wanted = orderIds.filter((id) => !this.childrenLoaded.has(id));
    if (wanted.length === 0) return;
    for (const id of wanted) {
      this.childrenLoaded.add(id);
      if (!this.enrollmentsByOrder.has(id)) this.enrollmentsByOrder.set(id, []);
      if (!this.touchPointsByOrder.has(id)) this.touchPointsByOrder.set(id, { held: [], sorted: true });
    }
    for (const row of this.source.enrollmentsOf(wanted)) {
      const id = row[0];
      // Written by this batch already (an upsert wins over what was stored).
      if (this.enrollmentById.has(id)) continue;
      const enrollment = enrollmentFromRow(row);
      this.enrollmentById.set(id, enrollment);
      this.dbEnrollments.set(id, row);
      this.enrollmentsByOrder.get(enrollment.orderId)!.push(enrollment);
    }
    for (const row of this.source.touchPointsOf(wanted)) {
      const touchPoint = touchPointFromRow(row as unknown as TouchPointRow);
      // Inserted by this batch already: INSERT OR IGNORE would have kept the stored one.
      if (this.touchPointById.has(touchPoint.id)) throw new UnseenConflict(touchPoint.id);
      const held = { touchPoint, priority: row[17], stored: touchPoint };
      this.touchPointById.set(touchPoint.id, held);
      this.dbTouchPoints.push(held);
      // Rows come ordered by due_at, priority, id: appending keeps the list sorted.
      this.touchPointsByOrder.get(touchPoint.orderId)!.held.push(held);
    }
  }

  private putEnrollment(enrollment: Enrollment): void {
    if (!this.childrenLoaded.has(enrollment.orderId)) this.loadChildren([enrollment.orderId]);
    const before = this.enrollmentById.get(enrollment.id);
    if (before !== undefined) {
      const list = this.enrollmentsByOrder.get(before.orderId);
      const at = list ? list.indexOf(before) : -1;
      if (at >= 0) list!.splice(at, 1);
    }
    this.enrollmentById.set(enrollment.id, enrollment);
    this.enrollmentsByOrder.get(enrollment.orderId)!.push(enrollment);
    this.dirtyEnrollments.add(enrollment.id);
  }

  currentEnrollment(id: string): Enrollment {
    return this.enrollmentById.get(id)!;
  }

  /** INSERT OR IGNORE: false when a row with this id is held (stored or inserted earlier). */
  private insertTouchPoint(touchPoint: TouchPoint): boolean {
    if (!this.childrenLoaded.has(touchPoint.orderId)) this.loadChildren([touchPoint.orderId]);
    if (this.touchPointById.has(touchPoint.id)) return false;
    const held = { touchPoint, priority: insertPriority(touchPoint), stored: null };
    this.touchPointById.set(touchPoint.id, held);
    this.insertedTouchPoints.push(held);
    const entry = this.touchPointsByOrder.get(touchPoint.orderId)!;
    entry.held.push(held);
    entry.sorted = false;
    return true;
  }

  private replaceTouchPoint(held: HeldTouchPoint, touchPoint: TouchPoint): void {
    // States handed out earlier hold the previous value, never `held` itself.
    held.touchPoint = touchPoint;
    this.touchPointsByOrder.get(touchPoint.orderId)!.sorted = false;
  }

  /** Only a scheduled touch point moves. One the batch does not hold is moved in the database now. */
  private reschedule(id: string, dueAt: number): void {
    const held = this.touchPointById.get(id);
    if (held === undefined) return this.source.reschedule(id, dueAt);
    if (held.touchPoint.status !== 'scheduled') return;
    this.replaceTouchPoint(held, { ...held.touchPoint, dueAt });
  }

  /** Only a scheduled touch point is cancelled; returns how many were. */
  private cancel(id: string, reason: string, at: number): number {
    const held = this.touchPointById.get(id);
    if (held === undefined) return this.source.cancel(id, reason, at);
    if (held.touchPoint.status !== 'scheduled') return 0;
    this.replaceTouchPoint(held, {
      ...held.touchPoint,
      status: 'cancelled',
      reason: reason as unknown as Reason,
      outcomeAt: at,
      leaseUntil: null,
    });
    return 1;
  }

  /** New touch points in their final state (a later event may have moved or cancelled one). */
  newTouchPoints(): TouchPoint[] {
    return this.insertedTouchPoints.map((held) => held.touchPoint);
  }

  /** Stored touch points this batch moved or cancelled, as they are now. */
  changedTouchPoints(): TouchPoint[] {
    const changed: TouchPoint[] = [];
    for (const held of this.dbTouchPoints) if (held.touchPoint !== held.stored) changed.push(held.touchPoint);
    return changed;
  }
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
