// The access side of the SQLite store (store/accessPort.ts): API keys, idempotent requests,
// single rows, conditional task changes, and a customer's export and erasure, each in one
// transaction.
import type Database from 'better-sqlite3';
import type { Millis, Task, TouchPoint } from '../../core/domain.js';
import type {
  ApiKey,
  CustomerExport,
  ErasureReport,
  IdempotencyBegin,
  IdempotencyClaim,
  StoredResponse,
  TaskPatch,
  TaskTransition,
} from '../accessPort.js';
import { ERASED_REASON, ERASED_TASK_TITLE, ERASED_TEMPERATURE, erasedAttributes } from '../erasure.js';
import { suppressionKey } from '../suppression.js';
import {
  CUSTOMER_COLUMNS,
  ENROLLMENT_COLUMNS,
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  TASK_COLUMNS,
  TOUCH_POINT_COLUMNS,
  customerFromRow,
  enrollmentFromRow,
  eventFromRow,
  orderFromRow,
  prepareRows,
  taskFromRow,
  touchPointFromRow,
  type CustomerRow,
  type EnrollmentRow,
  type EventRow,
  type OrderRow,
  type TaskRow,
  type TouchPointRow,
} from './rows.js';

type ApiKeyRow = [id: string, name: string, hash: string, createdAt: number, revokedAt: number | null];
type IdempotencyRow = [fingerprint: string, status: number | null, body: string | null, expiresAt: number];

const API_KEY_COLUMNS = 'id, name, hash, created_at, revoked_at';
/** A customer's touch points and enrollments, found through their orders (the indexed way). */
const OF_CUSTOMER_ORDERS =
  'order_id IN (SELECT id FROM orders WHERE customer_id = @id) AND customer_id = @id';

function apiKeyFromRow([id, name, hash, createdAt, revokedAt]: ApiKeyRow): ApiKey {
  return { id, name, hash, createdAt, revokedAt };
}

export class SqliteAccess {
  private readonly sql: ReturnType<typeof statements>;
  readonly beginIdempotent: (claim: IdempotencyClaim) => IdempotencyBegin;
  readonly transitionTask: (id: string, from: readonly Task['status'][], patch: TaskPatch) => TaskTransition;
  readonly exportCustomer: (id: string) => CustomerExport | null;
  readonly eraseCustomer: (id: string, at: Millis) => ErasureReport | null;

  constructor(db: Database.Database) {
    this.sql = statements(db);
    const sql = this.sql;

    const begin = db.transaction((claim: IdempotencyClaim): IdempotencyBegin => {
      const row = sql.idempotency.get(claim.apiKeyId, claim.key);
      if (row && row[3] > claim.now) {
        const [fingerprint, status, body] = row;
        if (fingerprint !== claim.fingerprint) return { state: 'mismatch' };
        if (status === null || body === null) return { state: 'in_progress' };
        return { state: 'replay', response: { status, body } };
      }
      sql.startIdempotent.run(
        claim.apiKeyId,
        claim.key,
        claim.fingerprint,
        claim.token,
        claim.now,
        claim.lockUntil,
      );
      return { state: 'started' };
    });
    // IMMEDIATE: read-then-write, and two processes may share the file.
    this.beginIdempotent = (claim) => begin.immediate(claim);

    const transition = db.transaction(
      (id: string, from: readonly Task['status'][], patch: TaskPatch): TaskTransition => {
        const row = sql.task.get(id);
        if (!row) return { ok: false, task: null };
        const current = taskFromRow(row);
        if (!from.includes(current.status)) return { ok: false, task: current };
        const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
        const task: Task = { ...current, ...(given as TaskPatch) };
        sql.writeTask.run(task.status, task.owner, task.outcome, task.notes, task.completedAt, id);
        return { ok: true, task };
      },
    );
    this.transitionTask = (id, from, patch) => transition.immediate(id, from, patch);

    // A deferred transaction is one consistent snapshot of the WAL file.
    this.exportCustomer = db.transaction((id: string): CustomerExport | null => {
      const row = sql.customer.get(id);
      if (!row) return null;
      const by = { id };
      return {
        customer: customerFromRow(row),
        orders: sql.orders.all(by).map(orderFromRow),
        enrollments: sql.enrollments.all(by).map(enrollmentFromRow),
        events: sql.events.all(by).map(eventFromRow),
        touchPoints: sql.touchPoints.all(by).map(touchPointFromRow),
        tasks: sql.tasks.all(by).map(taskFromRow),
      };
    });

    const erase = db.transaction((id: string, at: Millis): ErasureReport | null => {
      const row = sql.customer.get(id);
      if (!row) return null;
      const customer = customerFromRow(row);
      const by = { id };
      if (customer.email !== null) sql.suppress.run(suppressionKey(customer.email), ERASED_REASON, at);
      const touchPointIds = sql.touchPointIds.all(by);
      const cancelled = sql.cancelTouchPoints.run({ id, at, reason: ERASED_REASON }).changes;
      sql.endEnrollments.run({ id, reason: ERASED_REASON });
      const events = sql.eraseEvents.run(id).changes;
      const orders = sql.eraseOrders.run(id).changes;
      const tasks = sql.eraseTasks.run(ERASED_TASK_TITLE, id).changes;
      sql.eraseCustomer.run(JSON.stringify(erasedAttributes(at)), ERASED_TEMPERATURE, at, id);
      return {
        customerId: id,
        suppressed: customer.email !== null,
        orders,
        events,
        tasks,
        cancelledTouchPoints: cancelled,
        touchPointIds,
      };
    });
    this.eraseCustomer = (id, at) => erase.immediate(id, at);
  }

