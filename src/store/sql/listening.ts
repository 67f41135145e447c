// The listening capability on both dialects: unheard events in order, one customer's state, and
// the listener's changes written atomically with the events marked heard. On PostgreSQL the
// customer row is locked first, so the write serialises with intake (which rewrites whole
// customer rows under the same lock) and neither loses the other's columns.
import type { Customer, Millis, StoredEvent } from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';
import type { ConcernQuery, ListeningChanges, ListeningState, ListeningStore } from '../ports/listening.js';
import { forUpdate, type SqlHandle } from './db.js';
import { SqlReads } from './reads.js';
import {
  concernFromRow,
  concernRow,
  customerFromRow,
  eventFromRow,
  eventRow,
  taskFromRow,
  taskRow,
  touchPointRow,
} from './rows.js';
import { touchPointsOfOrders } from './touchPoints.js';

/** Thrown inside the transaction to roll it back when another listener heard an event first. */
class HeardAlready extends Error {}

export class SqlListening implements ListeningStore {
  private readonly reads: SqlReads;

  constructor(
    private readonly sql: SqlHandle,
    /** Told when follow-up touch points now come due at `dueAt` (PostgreSQL wakes other processes). */
    private readonly onDue: (dueAt: Millis) => Promise<void> = () => Promise.resolve(),
  ) {
    this.reads = new SqlReads(sql);
  }

  async unheard(limit: number): Promise<StoredEvent[]> {
    if (limit <= 0) return [];
    const rows = await this.sql.db
      .selectFrom('events')
      .selectAll()
      .where('heard_at', 'is', null)
      .orderBy('received_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(eventFromRow);
  }

  async stateOf(customerId: string): Promise<ListeningState | null> {
    const db = this.sql.db;
    const row = await db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirst();
    if (!row) return null;
    const orders = await this.reads.listOrders(customerId);
    const [events, touchPoints, concerns, openTasks] = await Promise.all([
      this.reads.listEvents(customerId),
      touchPointsOfOrders(
        db,
        orders.map((o) => o.id),
      ).then((all) => all.filter((t) => t.customerId === customerId)),
      db
        .selectFrom('concerns')
        .selectAll()
        .where('customer_id', '=', customerId)
        .orderBy('opened_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('tasks')
        .selectAll()
        .where('customer_id', '=', customerId)
        .where('status', 'in', ['open', 'claimed'])
        .orderBy('due_at')
        .orderBy('id')
        .execute(),
    ]);
    return {
      customer: customerFromRow(row),
      events,
      orders,
      touchPoints,
      concerns: concerns.map(concernFromRow),
      openTasks: openTasks.map(taskFromRow),
    };
  }

  async apply(changes: ListeningChanges, heard: { ids: readonly string[]; at: Millis }): Promise<boolean> {
    try {
      await this.sql.db.transaction().execute(async (trx) => {
        if (changes.customer !== null) await this.lockCustomer(trx, changes.customer.id);
        if (heard.ids.length > 0) {
          const marked = await trx
            .updateTable('events')
            .set({ heard_at: heard.at })
            .where('id', 'in', [...heard.ids])
            .where('heard_at', 'is', null)
            .executeTakeFirst();
          if (Number(marked.numUpdatedRows) !== heard.ids.length) throw new HeardAlready();
        }
        if (changes.customer !== null) {
          const c: Customer = changes.customer;
          await trx
            .updateTable('customers')
            .set({
              temperature: c.temperature,
              temperature_reasons: JSON.stringify(c.temperatureReasons),
              open_concerns: c.openConcerns,
              awaiting_person_since: c.awaitingPersonSince,
              last_nps: c.lastNps,
              engaged_at: c.engagedAt,
            })
            .where('id', '=', c.id)
            .execute();
        }
        for (const concern of changes.concerns) {
          const { id: _id, ...rest } = concernRow(concern);
          await trx
            .insertInto('concerns')
            .values(concernRow(concern))
            .onConflict((oc) => oc.column('id').doUpdateSet(rest))
            .execute();
        }
        for (const task of changes.newTasks) {
          await trx
            .insertInto('tasks')
            .values(taskRow(task))
            .onConflict((oc) => oc.column('touch_point_id').doNothing())
            .execute();
        }
        for (const close of changes.closeTasks) {
          await trx
            .updateTable('tasks')
            .set({ status: close.status, outcome: close.outcome, completed_at: close.at })
            .where('id', '=', close.id)
            .where('status', 'in', ['open', 'claimed'])
            .execute();
        }
        for (const event of changes.events) {
          await trx
            .insertInto('events')
            .values({ ...eventRow(event), heard_at: event.receivedAt })
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
        }
        for (const tp of changes.newTouchPoints) {
          await trx
            .insertInto('touch_points')
            .values(touchPointRow(tp, null))
            .onConflict((oc) => oc.column('id').doNothing())
            .execute();
        }
      });
      const due = changes.newTouchPoints.filter((t) => t.status === 'scheduled').map((t) => t.dueAt);
      if (due.length > 0) await this.onDue(Math.min(...due));
      return true;
    } catch (error) {
      if (error instanceof HeardAlready) return false;
      throw error;
    }
  }

  async getConcern(id: string): Promise<Concern | null> {
    const row = await this.sql.db.selectFrom('concerns').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? concernFromRow(row) : null;
  }

  async listConcerns(query: ConcernQuery): Promise<Concern[]> {
    let q = this.sql.db.selectFrom('concerns').selectAll();
    if (query.status === 'unresolved') q = q.where('status', '!=', 'resolved');
    else if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.customerId !== undefined) q = q.where('customer_id', '=', query.customerId);
    if (query.owner !== undefined) q = q.where('owner', '=', query.owner);
    q = q.orderBy('opened_at', 'desc').orderBy('id', 'desc');
    if (query.limit !== undefined) q = q.limit(Math.max(0, query.limit));
    return (await q.execute()).map(concernFromRow);
  }

  async dueEscalations(now: Millis, limit: number): Promise<Concern[]> {
    if (limit <= 0) return [];
    const rows = await this.sql.db
      .selectFrom('concerns')
      .selectAll()
      .where('status', '!=', 'resolved')
      .where('next_escalation_at', '<=', now)
      .orderBy('next_escalation_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(concernFromRow);
  }

  async escalate(concern: Concern, expected: { level: number }): Promise<boolean> {
    const row = concernRow(concern);
    const result = await this.sql.db
      .updateTable('concerns')
      .set({
        level: row.level,
        owner: row.owner,
        severity: row.severity,
        escalations: row.escalations,
        next_escalation_at: row.next_escalation_at,
      })
      .where('id', '=', concern.id)
      .where('level', '=', expected.level)
      .where('status', '!=', 'resolved')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  private async lockCustomer(trx: SqlHandle['db'], customerId: string): Promise<void> {
    await forUpdate(
      this.sql,
      trx.selectFrom('customers').select('id').where('id', '=', customerId),
    ).execute();
  }
}
