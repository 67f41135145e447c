// Intake on SQLite: one IMMEDIATE transaction per batch. What the batch needs is read in a few
// statements, every event is reduced against an in-memory overlay (intakeOverlay.ts), and each
// row is then written once with its final value, many rows per statement. A batch the overlay
// cannot vouch for is redone one event at a time (intakeSerial.ts), which is the reference.
import type Database from 'better-sqlite3';
import type { DomainEvent, StoredEvent } from '../../core/domain.js';
import type { IntakeReducer, IntakeResult } from '../port.js';
import {
  IntakeOverlay,
  UnseenConflict,
  type IntakeSource,
  type PrioritizedTouchPointRow,
  type SeenRow,
} from './intakeOverlay.js';
import { SqliteSerialIntake } from './intakeSerial.js';
import { NotStorable, isWellFormed } from './intakeValues.js';
import { MultiRowInsert } from './multiRow.js';
import {
  CUSTOMER_COLUMNS,
  ENROLLMENT_COLUMNS,
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  TOUCH_POINT_COLUMNS,
  TOUCH_POINT_INSERT_COLUMNS,
  TOUCH_POINT_INSERT_WIDTH,
  customerParams,
  enrollmentParams,
  eventParams,
  orderParams,
  prepareRows,
  pushTouchPointParams,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type SqlValue,
} from './rows.js';

/** The batch's writes failed: the serial path redoes it and reports the error as it arises. */
class FlushFailed extends Error {
  constructor(cause: unknown) {
    super('intake flush failed', { cause });
  }
}

function columnCount(columns: string): number {
  return columns.split(',').length;
}

function upsertTail(columns: string): string {
  const updates = columns
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `ON CONFLICT (id) DO UPDATE SET ${updates}`;
}

/** Keys bound as one JSON array: one statement for any number of them, no variable limit. */
const KEYS = '(SELECT value FROM json_each(?))';

type Keyed<R> = Database.Statement<[string], R>;

export class SqliteIntake {
  private readonly serial: SqliteSerialIntake;
  private readonly source: IntakeSource;
  private readonly customers: MultiRowInsert;
  private readonly orders: MultiRowInsert;
  private readonly events: MultiRowInsert;
  private readonly enrollments: MultiRowInsert;
  private readonly touchPoints: MultiRowInsert;
  private readonly updateTouchPoint: Database.Statement<SqlValue[]>;
  private redone = 0;
  readonly run: (events: DomainEvent[], reduce: IntakeReducer) => IntakeResult[];

