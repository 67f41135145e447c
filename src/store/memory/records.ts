// The memory store's records and the indexes the ports read them by: customers (by id and by
// lower-cased address), orders and events (by customer), enrollments with their compact plans
// (by order) and the queued touch point rows each plan became, the due and lease indexes, and the
// send log. Every change goes through this class, which keeps all of them in step; records are
// frozen (owned.ts), the slots holding them are the store's own.
import type { Customer, Millis, StoredEvent, TouchPoint } from '../../core/domain.js';
import { isListened } from '../../core/listening/heard.js';
import type { StoredEnrollment, StoredOrder } from '../intake/batch.js';
import { normalizedEmail } from '../intake/lookup.js';
import { DueIndex, LeaseIndex, type PlanSlot, type RowSlot } from './dueIndex.js';
import type { StoryTelling } from '../ports/stories.js';
import { SendLog, countsAsSend } from './sendLog.js';

const NONE: readonly string[] = Object.freeze([]);
const NO_PLANS: readonly PlanSlot[] = Object.freeze([]);

function addTo<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (list === undefined) index.set(key, [value]);
  else list.push(value);
}

function removeFrom<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  const at = list === undefined ? -1 : list.indexOf(value);
  if (at < 0) return;
  if (list!.length === 1) index.delete(key);
  else list!.splice(at, 1);
}

export class Records {
  private readonly customerMap = new Map<string, Customer>();
  private readonly orderMap = new Map<string, StoredOrder>();
  private readonly eventMap = new Map<string, StoredEvent>();
  /** Events of the kinds the listener hears, not heard yet (events.heard_at IS NULL in SQL). */
  private readonly unheardIds = new Set<string>();
  /** By enrollment id (`playbook:order`). */
  private readonly plans = new Map<string, PlanSlot>();
  /** Touch points that left their plan (claimed, changed by hand, handed back), by id. */
  private readonly rows = new Map<string, RowSlot>();
  // Index lists are arrays: most hold one to three entries, where a Set would cost ten times more.
  private readonly byEmail = new Map<string, string[]>();
  private readonly ordersByCustomer = new Map<string, string[]>();
  private readonly eventsByCustomer = new Map<string, string[]>();
  private readonly plansByOrder = new Map<string, PlanSlot[]>();
  /** Tombstones of erased people (core/identity.ts tombstonesOf) -> when they were erased. */
  readonly erasedIdentities = new Map<string, Millis>();
  /** Customer id -> story id -> the telling (the SQL stores' story_tellings), written with the send. */
  readonly storyTellings = new Map<string, Map<string, Readonly<StoryTelling>>>();
  readonly sends = new SendLog();
  readonly due = new DueIndex();
  readonly leases = new LeaseIndex();

  /** `installKey`: the install's secret key (keyed customer ids and tombstones). */
  constructor(readonly installKey: string) {}

  get customers(): ReadonlyMap<string, Customer> {
    return this.customerMap;
  }

  get orders(): ReadonlyMap<string, StoredOrder> {
    return this.orderMap;
  }

  get events(): ReadonlyMap<string, StoredEvent> {
    return this.eventMap;
  }

  enrollment(id: string): StoredEnrollment | undefined {
    return this.plans.get(id)?.stored;
  }

  /** The enrollment with its rows and index node (the queue and hand edits work on these). */
  planSlot(id: string): PlanSlot | undefined {
    return this.plans.get(id);
  }

  /** The order's enrollments, oldest first, each with the rows its plan became. */
  plansOf(orderId: string): readonly PlanSlot[] {
    return this.plansByOrder.get(orderId) ?? NO_PLANS;
  }

  *allEnrollments(): IterableIterator<StoredEnrollment> {
    for (const slot of this.plans.values()) yield slot.stored;
  }

  row(id: string): TouchPoint | undefined {
    return this.rows.get(id)?.touchPoint;
  }

  rowSlot(id: string): RowSlot | undefined {
    return this.rows.get(id);
  }

  *allRows(): IterableIterator<TouchPoint> {
    for (const slot of this.rows.values()) yield slot.touchPoint;
  }

  /** Ids of the customers with this lower-cased address. */
  customersWithEmail(email: string): readonly string[] {
    return this.byEmail.get(email) ?? NONE;
  }

  orderIdsOf(customerId: string): readonly string[] {
    return this.ordersByCustomer.get(customerId) ?? NONE;
  }