  createApiKey(key: ApiKey): void {
    this.sql.insertKey.run(key.id, key.name, key.hash, key.createdAt, key.revokedAt);
  }

  findApiKey(id: string): ApiKey | null {
    const row = this.sql.keyById.get(id);
    return row ? apiKeyFromRow(row) : null;
  }

  listApiKeys(): ApiKey[] {
    return this.sql.keys.all().map(apiKeyFromRow);
  }

  revokeApiKey(id: string, at: Millis): ApiKey | null {
    const row = this.sql.revokeKey.get(at, id);
    return row ? apiKeyFromRow(row) : null;
  }

  finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ): void {
    this.sql.finishIdempotent.run(response.status, response.body, expiresAt, apiKeyId, key, token);
  }

  abandonIdempotent(apiKeyId: string, key: string, token: string): void {
    this.sql.abandonIdempotent.run(apiKeyId, key, token);
  }

  purgeIdempotency(before: Millis): number {
    return this.sql.purgeIdempotency.run(before).changes;
  }

  getTouchPoint(id: string): TouchPoint | null {
    const row = this.sql.touchPoint.get(id);
    return row ? touchPointFromRow(row) : null;
  }

  getTask(id: string): Task | null {
    const row = this.sql.task.get(id);
    return row ? taskFromRow(row) : null;
  }
}

