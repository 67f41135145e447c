// Intake on PostgreSQL: one transaction per batch. The shared batch (intake/batch.ts) says what
// to read; orders, customers, enrollments and queued rows are read with FOR UPDATE in key order
// (so concurrent batches wait for each other instead of deadlocking), every event is reduced in
// memory, and the result goes out with COPY (new rows) and UPDATE ... FROM unnest (changed ones).
// A batch that lost a race with another (a row it thought new appeared) is simply redone.
import type { Pool, PoolClient } from 'pg';
import type { DomainEvent } from '../../core/domain.js';
import {
  gather,
  IntakeBatch,
  touchPointIdPrefix,
  type IntakeNeeds,
  type IntakeRows,
  type IntakeWrites,
} from '../intake/batch.js';
import { INSTALL_KEY_SETTING, missingInstallKey } from '../erasure.js';
import type { IntakeReducer, IntakeResult, IntakeStore } from '../ports/intake.js';
import {
  customerFromRow,
  customerRow,
  enrollmentFromRow,
  enrollmentRow,
  eventRow,
  orderRow,
  scheduleChangeRow,
  storedOrderFromRow,
  touchPointFromRow,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type TouchPointRow,
} from '../sql/rows.js';
import { copyRows, updateRows } from './bulk.js';
import { isRetryableConflict, releaseClient } from './pool.js';
import type { SchemaNames } from './schema.js';

/** A batch that lost a race with a concurrent one is redone up to this many times. */
const MAX_TRIES = 5;

/** Wraps an error thrown by the reducer, so it leaves the store as it came in (not as a store error). */
export class ReducerFailure extends Error {
  constructor(readonly original: unknown) {
    super('the intake reducer failed', { cause: original });
  }
}

export class PostgresIntake implements IntakeStore {
  constructor(
    private readonly pool: Pool,
    private readonly names: SchemaNames,
    /** Whether work due at this time is worth announcing to the workers now. */
    private readonly announce: (dueAt: number) => boolean,
  ) {}

  private key: string | null = null;

  private async installKey(client: PoolClient): Promise<string> {
    const found = await client.query<{ value: string }>(
      `SELECT value FROM ${this.names.table('settings')} WHERE name = $1`,
      [INSTALL_KEY_SETTING],
    );
    return found.rows[0]?.value ?? missingInstallKey();
  }