  /** Ids of the customer's events kept as rows (not those kept with their orders). */
  eventIdsOf(customerId: string): readonly string[] {
    return this.eventsByCustomer.get(customerId) ?? NONE;
  }

  putCustomer(customer: Customer): void {
    const before = this.customerMap.get(customer.id);
    this.customerMap.set(customer.id, customer);
    const was = before === undefined ? null : normalizedEmail(before.email);
    const now = normalizedEmail(customer.email);
    if (was === now) return;
    if (was !== null) removeFrom(this.byEmail, was, customer.id);
    if (now !== null) addTo(this.byEmail, now, customer.id);
  }

  putOrder(stored: StoredOrder): void {
    const { id, customerId } = stored.order;
    const before = this.orderMap.get(id);
    this.orderMap.set(id, stored);
    if (before?.order.customerId === customerId) return;
    if (before !== undefined) removeFrom(this.ordersByCustomer, before.order.customerId, id);
    addTo(this.ordersByCustomer, customerId, id);
  }

  /**
   * An event's customer never changes: erasure replaces its data only. A new event of a kind the
   * listener hears starts unheard unless `heard` (events the listener derives itself).
   */
  putEvent(event: StoredEvent, heard = false): void {
    if (!this.eventMap.has(event.id)) {
      addTo(this.eventsByCustomer, event.customerId, event.id);
      if (!heard && isListened(event.type)) this.unheardIds.add(event.id);
    }
    this.eventMap.set(event.id, event);
  }

  /** Ids of the events not heard yet, in no particular order. */
  get unheard(): ReadonlySet<string> {
    return this.unheardIds;
  }

  /** False when it was heard already (or is not an event the listener hears). */
  markHeard(id: string): boolean {
    return this.unheardIds.delete(id);
  }

  putEnrollment(stored: StoredEnrollment): void {
    const { id, orderId } = stored.enrollment;
    const slot = this.plans.get(id);
    if (slot !== undefined) {
      this.replan(slot, stored);
      return;
    }
    const created: PlanSlot = { stored, due: null, rows: [] };
    this.plans.set(id, created);
    addTo(this.plansByOrder, orderId, created);
    this.due.plan(created);
  }

  /** The enrollment of `slot` is now `stored` (the same enrollment id). */
  replan(slot: PlanSlot, stored: StoredEnrollment): void {
    slot.stored = stored;
    this.due.plan(slot);
  }

  /** A step of `plan` becomes row `t`; `claimedBy`: the worker, when it is claimed. */
  addRow(plan: PlanSlot, t: TouchPoint, claimedBy: string | null = null): RowSlot {
    const slot: RowSlot = {
      touchPoint: t,
      plan,
      claimedBy: t.status === 'claimed' ? claimedBy : null,
      due: null,
      lease: null,
    };
    this.rows.set(t.id, slot);
    plan.rows.push(slot);
    if (countsAsSend(t)) this.sends.add(t);
    this.due.row(slot);
    this.leases.row(slot);
    return slot;
  }

  /**
   * The row of `slot` is now `t` (the same id). (The provider's message id, which the SQL stores
   * keep for people querying the database, is not kept: no port reads it.)
   */
  rewrite(slot: RowSlot, t: TouchPoint, claimedBy: string | null = null): void {
    const before = slot.touchPoint;
    if (countsAsSend(before)) this.sends.remove(before);
    slot.touchPoint = t;
    if (countsAsSend(t)) this.sends.add(t);
    if (t.status !== 'claimed') slot.claimedBy = null;
    else if (claimedBy !== null) slot.claimedBy = claimedBy;
    // Each index is told only about rows that are, or were, in it.
    if (t.status === 'scheduled' || slot.due !== null) this.due.row(slot);
    if (t.status === 'claimed' || slot.lease !== null) this.leases.row(slot);
  }

  clear(): void {
    for (const map of [
      this.customerMap,
      this.orderMap,
      this.eventMap,
      this.unheardIds,
      this.plans,
      this.rows,
      this.byEmail,
      this.ordersByCustomer,
      this.eventsByCustomer,
      this.plansByOrder,
      this.erasedIdentities,
      this.storyTellings,
    ]) {
      map.clear();
    }
    this.sends.clear();
    this.due.clear();
    this.leases.clear();
  }
}
