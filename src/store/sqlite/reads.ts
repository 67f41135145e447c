// Reads and hand edits for the dashboard, CLI and API: customers, orders, timelines, touch point
// listings, moving or cancelling a scheduled touch point, and the status counts.
import type Database from 'better-sqlite3';
import {
  TOUCH_POINT_STATUSES,
  type Customer,
  type EventType,
  type Millis,
  type Order,
  type StoredEvent,
  type TouchPoint,
} from '../../core/domain.js';
import { normalizedEmail } from '../intakeLookup.js';
import type { StatusCounts, TouchPointQuery } from '../port.js';
import {
  CUSTOMER_COLUMNS,
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  TOUCH_POINT_COLUMNS,
  customerFromRow,
  eventFromRow,
  orderFromRow,
  touchPointFromRow,
  type CustomerRow,
  type EventRow,
  type OrderRow,
  type TouchPointRow,
  prepareRows,
} from './rows.js';
import { TASK_STATUSES } from './tasks.js';

type Bindings = Record<string, string | number>;

export class SqliteReads {
  private readonly customerById: Database.Statement<[string], CustomerRow>;
  private readonly customerByEmail: Database.Statement<[string], CustomerRow>;
  private readonly orderById: Database.Statement<[string], OrderRow>;
  private readonly ordersOfCustomer: Database.Statement<[string], OrderRow>;
  private readonly eventsOfCustomer: Database.Statement<[string], EventRow>;
  private readonly eventsOfCustomerByType: Database.Statement<[string, string], EventRow>;
  private readonly move: Database.Statement<[number, string], TouchPointRow>;
  private readonly cancel: Database.Statement<[string, number, string], TouchPointRow>;
  private readonly entityCounts: Database.Statement<
    [],
    { customers: number; orders: number; events: number }
  >;
  private readonly touchPointCounts: Database.Statement<[], { status: string; n: number }>;
  private readonly taskCounts: Database.Statement<[], { status: string; n: number }>;
  /** listTouchPoints statements by the set of filters used, compiled once each. */
  private readonly listings = new Map<string, Database.Statement<[Bindings], TouchPointRow>>();

  constructor(private readonly db: Database.Database) {
    this.customerById = prepareRows(db, `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`);
    this.customerByEmail = prepareRows(
      db,
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE email_lower = ? ORDER BY created_at, id LIMIT 1`,
    );
    this.orderById = prepareRows(db, `SELECT ${ORDER_COLUMNS} FROM orders WHERE id = ?`);
    this.ordersOfCustomer = prepareRows(
      db,
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = ? ORDER BY placed_at, id`,
    );
    this.eventsOfCustomer = prepareRows(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = ? ORDER BY at, received_at, id`,
    );
    this.eventsOfCustomerByType = prepareRows(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events
       WHERE customer_id = ? AND type IN (SELECT value FROM json_each(?)) ORDER BY at, received_at, id`,
    );
    this.move = prepareRows(
      db,
      `UPDATE touch_points SET due_at = ? WHERE id = ? AND status = 'scheduled' RETURNING ${TOUCH_POINT_COLUMNS}`,
    );
    this.cancel = prepareRows(
      db,
      `UPDATE touch_points SET status = 'cancelled', reason = ?, outcome_at = ?, lease_until = NULL
       WHERE id = ? AND status = 'scheduled' RETURNING ${TOUCH_POINT_COLUMNS}`,
    );
    this.entityCounts = db.prepare(
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM orders) AS orders,
              (SELECT count(*) FROM events) AS events`,
    );
    this.touchPointCounts = db.prepare('SELECT status, count(*) AS n FROM touch_points GROUP BY status');
    this.taskCounts = db.prepare('SELECT status, count(*) AS n FROM tasks GROUP BY status');
  }

  getCustomer(id: string): Customer | null {
    const row = this.customerById.get(id);
    return row ? customerFromRow(row) : null;
  }

  findCustomerByEmail(email: string): Customer | null {
    const normalized = normalizedEmail(email);
    const row = normalized === null ? undefined : this.customerByEmail.get(normalized);
    return row ? customerFromRow(row) : null;
  }

  getOrder(id: string): Order | null {
    const row = this.orderById.get(id);
    return row ? orderFromRow(row) : null;
  }

  listOrders(customerId: string): Order[] {
    return this.ordersOfCustomer.all(customerId).map(orderFromRow);
  }

  listEvents(customerId: string, types?: EventType[]): StoredEvent[] {
    const rows =
      types === undefined
        ? this.eventsOfCustomer.all(customerId)
        : this.eventsOfCustomerByType.all(customerId, JSON.stringify(types));
    return rows.map(eventFromRow);
  }

  listTouchPoints(query: TouchPointQuery): TouchPoint[] {
    const where: string[] = [];
    const bindings: Bindings = { limit: query.limit ?? -1 };
    if (query.customerId !== undefined) {
      // Through the customer's orders, so the order_id index serves it (no customer_id index
      // on this table: one index fewer on the ingest path).
      where.push(
        'order_id IN (SELECT id FROM orders WHERE customer_id = @customerId) AND customer_id = @customerId',
      );
      bindings.customerId = query.customerId;
    }
    if (query.orderId !== undefined) {
      where.push('order_id = @orderId');
      bindings.orderId = query.orderId;
    }
    if (query.status !== undefined) {
      // A literal, not a parameter, so the partial indexes on status can be used.
      where.push(`status = '${query.status}'`);
    }
    const key = where.join(' AND ');
    let statement = this.listings.get(key);
    if (!statement) {
      statement = prepareRows<[Bindings], TouchPointRow>(
        this.db,
        `SELECT ${TOUCH_POINT_COLUMNS} FROM touch_points ${key ? `WHERE ${key}` : ''}
         ORDER BY due_at, priority, id LIMIT @limit`,
      );
      this.listings.set(key, statement);
    }
    return statement.all(bindings).map(touchPointFromRow);
  }

  moveTouchPoint(id: string, dueAt: Millis): TouchPoint | null {
    const row = this.move.get(dueAt, id);
    return row ? touchPointFromRow(row) : null;
  }

  cancelTouchPoint(id: string, reason: string, at: Millis): TouchPoint | null {
    const row = this.cancel.get(reason, at, id);
    return row ? touchPointFromRow(row) : null;
  }

  counts(): StatusCounts {
    const entities = this.entityCounts.get() ?? { customers: 0, orders: 0, events: 0 };
    const touchPoints = Object.fromEntries(
      TOUCH_POINT_STATUSES.map((s) => [s, 0]),
    ) as StatusCounts['touchPoints'];
    for (const { status, n } of this.touchPointCounts.all()) {
      touchPoints[status as keyof StatusCounts['touchPoints']] = n;
    }
    const tasks = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as StatusCounts['tasks'];
    for (const { status, n } of this.taskCounts.all()) tasks[status as keyof StatusCounts['tasks']] = n;
    return { ...entities, touchPoints, tasks };
  }
}
