// Intake on SQLite: one IMMEDIATE transaction per batch. The shared batch (intake/batch.ts) says
// what to read, in a few keyed statements, reduces every event in memory, and each row is then
// written once in its final state, many rows per statement. Named hot path: `sqlite.intake`.
import type Database from 'better-sqlite3';
import type { DomainEvent } from '../../core/domain.js';
import {
  gatherSync,
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
import type { ConnectionLane } from './dialect.js';
import { MultiRowInsert, type SqlValue } from './multiRow.js';

/** Keys bound as one JSON array: one statement for any number of them. */
const KEYS = '(SELECT value FROM json_each(?))';

type Keyed<R> = Database.Statement<[string], R>;
type Row = Record<string, SqlValue>;

/** `UPDATE table SET a = ?, b = ? ... WHERE <key columns> = ?` from a row's keys. */
function updateStatement(
  db: Database.Database,
  table: string,
  row: Row,
  keys: string[],
  extra = '',
): Database.Statement<SqlValue[]> {
  const set = Object.keys(row).filter((c) => !keys.includes(c));
  return db.prepare(
    `UPDATE ${table} SET ${set.map((c) => `${c} = ?`).join(', ')} WHERE ${keys.map((k) => `${k} = ?`).join(' AND ')}${extra}`,
  );
}

function updateParams(row: Row, keys: string[]): SqlValue[] {
  const out: SqlValue[] = [];
  for (const [column, value] of Object.entries(row)) if (!keys.includes(column)) out.push(value);
  for (const key of keys) out.push(row[key] ?? null);
  return out;
}

/** Prepares an UPDATE the first time a row of its shape is written. */
class Updater {
  private statement: Database.Statement<SqlValue[]> | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly table: string,
    private readonly keys: string[],
    private readonly extra = '',
  ) {}

  run(rows: readonly Row[]): number {
    let changes = 0;
    for (const row of rows) {
      this.statement ??= updateStatement(this.db, this.table, row, this.keys, this.extra);
      changes += this.statement.run(...updateParams(row, this.keys)).changes;
    }
    return changes;
  }
}

export class SqliteIntake implements IntakeStore {
  private readonly read: (needs: IntakeNeeds) => IntakeRows;
  private readonly run: (events: DomainEvent[], reduce: IntakeReducer) => IntakeResult[];
  private readonly inserts: Record<'customers' | 'orders' | 'events' | 'enrollments', MultiRowInsert<Row>>;
  private readonly updates: Record<'customers' | 'orders' | 'enrollments' | 'touchPoints', Updater>;
  private key: string | null = null;
  private readonly closeTasks: Database.Statement<[string, number, string, number, string]>;

