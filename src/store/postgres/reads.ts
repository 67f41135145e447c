// Reads and hand edits on PostgreSQL for the dashboard, CLI and API: customers, orders,
// timelines, touch point listings, moving or cancelling one touch point, counts, tasks and the
// suppression list.
import type { Pool } from 'pg';
import {
  TOUCH_POINT_STATUSES,
  type Customer,
  type EventType,
  type Millis,
  type Order,
  type StoredEvent,
  type Task,
  type TouchPoint,
} from '../../core/domain.js';
import type { StatusCounts, TaskQuery, TouchPointQuery } from '../port.js';
import { suppressedAmong, suppressionKey, suppressionKeys } from '../suppression.js';
import {
  CUSTOMER_COLUMNS,
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  TASK_COLUMNS,
  TOUCH_POINT_READ,
  customerFromRow,
  eventFromRow,
  orderFromRow,
  params,
  taskFromRow,
  taskValues,
  touchPointFromRow,
  type CustomerRow,
  type EventRow,
  type OrderRow,
  type TaskRow,
  type TouchPointRow,
} from './rows.js';
import type { SchemaNames } from './schema.js';

type TaskPatch = Partial<Pick<Task, 'status' | 'owner' | 'outcome' | 'notes' | 'completedAt'>>;
// A record, not an array, so the build breaks if Task['status'] gains a member.
const TASK_STATUS_SET: Record<Task['status'], true> = {
  open: true,
  claimed: true,
  done: true,
  cancelled: true,
};
const TASK_STATUSES = Object.keys(TASK_STATUS_SET) as Task['status'][];

export class PostgresReads {
  private readonly names: SchemaNames;

  constructor(
    private readonly pool: Pool,
    names: SchemaNames,
    /** Called after a touch point was moved, with its new due time (wakes workers). */
    private readonly onMoved: (dueAt: Millis) => Promise<void>,
  ) {
    this.names = names;
  }