function statements(db: Database.Database) {
  return {
    insertKey: db.prepare<[string, string, string, number, number | null]>(
      `INSERT INTO api_keys (${API_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?)`,
    ),
    keyById: prepareRows<[string], ApiKeyRow>(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`),
    keys: prepareRows<[], ApiKeyRow>(db, `SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at, id`),
    revokeKey: prepareRows<[number, string], ApiKeyRow>(
      db,
      `UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING ${API_KEY_COLUMNS}`,
    ),
    idempotency: prepareRows<[string, string], IdempotencyRow>(
      db,
      'SELECT fingerprint, status, body, expires_at FROM idempotency_keys WHERE api_key_id = ? AND key = ?',
    ),
    startIdempotent: db.prepare<[string, string, string, string, number, number]>(
      `INSERT OR REPLACE INTO idempotency_keys
         (api_key_id, key, fingerprint, token, status, body, created_at, expires_at)
       VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)`,
    ),
    finishIdempotent: db.prepare<[number, string, number, string, string, string]>(
      `UPDATE idempotency_keys SET status = ?, body = ?, expires_at = ?
       WHERE api_key_id = ? AND key = ? AND token = ? AND status IS NULL`,
    ),
    abandonIdempotent: db.prepare<[string, string, string]>(
      'DELETE FROM idempotency_keys WHERE api_key_id = ? AND key = ? AND token = ? AND status IS NULL',
    ),
    purgeIdempotency: db.prepare<[number]>('DELETE FROM idempotency_keys WHERE expires_at <= ?'),
    touchPoint: prepareRows<[string], TouchPointRow>(
      db,
      `SELECT ${TOUCH_POINT_COLUMNS} FROM touch_points WHERE id = ?`,
    ),
    task: prepareRows<[string], TaskRow>(db, `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`),
    writeTask: db.prepare<[string, string | null, string | null, string | null, number | null, string]>(
      'UPDATE tasks SET status = ?, owner = ?, outcome = ?, notes = ?, completed_at = ? WHERE id = ?',
    ),
    customer: prepareRows<[string], CustomerRow>(
      db,
      `SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = ?`,
    ),
    orders: prepareRows<[{ id: string }], OrderRow>(
      db,
      `SELECT ${ORDER_COLUMNS} FROM orders WHERE customer_id = @id ORDER BY placed_at, id`,
    ),
    enrollments: prepareRows<[{ id: string }], EnrollmentRow>(
      db,
      `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments WHERE ${OF_CUSTOMER_ORDERS} ORDER BY enrolled_at, id`,
    ),
    events: prepareRows<[{ id: string }], EventRow>(
      db,
      `SELECT ${EVENT_COLUMNS} FROM events WHERE customer_id = @id ORDER BY at, received_at, id`,
    ),
    touchPoints: prepareRows<[{ id: string }], TouchPointRow>(
      db,
      `SELECT ${TOUCH_POINT_COLUMNS} FROM touch_points WHERE ${OF_CUSTOMER_ORDERS} ORDER BY due_at, priority, id`,
    ),
    tasks: prepareRows<[{ id: string }], TaskRow>(
      db,
      `SELECT ${TASK_COLUMNS} FROM tasks WHERE customer_id = @id ORDER BY due_at, id`,
    ),
    touchPointIds: db
      .prepare<{ id: string }, string>(`SELECT id FROM touch_points WHERE ${OF_CUSTOMER_ORDERS} ORDER BY id`)
      .pluck(),
    suppress: db.prepare<[string, string, number]>(
      'INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    cancelTouchPoints: db.prepare<{ id: string; at: number; reason: string }>(
      `UPDATE touch_points SET status = 'cancelled', reason = @reason, outcome_at = @at, lease_until = NULL
       WHERE ${OF_CUSTOMER_ORDERS} AND status IN ('scheduled', 'claimed')`,
    ),
    endEnrollments: db.prepare<{ id: string; reason: string }>(
      `UPDATE enrollments SET status = 'ended', ended_reason = @reason
       WHERE ${OF_CUSTOMER_ORDERS} AND status = 'active'`,
    ),
    eraseEvents: db.prepare<[string]>("UPDATE events SET data = '{}' WHERE customer_id = ?"),
    eraseOrders: db.prepare<[string]>(
      "UPDATE orders SET items = '[]', shipments = '[]', attributes = '{}' WHERE customer_id = ?",
    ),
    eraseTasks: db.prepare<[string, string]>(
      `UPDATE tasks SET title = ?, script = '', outcome = NULL, notes = NULL,
         status = CASE WHEN status IN ('open', 'claimed') THEN 'cancelled' ELSE status END
       WHERE customer_id = ?`,
    ),
    eraseCustomer: db.prepare<[string, number, number, string]>(
      `UPDATE customers SET email = NULL, email_lower = NULL, first_name = NULL, last_name = NULL,
         phone = NULL, timezone = NULL, locale = NULL, attributes = ?, temperature = ?,
         open_concerns = 0, unsubscribed_at = coalesce(unsubscribed_at, ?)
       WHERE id = ?`,
    ),
  };
}