  constructor(
    private readonly lane: ConnectionLane,
    /** Told the earliest due time a committed batch scheduled (wake-ups). */
    private readonly onDue: (dueAt: number) => void = () => undefined,
  ) {
    const db = lane.db;
    const seen: Keyed<{ id: string; customer_id: string; order_id: string | null }> = db.prepare(
      `SELECT id, customer_id, order_id FROM events WHERE id IN ${KEYS}`,
    );
    const orders: Keyed<OrderRow> = db.prepare(`SELECT * FROM orders WHERE id IN ${KEYS}`);
    const byId: Keyed<CustomerRow> = db.prepare(`SELECT * FROM customers WHERE id IN ${KEYS}`);
    const byEmail: Keyed<CustomerRow> = db.prepare(`SELECT * FROM customers WHERE email_lower IN ${KEYS}`);
    const enrollments: Keyed<EnrollmentRow> = db.prepare(
      `SELECT * FROM enrollments WHERE order_id IN ${KEYS}`,
    );
    const touchPoints: Keyed<TouchPointRow> = db.prepare(
      `SELECT * FROM touch_points WHERE order_id IN ${KEYS}`,
    );
    const tombstones: Keyed<{ hash: string }> = db.prepare(
      `SELECT hash FROM erased_identities WHERE hash IN ${KEYS}`,
    );
    const installKey = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?');
    const all = <R>(statement: Keyed<R>, keys: string[]): R[] =>
      keys.length === 0 ? [] : statement.all(JSON.stringify(keys));
    this.read = (needs) => ({
      seenEvents: all(seen, needs.eventIds).map((r) => ({
        id: r.id,
        customerId: r.customer_id,
        orderId: r.order_id,
      })),
      orders: all(orders, needs.orderIds).map(storedOrderFromRow),
      customers: [...all(byId, needs.customerIds), ...all(byEmail, needs.emails)].map(customerFromRow),
      enrollments: all(enrollments, needs.enrollmentsOf).map(enrollmentFromRow),
      touchPoints: all(touchPoints, needs.touchPointsOf).map(touchPointFromRow),
      tombstones: all(tombstones, needs.tombstones).map((r) => r.hash),
    });
    this.inserts = {
      customers: new MultiRowInsert(db, 'customers'),
      orders: new MultiRowInsert(db, 'orders'),
      events: new MultiRowInsert(db, 'events'),
      enrollments: new MultiRowInsert(db, 'enrollments'),
    };
    this.updates = {
      customers: new Updater(db, 'customers', ['id']),
      orders: new Updater(db, 'orders', ['id']),
      enrollments: new Updater(db, 'enrollments', ['order_id', 'playbook']),
      // The batch read it scheduled and nothing else writes in this transaction.
      touchPoints: new Updater(db, 'touch_points', ['id'], " AND status = 'scheduled'"),
    };
    // The tasks of a program that ended: those made from its touch points, not yet done.
    this.closeTasks = db.prepare(
      `UPDATE tasks SET status = 'cancelled', outcome = ?, completed_at = ?
       WHERE order_id = ? AND substr(touch_point_id, 1, ?) = ? AND status IN ('open', 'claimed')`,
    );
    const transaction = db.transaction((events: DomainEvent[], reduce: IntakeReducer) => {
      // Made by the migration, never changed: read once.
      this.key ??= installKey.get(INSTALL_KEY_SETTING)?.value ?? missingInstallKey();
      const batch = new IntakeBatch(events, this.key);
      gatherSync(batch, this.read);
      const results = batch.reduce(reduce);
      const writes = batch.writes();
      this.write(writes);
      return { results, earliestDue: writes.earliestDue };
    });
    // IMMEDIATE: the batch reads before it writes; a deferred transaction would fail with
    // SQLITE_BUSY (no waiting) if another process committed in between.
    this.run = (events, reduce) => {
      const { results, earliestDue } = transaction.immediate(events, reduce);
      if (earliestDue !== null) this.onDue(earliestDue);
      return results;
    };
  }

  apply(events: DomainEvent[], reduce: IntakeReducer): Promise<IntakeResult[]> {
    if (events.length === 0) return Promise.resolve([]);
    return this.lane.run(() => this.run(events, reduce));
  }

  private write(writes: IntakeWrites): void {
    this.inserts.customers.run(writes.customers.insert.map(customerRow));
    this.updates.customers.run(writes.customers.update.map(customerRow));
    this.inserts.orders.run(writes.orders.insert.map(orderRow));
    this.updates.orders.run(writes.orders.update.map(orderRow));
    this.inserts.events.run(writes.events.map(eventRow));
    this.inserts.enrollments.run(writes.enrollments.insert.map(enrollmentRow));
    this.updates.enrollments.run(writes.enrollments.update.map(enrollmentRow));
    this.updates.touchPoints.run(writes.touchPoints.map((t) => ({ ...scheduleChangeRow(t), id: t.id })));
    for (const ended of writes.endedPrograms) {
      const prefix = touchPointIdPrefix(ended.enrollmentId);
      this.closeTasks.run(ended.outcome, ended.at, ended.orderId, prefix.length, prefix);
    }
  }
}
