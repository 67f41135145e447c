// A customer's export and erasure (GDPR) in memory, with the same rules as the SQL stores:
// erasure leaves ids and times only (store/erasure.ts), so a replayed provider event is still
// recognised as seen and nothing that names or describes the person remains.
import type { Customer, Enrollment, Millis, Order, Task, TouchPoint } from '../../core/domain.js';
import { DEFAULT_PREFERENCES } from '../../core/listening/types.js';
import { reason } from '../../core/reasons.js';
import { tombstonesOf } from '../../core/identity.js';
import {
  ERASED_REASON,
  ERASED_TASK_TITLE,
  ERASED_TEMPERATURE,
  erasedAttributes,
  withoutDetail,
} from '../erasure.js';
import type { CustomerExport, ErasureReport, PrivacyStore } from '../ports/privacy.js';
import { compareText } from '../records/storable.js';
import { suppressionKey } from '../suppression.js';
import { suppressInto } from './consent.js';
import {
  changed,
  ownedConcern,
  ownedCustomer,
  ownedEvent,
  ownedReason,
  ownedStoredEnrollment,
  ownedStoredOrder,
  ownedTask,
} from './owned.js';
import { eventsOf, ordersOf } from './reads.js';
import type { Records } from './records.js';
import { settle } from './settle.js';
import type { MemoryTables } from './tables.js';
import { touchPointsOfOrders } from './touchPoints.js';

export class MemoryPrivacy implements PrivacyStore {
  private readonly records: Records;

  constructor(private readonly tables: MemoryTables) {
    this.records = tables.records;
  }

  exportCustomer(id: string): Promise<CustomerExport | null> {
    return settle(() => {
      const customer = this.records.customers.get(id);
      if (customer === undefined) return null;
      const orders = ordersOf(this.records, id);
      const enrollments: Enrollment[] = [];
      for (const order of orders) {
        for (const plan of this.records.plansOf(order.id)) enrollments.push(plan.stored.enrollment);
      }
      enrollments.sort((a, b) => a.enrolledAt - b.enrolledAt || compareText(a.id, b.id));
      return {
        customer,
        orders,
        enrollments,
        events: eventsOf(this.records, id),
        touchPoints: this.touchPointsOf(id, orders),
        tasks: this.tasksOf(id).sort((a, b) => a.dueAt - b.dueAt || compareText(a.id, b.id)),
        concerns: this.tables
          .concernsOfCustomer(id)
          .sort((a, b) => a.openedAt - b.openedAt || compareText(a.id, b.id)),
        suppressions: this.suppressionsOf(customer),
      };
    });
  }

  eraseCustomer(id: string, at: Millis): Promise<ErasureReport | null> {
    return settle(() => {
      const customer = this.records.customers.get(id);
      if (customer === undefined) return null;
      if (customer.email !== null) suppressInto(this.tables, customer.email, ERASED_REASON, at);
      const stones = tombstonesOf(
        { customerId: customer.id, email: customer.email, phone: customer.phone },
        this.records.installKey,
      );
      for (const stone of stones)
        if (!this.records.erasedIdentities.has(stone)) this.records.erasedIdentities.set(stone, at);
      const waitingCopies = this.forgetWaitingCopies(customer);
      const orders = ordersOf(this.records, id);
      const touchPointIds = this.touchPointsOf(id, orders)
        .map((t) => t.id)
        .sort(compareText);
      const cancelled = this.endPrograms(id, orders, at);
      const events = this.eraseEvents(id, orders);
      for (const order of orders) {
        const stored = this.records.orders.get(order.id)!;
        this.records.putOrder(
          ownedStoredOrder({
            order: { ...stored.order, items: [], shipments: [], attributes: {}, shippingAddress: null },
            embedded: stored.embedded,
          }),
        );
      }
      const tasks = this.tasksOf(id);
      for (const task of tasks) {
        const status = task.status === 'open' || task.status === 'claimed' ? 'cancelled' : task.status;
        this.tables.tasks.set(
          task.id,
          ownedTask({ ...task, title: ERASED_TASK_TITLE, script: '', outcome: null, notes: null, status }),
        );
      }
      // Concerns keep their rows but lose what the customer said; unresolved ones end.
      for (const concern of this.tables.concernsOfCustomer(id)) {
        this.tables.putConcern(
          ownedConcern({
            ...concern,
            summary: '',
            resolution: null,
            status: 'resolved',
            resolvedAt: concern.resolvedAt ?? at,
            nextEscalationAt: null,
          }),
        );
      }
      this.records.putCustomer(erased(customer, at));
      return {
        customerId: id,
        suppressed: customer.email !== null,
        orders: orders.length,
        events,
        tasks: tasks.length,
        cancelledTouchPoints: cancelled,
        touchPointIds,
        tombstones: stones.length,
        waitingCopies,
      };
    });
  }