  /** `prefetch: false` reads every row when first needed (tests cover both ways). */
  constructor(db: Database.Database, options: { prefetch?: boolean } = {}) {
    const prefetch = options.prefetch ?? true;
    this.serial = new SqliteSerialIntake(db);
    const seen: Keyed<SeenRow> = prepareRows(
      db,
      `SELECT id, customer_id, order_id FROM events WHERE id IN ${KEYS}`,
    );
    const orders: Keyed<OrderRow> = prepareRows(
      db,
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE id IN ${KEYS}`,
    );
    const customersById: Keyed<CustomerRow> = prepareRows(
      db,
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id IN ${KEYS}`,
    );
    const customersByEmail: Keyed<CustomerRow> = prepareRows(
      db,
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE email_lower IN ${KEYS}`,
    );
    const enrollments: Keyed<EnrollmentRow> = prepareRows(
      db,
      `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE order_id IN ${KEYS} ORDER BY enrolled_at, id`,
    );
    const touchPoints: Keyed<PrioritizedTouchPointRow> = prepareRows(
      db,
      `SELECT ${TOUCH_POINT_COLUMNS}, priority FROM touch_points WHERE order_id IN ${KEYS} ORDER BY due_at, priority, id`,
    );
    const reschedule = db.prepare<[number, string]>(
      "UPDATE touch_points SET due_at = ? WHERE id = ? AND status = 'scheduled'",
    );
    const cancel = db.prepare<[string, number, string]>(
      "UPDATE touch_points SET status = 'cancelled', reason = ?, outcome_at = ?, lease_until = NULL " +
        "WHERE id = ? AND status = 'scheduled'",
    );
    const all =
      <R>(statement: Keyed<R>) =>
      (keys: string[]): R[] =>
        statement.all(jsonKeys(keys));
    this.source = {
      seenEvents: all(seen),
      orders: all(orders),
      customersById: all(customersById),
      customersByEmail: all(customersByEmail),
      enrollmentsOf: all(enrollments),
      touchPointsOf: all(touchPoints),
      reschedule: (id, dueAt) => void reschedule.run(dueAt, id),
      cancel: (id, reason, at) => cancel.run(reason, at, id).changes,
    };

    this.customers = new MultiRowInsert(
      db,
      `INSERT INTO customers (${CUSTOMER_COLUMNS}) VALUES`,
      columnCount(CUSTOMER_COLUMNS),
      upsertTail(CUSTOMER_COLUMNS),
    );
    this.orders = new MultiRowInsert(
      db,
      `INSERT INTO orders (${ORDER_COLUMNS}) VALUES`,
      columnCount(ORDER_COLUMNS),
      upsertTail(ORDER_COLUMNS),
    );
    this.events = new MultiRowInsert(
      db,
      `INSERT INTO events (${EVENT_COLUMNS}) VALUES`,
      columnCount(EVENT_COLUMNS),
    );
    this.enrollments = new MultiRowInsert(
      db,
      `INSERT INTO enrollments (${ENROLLMENT_COLUMNS}) VALUES`,
      columnCount(ENROLLMENT_COLUMNS),
      upsertTail(ENROLLMENT_COLUMNS),
    );
    // Plain INSERT: the overlay knows every row of the orders it read, so a conflict means a row
    // it did not read (another order's) and the serial path, with INSERT OR IGNORE, decides.
    this.touchPoints = new MultiRowInsert(
      db,
      `INSERT INTO touch_points (${TOUCH_POINT_INSERT_COLUMNS}) VALUES`,
      TOUCH_POINT_INSERT_WIDTH,
    );
    this.updateTouchPoint = db.prepare(
      'UPDATE touch_points SET due_at = ?, status = ?, reason = ?, outcome_at = ?, lease_until = ? ' +
        "WHERE id = ? AND status = 'scheduled'",
    );

    const batch = db.transaction((events: DomainEvent[], reduce: IntakeReducer): IntakeResult[] => {
      const overlay = new IntakeOverlay(this.source);
      if (prefetch) overlay.prefetch(events);
      const results = events.map((event) => overlay.reduceEvent(event, reduce));
      try {
        this.flush(overlay);
      } catch (error) {
        throw new FlushFailed(error);
      }
      return results;
    });
    // IMMEDIATE: the batch reads before it writes; a deferred transaction would fail with
    // SQLITE_BUSY (no waiting) if another process committed in between.
    this.run = (events, reduce) => {
      try {
        return batch.immediate(events, reduce);
      } catch (error) {
        // Rolled back; the reducer is pure, so the batch can be reduced again.
        if (error instanceof FlushFailed || error instanceof NotStorable || error instanceof UnseenConflict) {
          this.redone++;
          return this.serial.run(events, reduce);
        }
        throw error;
      }
    };
  }

  /** Batches redone by the serial path (tests and benchmarks check that the overlay is used). */
  get fallbacks(): number {
    return this.redone;
  }

  private flush(overlay: IntakeOverlay): void {
    const customers: CustomerRow[] = [];
    for (const id of overlay.dirtyCustomers) {
      const row = customerParams(overlay.currentCustomer(id));
      if (!sameCells(overlay.dbCustomers.get(id), row)) customers.push(row);
    }
    this.customers.run(customers, pushCells);

    const orders: OrderRow[] = [];
    for (const id of overlay.dirtyOrders) {
      const row = orderParams(overlay.currentOrder(id));
      if (!sameCells(overlay.dbOrders.get(id), row)) orders.push(row);
    }
    this.orders.run(orders, pushCells);

    this.events.run(overlay.newEvents, pushEvent);

    const enrollments: EnrollmentRow[] = [];
    for (const id of overlay.dirtyEnrollments) {
      const row = enrollmentParams(overlay.currentEnrollment(id));
      if (!sameCells(overlay.dbEnrollments.get(id), row)) enrollments.push(row);
    }
    this.enrollments.run(enrollments, pushCells);

    this.touchPoints.run(overlay.newTouchPoints(), pushTouchPointParams);

    for (const t of overlay.changedTouchPoints()) {
      const { changes } = this.updateTouchPoint.run(
        t.dueAt,
        t.status,
        t.reason as unknown as string | null,
        t.outcomeAt,
        t.leaseUntil,
        t.id,
      );
      // The overlay read it scheduled and nothing else writes in this transaction.
      if (changes !== 1) throw new Error(`touch point ${t.id} was not scheduled any more`);
    }
  }
}

/**
 * A bound string with a lone surrogate reaches SQLite as U+FFFD, but json_each would decode its
 * escape differently: such keys (never seen in practice) go the serial way.
 */
function jsonKeys(keys: string[]): string {
  for (const key of keys) if (!isWellFormed(key)) throw new NotStorable('a lookup key');
  return JSON.stringify(keys);
}

function pushCells(out: SqlValue[], row: readonly SqlValue[]): void {
  for (const cell of row) out.push(cell);
}

function pushEvent(out: SqlValue[], event: StoredEvent): void {
  pushCells(out, eventParams(event));
}

function sameCells(stored: readonly SqlValue[] | undefined, next: readonly SqlValue[]): boolean {
  if (stored === undefined || stored.length !== next.length) return false;
  for (let i = 0; i < next.length; i++) if (stored[i] !== next[i]) return false;
  return true;
}
