// Intake on PostgreSQL: one transaction per batch. The state of the whole batch is prefetched with
// a few `= ANY($1)` queries (orders, then customers, locked FOR UPDATE in id order so concurrent
// batches cannot deadlock on them), every event is reduced in memory against an overlay, and the
// result is written with COPY (new rows) and UPDATE ... FROM unnest (changed rows).
import type { Pool, PoolClient } from 'pg';
import type { DomainEvent, Enrollment } from '../../core/domain.js';
import { customerLookup, eventOrderId } from '../intake/lookup.js';
import { purposePriority } from '../priority.js';
import type { IntakeReducer, IntakeResult } from '../port.js';
import { copyRows } from './copy.js';
import { IntakeBatch } from './intakeBatch.js';
import {
  CUSTOMER_COLUMNS,
  CUSTOMER_TYPES,
  ENROLLMENT_COLUMNS,
  ENROLLMENT_TYPES,
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  ORDER_TYPES,
  TOUCH_POINT_COLUMNS,
  TOUCH_POINT_READ,
  customerFromRow,
  customerValues,
  enrollmentFromRow,
  enrollmentValues,
  eventValues,
  orderFromRow,
  orderValues,
  touchPointFromRow,
  touchPointValues,
  type Cell,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type TouchPointRow,
} from './rows.js';
import type { SchemaNames } from './schema.js';
import { isRetryableConflict, releaseClient } from './pool.js';

/** A batch that lost a race with a concurrent one (a row it thought new appeared) is redone. */
const MAX_TRIES = 5;

/** Wraps an error thrown by the reducer, so it leaves the store as it came in (not as a store error). */
export class ReducerFailure extends Error {
  constructor(readonly original: unknown) {
    super('the intake reducer failed', { cause: original });
  }
}

export interface IntakeOptions {
  /** Announce new work due within this horizon (real time) on the due channel. */
  notifyHorizonMs: number;
}