  private suppressionsOf(customer: Customer): { reason: string; createdAt: Millis }[] {
    const entry =
      customer.email === null ? undefined : this.tables.suppressions.get(suppressionKey(customer.email));
    return entry === undefined ? [] : [{ reason: entry.reason, createdAt: entry.createdAt }];
  }

  /** Inbox entries naming the customer (address or id) and Idempotency-Key answers holding their id. */
  private forgetWaitingCopies(customer: Customer): number {
    const needles = [JSON.stringify(customer.id).toLowerCase()];
    const email = customer.email?.trim().toLowerCase();
    if (email) needles.push(email);
    let removed = 0;
    for (const row of [...this.tables.inbox.values()]) {
      const text = row.event.toLowerCase();
      if (needles.some((needle) => text.includes(needle))) {
        this.tables.inbox.delete(row.seq);
        removed += 1;
      }
    }
    for (const answers of this.tables.idempotency.values()) {
      for (const [key, answer] of [...answers]) {
        if (answer.body?.toLowerCase().includes(needles[0]!)) {
          answers.delete(key);
          removed += 1;
        }
      }
    }
    return removed;
  }

  private touchPointsOf(customerId: string, orders: readonly Order[]): TouchPoint[] {
    return touchPointsOfOrders(
      this.records,
      orders.map((o) => o.id),
    ).filter((t) => t.customerId === customerId);
  }

  private tasksOf(customerId: string): Task[] {
    return this.tables.tasksOfCustomer(customerId);
  }

  /** Cancels every pending touch point (queued or planned) and ends the enrollments; returns how many were cancelled. */
  private endPrograms(customerId: string, orders: readonly Order[], at: Millis): number {
    const r = this.records;
    const erasedReason = ownedReason(reason(ERASED_REASON));
    let cancelled = 0;
    for (const order of orders) {
      for (const slot of r.plansOf(order.id)) {
        for (const row of slot.rows) {
          const t = row.touchPoint;
          if (t.customerId !== customerId) continue;
          if (t.status !== 'scheduled' && t.status !== 'claimed') {
            // What a channel answered (an SMTP bounce quotes the address) goes; the code stays.
            const scrubbed = withoutDetail(t);
            if (scrubbed !== t) r.rewrite(row, changed(t, { reason: ownedReason(scrubbed.reason) }));
            continue;
          }
          r.rewrite(
            row,
            changed(t, { status: 'cancelled', reason: erasedReason, outcomeAt: at, leaseUntil: null }),
          );
          cancelled += 1;
        }
      }
      for (const slot of r.plansOf(order.id)) {
        const stored = slot.stored;
        const plan = stored.plan.map((e) => {
          if (e.status !== 'scheduled') return withoutDetail(e);
          cancelled += 1;
          return { ...e, status: 'cancelled' as const, reason: erasedReason, outcomeAt: at };
        });
        const enrollment =
          stored.enrollment.status === 'active'
            ? { ...stored.enrollment, status: 'ended' as const, endedReason: ERASED_REASON }
            : stored.enrollment;
        r.replan(slot, ownedStoredEnrollment(enrollment, plan));
      }
    }
    return cancelled;
  }

  /** Empties the data of every event, rows and those kept with the orders; returns how many. */
  private eraseEvents(customerId: string, orders: readonly Order[]): number {
    const r = this.records;
    const ids = r.eventIdsOf(customerId);
    for (const id of ids) r.putEvent(ownedEvent({ ...r.events.get(id)!, data: {} }));
    let embedded = 0;
    for (const order of orders) {
      const stored = r.orders.get(order.id)!;
      if (stored.embedded.length === 0) continue;
      embedded += stored.embedded.length;
      r.putOrder(
        ownedStoredOrder({ order: stored.order, embedded: stored.embedded.map((e) => ({ ...e, data: {} })) }),
      );
    }
    return ids.length + embedded;
  }
}

function erased(c: Customer, at: Millis): Customer {
  return ownedCustomer({
    ...c,
    email: null,
    firstName: null,
    lastName: null,
    phone: null,
    timezone: null,
    locale: null,
    attributes: erasedAttributes(at),
    temperature: ERASED_TEMPERATURE,
    temperatureReasons: [],
    openConcerns: 0,
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: DEFAULT_PREFERENCES,
    unsubscribedAt: c.unsubscribedAt ?? at,
  });
}
