// Intake on SQLite, one event at a time: for each event load its IntakeState with cached
// statements, ask the pure reducer what to write, and write it before the next event is read.
// The reference behaviour of intake.ts, which falls back to it for batches its overlay refuses.
import type Database from 'better-sqlite3';
import type { Customer, DomainEvent, Order, TouchPoint } from '../../core/domain.js';
import { customerLookup, eventOrderId } from '../intakeLookup.js';
import type { IntakeChanges, IntakeReducer, IntakeResult, IntakeState } from '../port.js';
import {
  CUSTOMER_COLUMNS,
  ENROLLMENT_COLUMNS,
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  TOUCH_POINT_COLUMNS,
  TOUCH_POINT_INSERT_COLUMNS,
  TOUCH_POINT_INSERT_WIDTH,
  customerFromRow,
  customerParams,
  enrollmentFromRow,
  enrollmentParams,
  eventParams,
  orderFromRow,
  orderParams,
  placeholders,
  pushTouchPointParams,
  touchPointFromRow,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type SqlValue,
  type TouchPointRow,
  prepareRows,
} from './rows.js';

/** Touch points per multi-row INSERT: one statement per order's plan instead of one per row. */
const INSERT_CHUNK = 16;

function upsertSql(table: string, columns: string): string {
  const names = columns.split(',').map((c) => c.trim());
  const updates = names
    .filter((c) => c !== 'id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO ${table} (${columns}) VALUES (${placeholders(names.length)}) ON CONFLICT (id) DO UPDATE SET ${updates}`;
}

export class SqliteSerialIntake {
  private readonly seenEvent: Database.Statement<[string], [customerId: string, orderId: string | null]>;
  private readonly customerById: Database.Statement<[string], CustomerRow>;
  private readonly customerByEmail: Database.Statement<[string], CustomerRow>;
  private readonly orderById: Database.Statement<[string], OrderRow>;
  private readonly enrollmentsOfOrder: Database.Statement<[string], EnrollmentRow>;
  private readonly touchPointsOfOrder: Database.Statement<[string], TouchPointRow>;
  private readonly upsertCustomer: Database.Statement<SqlValue[]>;
  private readonly upsertOrder: Database.Statement<SqlValue[]>;
  private readonly insertEvent: Database.Statement<SqlValue[]>;
  private readonly upsertEnrollment: Database.Statement<SqlValue[]>;
  private readonly insertTouchPoints: Database.Statement<SqlValue[]>[] = [];
  private readonly reschedule: Database.Statement<[number, string]>;
  private readonly cancel: Database.Statement<[string, number, string]>;
  readonly run: (events: DomainEvent[], reduce: IntakeReducer) => IntakeResult[];

  constructor(private readonly db: Database.Database) {
    this.seenEvent = prepareRows(db, 'SELECT customer_id, order_id FROM events WHERE id = ?');
    this.customerById = prepareRows(db, `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`);
    this.customerByEmail = prepareRows(
      db,
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE email_lower = ? ORDER BY created_at, id LIMIT 1`,
    );
    this.orderById = prepareRows(db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`);
    this.enrollmentsOfOrder = prepareRows(
      db,
      `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE order_id = ? ORDER BY enrolled_at, id`,
    );
    this.touchPointsOfOrder = prepareRows(
      db,
      `SELECT ${TOUCH_POINT_COLUMNS} FROM touch_points WHERE order_id = ? ORDER BY due_at, priority, id`,
    );
    this.upsertCustomer = db.prepare(upsertSql('customers', CUSTOMER_COLUMNS));
    this.upsertOrder = db.prepare(upsertSql('orders', ORDER_COLUMNS));
    this.insertEvent = db.prepare(`INSERT INTO events (${EVENT_COLUMNS}) VALUES (${placeholders(7)})`);
    this.upsertEnrollment = db.prepare(upsertSql('enrollments', ENROLLMENT_COLUMNS));
    this.reschedule = db.prepare("UPDATE touch_points SET due_at = ? WHERE id = ? AND status = 'scheduled'");
    this.cancel = db.prepare(
      "UPDATE touch_points SET status = 'cancelled', reason = ?, outcome_at = ?, lease_until = NULL " +
        "WHERE id = ? AND status = 'scheduled'",
    );
    const batch = db.transaction((events: DomainEvent[], reduce: IntakeReducer): IntakeResult[] =>
      events.map((event) => this.apply(event, reduce)),
    );
    // IMMEDIATE: the batch reads before it writes; a deferred transaction would fail with
    // SQLITE_BUSY (no waiting) if another process committed in between.
    this.run = (events, reduce) => batch.immediate(events, reduce);
  }

  private apply(event: DomainEvent, reduce: IntakeReducer): IntakeResult {
    const seen = this.seenEvent.get(event.id);
    const state = this.load(event, seen !== undefined);
    const changes = reduce(state, event);
    if (seen !== undefined) {
      // A repeated event writes nothing, whatever the reducer says.
      return result(event, true, seen[0], seen[1], 0, 0, null);
    }
    const customerId =
      changes.customer?.id ?? state.customer?.id ?? changes.event?.customerId ?? event.customerId;
    const orderId = changes.order?.id ?? state.order?.id ?? changes.event?.orderId ?? event.orderId;
    if (changes.rejected !== null) return result(event, false, customerId, orderId, 0, 0, changes.rejected);
    const { planned, cancelled } = this.write(changes, event.at);
    return result(event, false, customerId, orderId, planned, cancelled, null);
  }

  private load(event: DomainEvent, duplicate: boolean): IntakeState {
    const orderId = eventOrderId(event);
    const orderRow = orderId === null ? undefined : this.orderById.get(orderId);
    const order: Order | null = orderRow ? orderFromRow(orderRow) : null;
    const lookup = customerLookup(event, order);
    let customerRow: CustomerRow | undefined;
    if (lookup?.by === 'id') customerRow = this.customerById.get(lookup.id);
    else if (lookup?.by === 'email') customerRow = this.customerByEmail.get(lookup.email);
    const customer: Customer | null = customerRow ? customerFromRow(customerRow) : null;
    // Enrollments and touch points hang off an order row written in the same transaction, so an
    // order that does not exist yet has none: skip two lookups on the hot path (new orders).
    if (order === null) return { duplicate, customer, order, enrollments: [], touchPoints: [] };
    return {
      duplicate,
      customer,
      order,
      enrollments: this.enrollmentsOfOrder.all(order.id).map(enrollmentFromRow),
      touchPoints: this.touchPointsOfOrder.all(order.id).map(touchPointFromRow),
    };
  }

  private write(changes: IntakeChanges, at: number): { planned: number; cancelled: number } {
    if (changes.customer) this.upsertCustomer.run(...customerParams(changes.customer));
    if (changes.order) this.upsertOrder.run(...orderParams(changes.order));
    if (changes.event) this.insertEvent.run(...eventParams(changes.event));
    for (const enrollment of changes.enrollments) this.upsertEnrollment.run(...enrollmentParams(enrollment));
    const planned = this.insert(changes.insertTouchPoints);
    for (const move of changes.reschedule) this.reschedule.run(move.dueAt, move.id);
    let cancelled = 0;
    for (const cancel of changes.cancel) cancelled += this.cancel.run(cancel.reason, at, cancel.id).changes;
    return { planned, cancelled };
  }

  /** INSERT OR IGNORE in chunks; returns how many rows were new. */
  private insert(touchPoints: TouchPoint[]): number {
    let inserted = 0;
    for (let start = 0; start < touchPoints.length; start += INSERT_CHUNK) {
      const chunk = touchPoints.slice(start, start + INSERT_CHUNK);
      const params: SqlValue[] = [];
      for (const t of chunk) pushTouchPointParams(params, t);
      inserted += this.insertStatement(chunk.length).run(...params).changes;
    }
    return inserted;
  }

  private insertStatement(rows: number): Database.Statement<SqlValue[]> {
    let statement = this.insertTouchPoints[rows];
    if (!statement) {
      const row = `(${placeholders(TOUCH_POINT_INSERT_WIDTH)})`;
      statement = this.db.prepare(
        `INSERT OR IGNORE INTO touch_points (${TOUCH_POINT_INSERT_COLUMNS}) VALUES ${Array(rows).fill(row).join(', ')}`,
      );
      this.insertTouchPoints[rows] = statement;
    }
    return statement;
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
