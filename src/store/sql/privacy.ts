// A customer's export and erasure (GDPR), written once for both dialects. Erasure runs in one
// transaction and leaves ids and times only (store/erasure.ts), so a replayed provider event is
// still recognised as seen and nothing that names or describes the person remains.
import type { Kysely, Transaction } from 'kysely';
import type { Millis } from '../../core/domain.js';
import { DEFAULT_PREFERENCES } from '../../core/listening/types.js';
import { reason } from '../../core/reasons.js';
import {
  ERASED_REASON,
  ERASED_TASK_TITLE,
  ERASED_TEMPERATURE,
  erasedAttributes,
  withoutDetail,
} from '../erasure.js';
import type { CustomerExport, ErasureReport, PrivacyStore } from '../ports/privacy.js';
import { decodeEmbedded, encodeEmbedded } from '../records/embedded.js';
import { compareText } from '../records/storable.js';
import { suppressionKey } from '../suppression.js';
import { forUpdate, type SqlHandle } from './db.js';
import { buryIdentities, forgetWaitingCopies } from './erasure.js';
import {
  concernFromRow,
  customerFromRow,
  enrollmentFromRow,
  enrollmentRow,
  orderFromRow,
  taskFromRow,
} from './rows.js';
import type { Tables } from './tables.js';
import { touchPointsOfOrders } from './touchPoints.js';
import { SqlReads } from './reads.js';

export class SqlPrivacy implements PrivacyStore {
  constructor(
    private readonly sql: SqlHandle,
    /** Runs after an erasure committed (SQLite: checkpoint the WAL, so old pages leave it). */
    private readonly afterErase: () => Promise<void> = () => Promise.resolve(),
  ) {}