export class PostgresIntake {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly pool: Pool,
    private readonly names: SchemaNames,
    private readonly options: IntakeOptions,
  ) {
    this.sql = statements(names);
  }

  async run(events: DomainEvent[], reduce: IntakeReducer): Promise<IntakeResult[]> {
    if (events.length === 0) return [];
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: unknown = undefined;
      try {
        await client.query('BEGIN');
        const results = await this.apply(client, events, reduce);
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        if (attempt < MAX_TRIES && isRetryableConflict(error)) continue;
        throw error;
      } finally {
        releaseClient(client, broken);
      }
    }
  }

  private async apply(
    client: PoolClient,
    events: DomainEvent[],
    reduce: IntakeReducer,
  ): Promise<IntakeResult[]> {
    const batch = await this.prefetch(client, events);
    events.forEach((event, index) => {
      const state = batch.stateFor(event);
      let changes;
      try {
        changes = reduce(state, event);
      } catch (error) {
        throw new ReducerFailure(error);
      }
      batch.apply(index, event, state, changes);
    });
    await this.write(client, batch);
    return batch.results;
  }

  private async prefetch(client: PoolClient, events: DomainEvent[]): Promise<IntakeBatch> {
    const batch = new IntakeBatch();
    const orderIds = distinct(events.map(eventOrderId));
    const orders =
      orderIds.length === 0 ? [] : (await client.query<OrderRow>(this.sql.lockOrders, [orderIds])).rows;
    for (const row of orders) batch.addDbOrder(orderFromRow(row));

    // Every customer an event may resolve to (store/intakeLookup.ts): the one its order names,
    // the id it carries, or the one with its address.
    const customerIds = new Set<string>(orders.map((o) => o.customer_id));
    const emails = new Set<string>();
    for (const event of events) {
      const lookup = customerLookup(event, null);
      if (lookup?.by === 'id') customerIds.add(lookup.id);
      else if (lookup?.by === 'email') emails.add(lookup.email);
    }
    if (customerIds.size > 0 || emails.size > 0) {
      const { rows } = await client.query<CustomerRow & { email_lower: string | null }>(
        this.sql.lockCustomers,
        [[...customerIds], [...emails]],
      );
      const wanted = new Set(emails);
      // The earliest customer with an address answers for it, as findCustomerByEmail does.
      const byEmail = new Map<string, CustomerRow>();
      for (const row of rows) {
        batch.addDbCustomer(customerFromRow(row));
        const key = row.email_lower;
        if (key === null || !wanted.has(key)) continue;
        const best = byEmail.get(key);
        if (
          !best ||
          row.created_at < best.created_at ||
          (row.created_at === best.created_at && row.id < best.id)
        ) {
          byEmail.set(key, row);
        }
      }
      for (const [key, row] of byEmail) batch.emailIndex.set(key, row.id);
    }

    const seen = await client.query<{ id: string; customer_id: string; order_id: string | null }>(
      this.sql.seenEvents,
      [distinct(events.map((e) => e.id))],
    );
    for (const row of seen.rows)
      batch.seen.set(row.id, { customerId: row.customer_id, orderId: row.order_id });

    // Enrollments and touch points hang off orders; new orders have none.
    if (orders.length > 0) {
      const known = orders.map((o) => o.id);
      const enrollments = await client.query<EnrollmentRow>(this.sql.enrollmentsOf, [known]);
      for (const row of enrollments.rows) batch.addDbEnrollment(enrollmentFromRow(row));
      const touchPoints = await client.query<TouchPointRow>(this.sql.touchPointsOf, [known]);
      for (const row of touchPoints.rows) batch.addDbTouchPoint(touchPointFromRow(row));
    }
    return batch;
  }

  private async write(client: PoolClient, batch: IntakeBatch): Promise<void> {
    const { names } = this;
    const customers = split(batch.dirtyCustomers, batch.customers, batch.dbCustomers, customerValues);
    await copyRows(client, names.table('customers'), CUSTOMER_COLUMNS, customers.inserts);
    await this.updateRows(client, 'customers', CUSTOMER_COLUMNS, CUSTOMER_TYPES, customers.updates);

    const orders = split(batch.dirtyOrders, batch.orders, batch.dbOrders, orderValues);
    await copyRows(client, names.table('orders'), ORDER_COLUMNS, orders.inserts);
    await this.updateRows(client, 'orders', ORDER_COLUMNS, ORDER_TYPES, orders.updates);

    await copyRows(client, names.table('events'), EVENT_COLUMNS, batch.newEvents.map(eventValues));

    const enrollmentInserts: Cell[][] = [];
    const enrollmentUpdates: Cell[][] = [];
    for (const enrollment of batch.dirtyEnrollments.values()) {
      const before = batch.dbEnrollments.get(enrollment.id);
      const values = enrollmentValues(enrollment);
      if (!before) enrollmentInserts.push(values);
      else if (!sameEnrollment(before, enrollment)) enrollmentUpdates.push(values);
    }
    await copyRows(client, names.table('enrollments'), ENROLLMENT_COLUMNS, enrollmentInserts);
    await this.updateRows(client, 'enrollments', ENROLLMENT_COLUMNS, ENROLLMENT_TYPES, enrollmentUpdates);

    await copyRows(
      client,
      names.table('touch_points'),
      TOUCH_POINT_COLUMNS,
      [...batch.newTouchPoints.values()].map((t) => touchPointValues(t, purposePriority(t.purpose))),
    );

    if (batch.moves.size > 0) {
      await client.query(this.sql.moveTouchPoints, [[...batch.moves.keys()], [...batch.moves.values()]]);
    }
    if (batch.cancels.size > 0) {
      const ids = [...batch.cancels.keys()];
      const pending = [...batch.cancels.values()];
      const { rows } = await client.query<{ id: string }>(this.sql.cancelTouchPoints, [
        ids,
        pending.map((c) => c.reason),
        pending.map((c) => c.at),
      ]);
      for (const { id } of rows) {
        const cancel = batch.cancels.get(id);
        const counted = cancel === undefined ? undefined : batch.results[cancel.event];
        if (counted) counted.cancelled += 1;
      }
    }

    const earliest = batch.earliestNewDue();
    if (earliest !== null && earliest <= Date.now() + this.options.notifyHorizonMs) {
      // Delivered on COMMIT only, so a worker never wakes for work it cannot see yet.
      await client.query('SELECT pg_notify($1, $2)', [names.dueChannel, String(earliest)]);
    }
  }

  private async updateRows(
    client: PoolClient,
    table: string,
    columns: readonly string[],
    types: readonly string[],
    rows: Cell[][],
  ): Promise<void> {
    if (rows.length === 0) return;
    const arrays = columns.map((_, i) => rows.map((row) => row[i] ?? null));
    const unnest = types.map((type, i) => `$${i + 1}::${type}[]`).join(', ');
    const sets = columns
      .filter((c) => c !== 'id')
      .map((c) => `${c} = v.${c}`)
      .join(', ');
    await client.query(
      `UPDATE ${this.names.table(table)} AS t SET ${sets}
       FROM unnest(${unnest}) AS v(${columns.join(', ')}) WHERE t.id = v.id`,
      arrays,
    );
  }
}