  async getCustomer(id: string): Promise<Customer | null> {
    const { rows } = await this.pool.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM ${this.t('customers')} WHERE id = $1`,
      [id],
    );
    return rows[0] ? customerFromRow(rows[0]) : null;
  }

  async findCustomerByEmail(email: string): Promise<Customer | null> {
    const { rows } = await this.pool.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM ${this.t('customers')}
       WHERE email_lower = $1 ORDER BY created_at, id LIMIT 1`,
      [email.trim().toLowerCase()],
    );
    return rows[0] ? customerFromRow(rows[0]) : null;
  }

  async getOrder(id: string): Promise<Order | null> {
    const { rows } = await this.pool.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS.join(', ')} FROM ${this.t('orders')} WHERE id = $1`,
      [id],
    );
    return rows[0] ? orderFromRow(rows[0]) : null;
  }

  async listOrders(customerId: string): Promise<Order[]> {
    const { rows } = await this.pool.query<OrderRow>(
      `SELECT ${ORDER_COLUMNS.join(', ')} FROM ${this.t('orders')} WHERE customer_id = $1 ORDER BY placed_at, id`,
      [customerId],
    );
    return rows.map(orderFromRow);
  }

  async listEvents(customerId: string, types?: EventType[]): Promise<StoredEvent[]> {
    const filter = types === undefined ? '' : 'AND type = ANY($2::text[])';
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS.join(', ')} FROM ${this.t('events')}
       WHERE customer_id = $1 ${filter} ORDER BY at, received_at, id`,
      types === undefined ? [customerId] : [customerId, types],
    );
    return rows.map(eventFromRow);
  }

  async listTouchPoints(query: TouchPointQuery): Promise<TouchPoint[]> {
    const where: string[] = [];
    const values: (string | number)[] = [];
    if (query.customerId !== undefined) {
      // Through the customer's orders, so the order_id index serves it (no customer_id index on
      // this table beyond the partial one for sends: one index fewer on the ingest path).
      values.push(query.customerId);
      const n = values.length;
      where.push(
        `order_id IN (SELECT id FROM ${this.t('orders')} WHERE customer_id = $${n}) AND customer_id = $${n}`,
      );
    }
    if (query.orderId !== undefined) {
      values.push(query.orderId);
      where.push(`order_id = $${values.length}`);
    }
    if (query.status !== undefined) {
      // A literal, not a parameter, so the partial indexes on status can be used.
      where.push(`status = '${statusLiteral(query.status)}'`);
    }
    let limit = '';
    if (query.limit !== undefined && Number.isFinite(query.limit) && query.limit < Number.MAX_SAFE_INTEGER) {
      values.push(Math.max(0, Math.floor(query.limit)));
      limit = `LIMIT $${values.length}`;
    }
    const { rows } = await this.pool.query<TouchPointRow>(
      `SELECT ${TOUCH_POINT_READ} FROM ${this.t('touch_points')}
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY due_at, priority, id ${limit}`,
      values,
    );
    return rows.map(touchPointFromRow);
  }

  async moveTouchPoint(id: string, dueAt: Millis): Promise<TouchPoint | null> {
    const { rows } = await this.pool.query<TouchPointRow>(
      `UPDATE ${this.t('touch_points')} SET due_at = $1 WHERE id = $2 AND status = 'scheduled'
       RETURNING ${TOUCH_POINT_READ}`,
      [dueAt, id],
    );
    if (!rows[0]) return null;
    await this.onMoved(dueAt);
    return touchPointFromRow(rows[0]);
  }

  async cancelTouchPoint(id: string, reason: string, at: Millis): Promise<TouchPoint | null> {
    const { rows } = await this.pool.query<TouchPointRow>(
      `UPDATE ${this.t('touch_points')} SET status = 'cancelled', reason = $1, outcome_at = $2, lease_until = NULL
       WHERE id = $3 AND status = 'scheduled' RETURNING ${TOUCH_POINT_READ}`,
      [reason, at, id],
    );
    return rows[0] ? touchPointFromRow(rows[0]) : null;
  }

  async counts(): Promise<StatusCounts> {
    const [entities, touchPointRows, taskRows] = await Promise.all([
      this.pool.query<{ customers: number; orders: number; events: number }>(
        `SELECT (SELECT count(*) FROM ${this.t('customers')}) AS customers,
                (SELECT count(*) FROM ${this.t('orders')}) AS orders,
                (SELECT count(*) FROM ${this.t('events')}) AS events`,
      ),
      this.pool.query<{ status: string; n: number }>(
        `SELECT status, count(*) AS n FROM ${this.t('touch_points')} GROUP BY status`,
      ),
      this.pool.query<{ status: string; n: number }>(
        `SELECT status, count(*) AS n FROM ${this.t('tasks')} GROUP BY status`,
      ),
    ]);
    const touchPoints = Object.fromEntries(
      TOUCH_POINT_STATUSES.map((s) => [s, 0]),
    ) as StatusCounts['touchPoints'];
    for (const { status, n } of touchPointRows.rows)
      touchPoints[status as keyof StatusCounts['touchPoints']] = n;
    const tasks = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as StatusCounts['tasks'];
    for (const { status, n } of taskRows.rows) tasks[status as keyof StatusCounts['tasks']] = n;
    const { customers, orders, events } = entities.rows[0] ?? { customers: 0, orders: 0, events: 0 };
    return { customers, orders, events, touchPoints, tasks };
  }

  private t(name: string): string {
    return this.names.table(name);
  }

  // --- tasks ---
  async createTask(task: Task): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.t('tasks')} (${TASK_COLUMNS}) VALUES (${params(14)}) ON CONFLICT (touch_point_id) DO NOTHING`,
      taskValues(task),
    );
    return rowCount === 1;
  }

  async listTasks(query: TaskQuery): Promise<Task[]> {
    const where: string[] = [];
    const values: (string | number)[] = [];
    const add = (column: string, value: string): void => {
      values.push(value);
      where.push(`${column} = $${values.length}`);
    };
    if (query.status !== undefined) add('status', query.status);
    if (query.owner !== undefined) add('owner', query.owner);
    if (query.customerId !== undefined) add('customer_id', query.customerId);
    let limit = '';
    if (query.limit !== undefined && Number.isFinite(query.limit) && query.limit < Number.MAX_SAFE_INTEGER) {
      values.push(Math.max(0, Math.floor(query.limit)));
      limit = `LIMIT $${values.length}`;
    }
    const { rows } = await this.pool.query<TaskRow>(
      `SELECT ${TASK_COLUMNS} FROM ${this.t('tasks')}
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY due_at, id ${limit}`,
      values,
    );
    return rows.map(taskFromRow);
  }

  async updateTask(id: string, patch: TaskPatch): Promise<Task | null> {
    // Only the keys given (and not undefined) change; COALESCE cannot tell "set null" from
    // "leave", so each column says whether it is being set.
    const keys = ['status', 'owner', 'outcome', 'notes', 'completedAt'] as const;
    const columns = {
      status: 'status',
      owner: 'owner',
      outcome: 'outcome',
      notes: 'notes',
      completedAt: 'completed_at',
    };
    const sets: string[] = [];
    const values: (string | number | null)[] = [id];
    for (const key of keys) {
      const value = patch[key];
      if (value === undefined) continue;
      values.push(value);
      sets.push(`${columns[key]} = $${values.length}`);
    }
    const sql =
      sets.length === 0
        ? `SELECT ${TASK_COLUMNS} FROM ${this.t('tasks')} WHERE id = $1`
        : `UPDATE ${this.t('tasks')} SET ${sets.join(', ')} WHERE id = $1 RETURNING ${TASK_COLUMNS}`;
    const { rows } = await this.pool.query<TaskRow>(sql, values);
    return rows[0] ? taskFromRow(rows[0]) : null;
  }

  // --- suppressions ---
  async suppressedEmails(emails: string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const keys = suppressionKeys(emails);
    const { rows } = await this.pool.query<{ email_hash: string }>(
      `SELECT email_hash FROM ${this.t('suppressions')} WHERE email_hash = ANY($1::text[])`,
      [[...keys.keys()]],
    );
    return suppressedAmong(
      keys,
      rows.map((r) => r.email_hash),
    );
  }

  async addSuppression(email: string, reason: string, at: Millis): Promise<void> {
    // The first reason recorded for an address is kept.
    await this.pool.query(
      `INSERT INTO ${this.t('suppressions')} (email_hash, reason, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [suppressionKey(email), reason, at],
    );
  }
}

/** Status values come from a closed union; checked anyway since they are inlined into SQL. */
function statusLiteral(status: string): string {
  if (!(TOUCH_POINT_STATUSES as readonly string[]).includes(status))
    throw new RangeError(`unknown status ${status}`);
  return status;
}