  exportCustomer(id: string): Promise<CustomerExport | null> {
    // One transaction: one consistent view of everything about the person.
    return this.sql.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return null;
      const orders = await trx
        .selectFrom('orders')
        .selectAll()
        .where('customer_id', '=', id)
        .orderBy('placed_at')
        .orderBy('id')
        .execute();
      const orderIds = orders.map((o) => o.id);
      const enrollments =
        orderIds.length === 0
          ? []
          : (await trx.selectFrom('enrollments').selectAll().where('order_id', 'in', orderIds).execute())
              .map((r) => enrollmentFromRow(r).enrollment)
              .sort((a, b) => a.enrolledAt - b.enrolledAt || compareText(a.id, b.id));
      const tasks = await trx
        .selectFrom('tasks')
        .selectAll()
        .where('customer_id', '=', id)
        .orderBy('due_at')
        .orderBy('id')
        .execute();
      return {
        customer: customerFromRow(row),
        orders: orders.map(orderFromRow),
        enrollments,
        events: await new SqlReads({ ...this.sql, db: trx }).listEvents(id),
        touchPoints: (await touchPointsOfOrders(trx, orderIds)).filter((t) => t.customerId === id),
        tasks: tasks.map(taskFromRow),
        concerns: (
          await trx
            .selectFrom('concerns')
            .selectAll()
            .where('customer_id', '=', id)
            .orderBy('opened_at')
            .orderBy('id')
            .execute()
        ).map(concernFromRow),
        suppressions:
          row.email === null
            ? []
            : (
                await trx
                  .selectFrom('suppressions')
                  .select(['reason', 'created_at'])
                  .where('email_hash', '=', suppressionKey(row.email))
                  .execute()
              ).map((s) => ({ reason: s.reason, createdAt: Number(s.created_at) })),
      };
    });
  }

  async eraseCustomer(id: string, at: Millis): Promise<ErasureReport | null> {
    const report = await this.eraseInTransaction(id, at);
    if (report !== null) await this.afterErase();
    return report;
  }

  private eraseInTransaction(id: string, at: Millis): Promise<ErasureReport | null> {
    return this.sql.db.transaction().execute(async (trx) => {
      const row = await forUpdate(
        this.sql,
        trx.selectFrom('customers').selectAll().where('id', '=', id),
      ).executeTakeFirst();
      if (!row) return null;
      const customer = customerFromRow(row);
      if (customer.email !== null) {
        await trx
          .insertInto('suppressions')
          .values({ email_hash: suppressionKey(customer.email), reason: ERASED_REASON, created_at: at })
          .onConflict((oc) => oc.column('email_hash').doNothing())
          .execute();
      }
      const tombstones = await buryIdentities(trx, customer, at);
      const waitingCopies = await forgetWaitingCopies(this.sql, trx, customer);
      const orderIds = (
        await trx.selectFrom('orders').select('id').where('customer_id', '=', id).execute()
      ).map((o) => o.id);
      const touchPointIds = (await touchPointsOfOrders(trx, orderIds))
        .filter((t) => t.customerId === id)
        .map((t) => t.id)
        .sort(compareText);
      const cancelled = await this.endPrograms(trx, orderIds, id, at);
      const events = await this.eraseEvents(trx, id);
      const orders = await this.eraseOrders(trx, id);
      const tasks = await trx
        .updateTable('tasks')
        .set((eb) => ({
          title: ERASED_TASK_TITLE,
          script: '',
          outcome: null,
          notes: null,
          status: eb
            .case()
            .when('status', 'in', ['open', 'claimed'])
            .then('cancelled')
            .else(eb.ref('status'))
            .end(),
        }))
        .where('customer_id', '=', id)
        .executeTakeFirst();
      // Concerns keep their rows (counts, escalation history) but lose what the customer said;
      // unresolved ones end, so nobody is sent after a person who is gone.
      await trx
        .updateTable('concerns')
        .set((eb) => ({
          summary: '',
          resolution: null,
          status: 'resolved',
          resolved_at: eb.fn.coalesce('resolved_at', eb.val(at)),
          next_escalation_at: null,
        }))
        .where('customer_id', '=', id)
        .execute();
      await trx
        .updateTable('customers')
        .set((eb) => ({
          email: null,
          email_lower: null,
          first_name: null,
          name_key: null,
          last_name: null,
          phone: null,
          timezone: null,
          locale: null,
          attributes: JSON.stringify(erasedAttributes(at)),
          temperature: ERASED_TEMPERATURE,
          temperature_reasons: '[]',
          open_concerns: 0,
          awaiting_person_since: null,
          last_nps: null,
          engaged_at: null,
          preferences: JSON.stringify(DEFAULT_PREFERENCES),
          unsubscribed_at: eb.fn.coalesce('unsubscribed_at', eb.val(at)),
        }))
        .where('id', '=', id)
        .execute();
      return {
        customerId: id,
        suppressed: customer.email !== null,
        orders,
        events,
        tasks: Number(tasks.numUpdatedRows),
        cancelledTouchPoints: cancelled,
        touchPointIds,
        tombstones,
        waitingCopies,
      };
    });
  }

  /** Cancels every pending touch point (queued or planned) and ends the enrollments; returns how many were cancelled. */
  private async endPrograms(
    trx: Transaction<Tables>,
    orderIds: string[],
    customerId: string,
    at: Millis,
  ): Promise<number> {
    if (orderIds.length === 0) return 0;
    const rows = await trx
      .updateTable('touch_points')
      .set({
        status: 'cancelled',
        reason: ERASED_REASON,
        reason_detail: null,
        outcome_at: at,
        lease_until: null,
      })
      .where('order_id', 'in', orderIds)
      .where('customer_id', '=', customerId)
      .where('status', 'in', ['scheduled', 'claimed'])
      .executeTakeFirst();
    let cancelled = Number(rows.numUpdatedRows);
    // What a channel answered (an SMTP bounce quotes the address) goes; the reason code stays.
    await trx
      .updateTable('touch_points')
      .set({ reason_detail: null })
      .where('order_id', 'in', orderIds)
      .where('customer_id', '=', customerId)
      .where('reason_detail', 'is not', null)
      .execute();
    const enrollments = await trx
      .selectFrom('enrollments')
      .selectAll()
      .where('order_id', 'in', orderIds)
      .execute();
    const erased = reason(ERASED_REASON);
    for (const stored of enrollments.map(enrollmentFromRow)) {
      const plan = stored.plan.map((e) => {
        if (e.status !== 'scheduled') return withoutDetail(e);
        cancelled += 1;
        return { ...e, status: 'cancelled' as const, reason: erased, outcomeAt: at };
      });
      const enrollment =
        stored.enrollment.status === 'active'
          ? { ...stored.enrollment, status: 'ended' as const, endedReason: ERASED_REASON }
          : stored.enrollment;
      const row = enrollmentRow({ enrollment, plan });
      await trx
        .updateTable('enrollments')
        .set({
          status: row.status,
          ended_reason: row.ended_reason,
          plan: row.plan,
          next_due_at: row.next_due_at,
          next_priority: row.next_priority,
          next_key: row.next_key,
        })
        .where('order_id', '=', enrollment.orderId)
        .where('playbook', '=', enrollment.playbook)
        .execute();
    }
    return cancelled;
  }

  /** Empties the data of every event, rows and those kept with the orders; returns how many. */
  private async eraseEvents(trx: Kysely<Tables>, customerId: string): Promise<number> {
    const rows = await trx
      .updateTable('events')
      .set({ data: '{}' })
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    const orders = await trx
      .selectFrom('orders')
      .select(['id', 'embedded_events'])
      .where('customer_id', '=', customerId)
      .execute();
    let embedded = 0;
    for (const order of orders) {
      const events = decodeEmbedded(order.embedded_events, customerId, order.id);
      if (events.length === 0) continue;
      embedded += events.length;
      await trx
        .updateTable('orders')
        .set({ embedded_events: encodeEmbedded(events.map((e) => ({ ...e, data: {} }))) })
        .where('id', '=', order.id)
        .execute();
    }
    return Number(rows.numUpdatedRows) + embedded;
  }

  private async eraseOrders(trx: Kysely<Tables>, customerId: string): Promise<number> {
    const result = await trx
      .updateTable('orders')
      .set({ items: '[]', shipments: '[]', attributes: '{}', shipping_address: null })
      .where('customer_id', '=', customerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