function statements(n: SchemaNames) {
  const customerColumns = CUSTOMER_COLUMNS.join(', ');
  return {
    lockOrders: `SELECT ${ORDER_COLUMNS.join(', ')} FROM ${n.table('orders')}
                 WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
    lockCustomers: `SELECT ${customerColumns} FROM ${n.table('customers')}
                    WHERE id = ANY($1::text[]) OR email_lower = ANY($2::text[]) ORDER BY id FOR UPDATE`,
    seenEvents: `SELECT id, customer_id, order_id FROM ${n.table('events')} WHERE id = ANY($1::text[])`,
    enrollmentsOf: `SELECT ${ENROLLMENT_COLUMNS.join(', ')} FROM ${n.table('enrollments')}
                    WHERE order_id = ANY($1::text[]) ORDER BY enrolled_at, id`,
    touchPointsOf: `SELECT ${TOUCH_POINT_READ} FROM ${n.table('touch_points')}
                    WHERE order_id = ANY($1::text[]) ORDER BY due_at, priority, id`,
    moveTouchPoints: `UPDATE ${n.table('touch_points')} AS t SET due_at = v.due_at
                      FROM unnest($1::text[], $2::bigint[]) AS v(id, due_at)
                      WHERE t.id = v.id AND t.status = 'scheduled'`,
    cancelTouchPoints: `UPDATE ${n.table('touch_points')} AS t
                        SET status = 'cancelled', reason = v.reason, outcome_at = v.at, lease_until = NULL
                        FROM unnest($1::text[], $2::text[], $3::bigint[]) AS v(id, reason, at)
                        WHERE t.id = v.id AND t.status = 'scheduled' RETURNING t.id`,
  };
}

/** Dirty rows split into new ones (COPY) and changed ones (UPDATE); unchanged rows are dropped. */
function split<T>(
  dirty: Set<string>,
  current: Map<string, T>,
  before: Map<string, T>,
  values: (row: T) => Cell[],
): { inserts: Cell[][]; updates: Cell[][] } {
  const inserts: Cell[][] = [];
  const updates: Cell[][] = [];
  for (const id of dirty) {
    const row = current.get(id)!;
    const old = before.get(id);
    const next = values(row);
    if (old === undefined) inserts.push(next);
    else if (!sameCells(values(old), next)) updates.push(next);
  }
  return { inserts, updates };
}

function sameCells(a: Cell[], b: Cell[]): boolean {
  return a.length === b.length && a.every((cell, i) => cell === b[i]);
}

function sameEnrollment(a: Enrollment, b: Enrollment): boolean {
  return sameCells(enrollmentValues(a), enrollmentValues(b));
}

function distinct(values: (string | null)[]): string[] {
  const set = new Set<string>();
  for (const value of values) if (value !== null) set.add(value);
  return [...set];
}
