// Intake in memory: the shared batch (intake/batch.ts) reads what it needs by key, reduces every
// event, and says what to write. The writes are copied and checked against the keys they must
// not take before any is put, so a reducer that throws or a write that cannot be made leaves
// the store as it was: the batch is atomic, as one transaction is on the SQL stores.
import type { Customer, DomainEvent, StoredEvent, TouchPoint } from '../../core/domain.js';
import {
  gatherSync,
  IntakeBatch,
  touchPointIdPrefix,
  type EndedProgram,
  type IntakeNeeds,
  type IntakeRows,
  type IntakeWrites,
  type SeenEvent,
  type StoredEnrollment,
  type StoredOrder,
} from '../intake/batch.js';
import type { IntakeReducer, IntakeResult, IntakeStore } from '../ports/intake.js';
import {
  ownedCustomer,
  ownedEvent,
  ownedStoredEnrollment,
  ownedStoredOrder,
  ownedTask,
  ownedTouchPoint,
} from './owned.js';
import type { RowSlot } from './dueIndex.js';
import type { Records } from './records.js';
import { settle } from './settle.js';
import { duplicateKey, type MemoryTables } from './tables.js';

export class MemoryIntake implements IntakeStore {
  private readonly records: Records;

  constructor(private readonly tables: MemoryTables) {
    this.records = tables.records;
  }

  apply(events: DomainEvent[], reduce: IntakeReducer): Promise<IntakeResult[]> {
    return settle(() => {
      if (events.length === 0) return [];
      const batch = new IntakeBatch(events, this.records.installKey);
      gatherSync(batch, (needs) => this.read(needs));
      const results = batch.reduce(reduce);
      this.write(batch.writes());
      return results;
    });
  }

  private read(needs: IntakeNeeds): IntakeRows {
    const r = this.records;
    const rows: IntakeRows = {
      seenEvents: [],
      orders: [],
      customers: [],
      enrollments: [],
      touchPoints: [],
      tombstones: needs.tombstones.filter((stone) => r.erasedIdentities.has(stone)),
    };
    for (const id of needs.eventIds) {
      const e = r.events.get(id);
      if (e !== undefined)
        rows.seenEvents.push({ id: e.id, customerId: e.customerId, orderId: e.orderId } satisfies SeenEvent);
    }
    for (const id of needs.orderIds) {
      const stored = r.orders.get(id);
      if (stored !== undefined) rows.orders.push(stored);
    }
    for (const id of needs.customerIds) {
      const customer = r.customers.get(id);
      if (customer !== undefined) rows.customers.push(customer);
    }
    for (const email of needs.emails) {
      for (const id of r.customersWithEmail(email)) rows.customers.push(r.customers.get(id)!);
    }
    for (const orderId of needs.enrollmentsOf) {
      for (const plan of r.plansOf(orderId)) rows.enrollments.push(plan.stored);
    }
    for (const orderId of needs.touchPointsOf) {
      for (const plan of r.plansOf(orderId))
        for (const row of plan.rows) rows.touchPoints.push(row.touchPoint);
    }
    return rows;
  }

  private write(writes: IntakeWrites): void {
    const r = this.records;
    // Everything is copied and checked first; nothing below the checks can fail.
    const customers: Customer[] = [];
    for (const c of writes.customers.insert) {
      if (r.customers.has(c.id)) throw duplicateKey('customers', c.id);
      customers.push(ownedCustomer(c));
    }
    for (const c of writes.customers.update) customers.push(ownedCustomer(c));
    const orders: StoredOrder[] = [];
    for (const o of writes.orders.insert) {
      if (r.orders.has(o.order.id)) throw duplicateKey('orders', o.order.id);
      orders.push(ownedStoredOrder(o));
    }
    for (const o of writes.orders.update) orders.push(ownedStoredOrder(o));
    const events: StoredEvent[] = [];
    for (const e of writes.events) {
      if (r.events.has(e.id)) throw duplicateKey('events', e.id);
      events.push(ownedEvent(e));
    }
    const enrollments: StoredEnrollment[] = [];
    for (const s of writes.enrollments.insert) {
      const owned = ownedStoredEnrollment(s.enrollment, s.plan);
      if (r.enrollment(owned.enrollment.id) !== undefined)
        throw duplicateKey('enrollments', owned.enrollment.id);
      enrollments.push(owned);
    }
    for (const s of writes.enrollments.update) enrollments.push(ownedStoredEnrollment(s.enrollment, s.plan));
    const rows: [RowSlot, TouchPoint][] = [];
    for (const t of writes.touchPoints) {
      const slot = r.rowSlot(t.id);
      // Only a row that is still scheduled moves or is cancelled.
      if (slot === undefined || slot.touchPoint.status !== 'scheduled') continue;
      const { dueAt, status, reason, outcomeAt, leaseUntil } = t;
      rows.push([
        slot,
        ownedTouchPoint({ ...slot.touchPoint, dueAt, status, reason, outcomeAt, leaseUntil }),
      ]);
    }

    for (const c of customers) r.putCustomer(c);
    for (const o of orders) r.putOrder(o);
    for (const e of events) r.putEvent(e);
    for (const s of enrollments) r.putEnrollment(s);
    for (const [slot, t] of rows) r.rewrite(slot, t);
    for (const ended of writes.endedPrograms) this.closeTasks(ended);
  }

  /** The tasks of a program that ended: those made from its touch points, not yet done. */
  private closeTasks(ended: EndedProgram): void {
    const prefix = touchPointIdPrefix(ended.enrollmentId);
    for (const task of this.tables.tasksOfCustomer(ended.customerId)) {
      if (task.orderId !== ended.orderId || !task.touchPointId.startsWith(prefix)) continue;
      if (task.status !== 'open' && task.status !== 'claimed') continue;
      this.tables.tasks.set(
        task.id,
        ownedTask({ ...task, status: 'cancelled', outcome: ended.outcome, completedAt: ended.at }),
      );
    }
  }
}