  async apply(events: DomainEvent[], reduce: IntakeReducer): Promise<IntakeResult[]> {
    if (events.length === 0) return [];
    const guardedReduce: IntakeReducer = (state, event) => {
      try {
        return reduce(state, event);
      } catch (error) {
        throw new ReducerFailure(error);
      }
    };
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: unknown = undefined;
      try {
        await client.query('BEGIN');
        // Made by the migration, never changed: read once.
        this.key ??= await this.installKey(client);
        const batch = new IntakeBatch(events, this.key);
        await gather(batch, (needs) => this.read(client, needs));
        const results = batch.reduce(guardedReduce);
        const writes = batch.writes();
        await this.write(client, writes);
        // Delivered at commit, to every process listening: new work may be due soon.
        if (writes.earliestDue !== null && this.announce(writes.earliestDue)) {
          await client.query('SELECT pg_notify($1, $2)', [this.names.dueChannel, String(writes.earliestDue)]);
        }
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        if (error instanceof ReducerFailure) throw error;
        if (attempt < MAX_TRIES && isRetryableConflict(error)) continue;
        throw error;
      } finally {
        releaseClient(client, broken);
      }
    }
  }

  private async read(client: PoolClient, needs: IntakeNeeds): Promise<IntakeRows> {
    const t = (name: string) => this.names.table(name);
    const rows: IntakeRows = {
      seenEvents: [],
      orders: [],
      customers: [],
      enrollments: [],
      touchPoints: [],
      tombstones: [],
    };
    if (needs.eventIds.length > 0) {
      const seen = await client.query<{ id: string; customer_id: string; order_id: string | null }>(
        `SELECT id, customer_id, order_id FROM ${t('events')} WHERE id = ANY($1::text[])`,
        [needs.eventIds],
      );
      rows.seenEvents = seen.rows.map((r) => ({ id: r.id, customerId: r.customer_id, orderId: r.order_id }));
    }
    if (needs.orderIds.length > 0) {
      const orders = await client.query<OrderRow>(
        `SELECT * FROM ${t('orders')} WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
        [needs.orderIds],
      );
      rows.orders = orders.rows.map(storedOrderFromRow);
    }
    if (needs.customerIds.length + needs.emails.length > 0) {
      const customers = await client.query<CustomerRow>(
        `SELECT * FROM ${t('customers')} WHERE id = ANY($1::text[]) OR email_lower = ANY($2::text[])
         ORDER BY id FOR UPDATE`,
        [needs.customerIds, needs.emails],
      );
      rows.customers = customers.rows.map(customerFromRow);
    }
    // After the customers (read FOR UPDATE): an erasure that held one of them has committed its
    // tombstones by now, and this statement sees them.
    if (needs.tombstones.length > 0) {
      const found = await client.query<{ hash: string }>(
        `SELECT hash FROM ${t('erased_identities')} WHERE hash = ANY($1::text[])`,
        [needs.tombstones],
      );
      rows.tombstones = found.rows.map((r) => r.hash);
    }
    if (needs.enrollmentsOf.length > 0) {
      const enrollments = await client.query<EnrollmentRow>(
        `SELECT * FROM ${t('enrollments')} WHERE order_id = ANY($1::text[]) ORDER BY order_id, playbook FOR UPDATE`,
        [needs.enrollmentsOf],
      );
      rows.enrollments = enrollments.rows.map(enrollmentFromRow);
    }
    if (needs.touchPointsOf.length > 0) {
      const touchPoints = await client.query<TouchPointRow>(
        `SELECT * FROM ${t('touch_points')} WHERE order_id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
        [needs.touchPointsOf],
      );
      rows.touchPoints = touchPoints.rows.map(touchPointFromRow);
    }
    return rows;
  }

  private async write(client: PoolClient, writes: IntakeWrites): Promise<void> {
    const t = (name: string) => this.names.table(name);
    await copyRows(client, t('customers'), 'customers', writes.customers.insert.map(customerRow));
    await updateRows(client, t('customers'), 'customers', ['id'], writes.customers.update.map(customerRow));
    await copyRows(client, t('orders'), 'orders', writes.orders.insert.map(orderRow));
    await updateRows(client, t('orders'), 'orders', ['id'], writes.orders.update.map(orderRow));
    await copyRows(client, t('events'), 'events', writes.events.map(eventRow));
    await copyRows(client, t('enrollments'), 'enrollments', writes.enrollments.insert.map(enrollmentRow));
    await updateRows(
      client,
      t('enrollments'),
      'enrollments',
      ['order_id', 'playbook'],
      writes.enrollments.update.map(enrollmentRow),
    );
    await updateRows(
      client,
      t('touch_points'),
      'touch_points',
      ['id'],
      writes.touchPoints.map((tp) => ({ id: tp.id, ...scheduleChangeRow(tp) })),
      {
        columns: ['due_at', 'status', 'reason', 'reason_detail', 'outcome_at', 'lease_until'],
        // Read FOR UPDATE as scheduled in this transaction; the guard only documents it.
        guard: "t.status = 'scheduled'",
      },
    );
    if (writes.endedPrograms.length > 0) {
      // The tasks of a program that ended: those made from its touch points, not yet done.
      const ended = writes.endedPrograms;
      await client.query(
        `UPDATE ${t('tasks')} AS t
         SET status = 'cancelled', outcome = e.outcome, completed_at = e.at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS e(order_id, prefix, outcome, at)
         WHERE t.order_id = e.order_id AND left(t.touch_point_id, length(e.prefix)) = e.prefix
           AND t.status IN ('open', 'claimed')`,
        [
          ended.map((p) => p.orderId),
          ended.map((p) => touchPointIdPrefix(p.enrollmentId)),
          ended.map((p) => p.outcome),
          ended.map((p) => p.at),
        ],
      );
    }
  }
}
