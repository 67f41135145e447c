// The access side of the PostgreSQL store (store/accessPort.ts): API keys, idempotent requests
// (one upsert decides who starts), single rows, conditional task changes, and a customer's export
// (one REPEATABLE READ snapshot) and erasure (one transaction, the customer row locked first).
import type { Pool, PoolClient } from 'pg';
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
import { releaseClient } from './pool.js';
import {
  CUSTOMER_COLUMNS,
  ENROLLMENT_COLUMNS,
  EVENT_COLUMNS,
  ORDER_COLUMNS,
  TASK_COLUMNS,
  TOUCH_POINT_READ,
  customerFromRow,
  enrollmentFromRow,
  eventFromRow,
  orderFromRow,
  taskFromRow,
  touchPointFromRow,
  type CustomerRow,
  type EnrollmentRow,
  type EventRow,
  type OrderRow,
  type TaskRow,
  type TouchPointRow,
} from './rows.js';
import type { SchemaNames } from './schema.js';

interface ApiKeyRow {
  id: string;
  name: string;
  hash: string;
  created_at: number;
  revoked_at: number | null;
}

interface IdempotencyRow {
  fingerprint: string;
  status: number | null;
  body: string | null;
  expires_at: number;
}

const API_KEY_COLUMNS = 'id, name, hash, created_at, revoked_at';

function apiKeyFromRow(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

function statements(n: SchemaNames) {
  const t = (name: string): string => n.table(name);
  // A customer's touch points and enrollments, found through their orders (the indexed way).
  const ofCustomerOrders = `order_id IN (SELECT id FROM ${t('orders')} WHERE customer_id = $1) AND customer_id = $1`;
  return {
    insertKey: `INSERT INTO ${t('api_keys')} (${API_KEY_COLUMNS}) VALUES ($1, $2, $3, $4, $5)`,
    keyById: `SELECT ${API_KEY_COLUMNS} FROM ${t('api_keys')} WHERE id = $1`,
    keys: `SELECT ${API_KEY_COLUMNS} FROM ${t('api_keys')} ORDER BY created_at, id`,
    revokeKey: `UPDATE ${t('api_keys')} SET revoked_at = coalesce(revoked_at, $1) WHERE id = $2
                RETURNING ${API_KEY_COLUMNS}`,
    // Inserts, or takes over an expired record; returns a row only when this call started the request.
    startIdempotent: `INSERT INTO ${t('idempotency_keys')} AS k
        (api_key_id, key, fingerprint, token, status, body, created_at, expires_at)
      VALUES ($1, $2, $3, $4, NULL, NULL, $5, $6)
      ON CONFLICT (api_key_id, key) DO UPDATE
        SET fingerprint = EXCLUDED.fingerprint, token = EXCLUDED.token, status = NULL, body = NULL,
            created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
        WHERE k.expires_at <= $5
      RETURNING 1`,
    idempotency: `SELECT fingerprint, status, body, expires_at FROM ${t('idempotency_keys')}
                  WHERE api_key_id = $1 AND key = $2`,
    finishIdempotent: `UPDATE ${t('idempotency_keys')} SET status = $1, body = $2, expires_at = $3
                       WHERE api_key_id = $4 AND key = $5 AND token = $6 AND status IS NULL`,
    abandonIdempotent: `DELETE FROM ${t('idempotency_keys')}
                        WHERE api_key_id = $1 AND key = $2 AND token = $3 AND status IS NULL`,
    purgeIdempotency: `DELETE FROM ${t('idempotency_keys')} WHERE expires_at <= $1`,
    touchPoint: `SELECT ${TOUCH_POINT_READ} FROM ${t('touch_points')} WHERE id = $1`,
    task: `SELECT ${TASK_COLUMNS} FROM ${t('tasks')} WHERE id = $1`,
    transitionTask: `UPDATE ${t('tasks')} SET
        status = CASE WHEN $3 THEN $4 ELSE status END,
        owner = CASE WHEN $5 THEN $6 ELSE owner END,
        outcome = CASE WHEN $7 THEN $8 ELSE outcome END,
        notes = CASE WHEN $9 THEN $10 ELSE notes END,
        completed_at = CASE WHEN $11 THEN $12::bigint ELSE completed_at END
      WHERE id = $1 AND status = ANY($2::text[]) RETURNING ${TASK_COLUMNS}`,
    customer: `SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM ${t('customers')} WHERE id = $1`,
    lockCustomer: `SELECT ${CUSTOMER_COLUMNS.join(', ')} FROM ${t('customers')} WHERE id = $1 FOR UPDATE`,
    orders: `SELECT ${ORDER_COLUMNS.join(', ')} FROM ${t('orders')} WHERE customer_id = $1 ORDER BY placed_at, id`,
    enrollments: `SELECT ${ENROLLMENT_COLUMNS.join(', ')} FROM ${t('enrollments')} WHERE ${ofCustomerOrders}
                  ORDER BY enrolled_at, id`,
    events: `SELECT ${EVENT_COLUMNS.join(', ')} FROM ${t('events')} WHERE customer_id = $1
             ORDER BY at, received_at, id`,
    touchPoints: `SELECT ${TOUCH_POINT_READ} FROM ${t('touch_points')} WHERE ${ofCustomerOrders}
                  ORDER BY due_at, priority, id`,
    tasks: `SELECT ${TASK_COLUMNS} FROM ${t('tasks')} WHERE customer_id = $1 ORDER BY due_at, id`,
    touchPointIds: `SELECT id FROM ${t('touch_points')} WHERE ${ofCustomerOrders} ORDER BY id`,
    suppress: `INSERT INTO ${t('suppressions')} (email_hash, reason, created_at) VALUES ($1, $2, $3)
               ON CONFLICT DO NOTHING`,
    cancelTouchPoints: `UPDATE ${t('touch_points')}
        SET status = 'cancelled', reason = $3, outcome_at = $2, lease_until = NULL
      WHERE ${ofCustomerOrders} AND status IN ('scheduled', 'claimed')`,
    endEnrollments: `UPDATE ${t('enrollments')} SET status = 'ended', ended_reason = $2
                     WHERE ${ofCustomerOrders} AND status = 'active'`,
    eraseEvents: `UPDATE ${t('events')} SET data = '{}'::jsonb WHERE customer_id = $1`,
    eraseOrders: `UPDATE ${t('orders')}
        SET items = '[]'::jsonb, shipments = '[]'::jsonb, attributes = '{}'::jsonb WHERE customer_id = $1`,
    eraseTasks: `UPDATE ${t('tasks')} SET title = $2, script = '', outcome = NULL, notes = NULL,
        status = CASE WHEN status IN ('open', 'claimed') THEN 'cancelled' ELSE status END
      WHERE customer_id = $1`,
    eraseCustomer: `UPDATE ${t('customers')} SET email = NULL, email_lower = NULL, first_name = NULL,
        last_name = NULL, phone = NULL, timezone = NULL, locale = NULL, attributes = $2::jsonb,
        temperature = $3, open_concerns = 0, unsubscribed_at = coalesce(unsubscribed_at, $4)
      WHERE id = $1`,
  };
}

export class PostgresAccess {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly pool: Pool,
    names: SchemaNames,
  ) {
    this.sql = statements(names);
  }

  async createApiKey(key: ApiKey): Promise<void> {
    await this.pool.query(this.sql.insertKey, [key.id, key.name, key.hash, key.createdAt, key.revokedAt]);
  }

  async findApiKey(id: string): Promise<ApiKey | null> {
    const { rows } = await this.pool.query<ApiKeyRow>(this.sql.keyById, [id]);
    return rows[0] ? apiKeyFromRow(rows[0]) : null;
  }

  async listApiKeys(): Promise<ApiKey[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(this.sql.keys);
    return rows.map(apiKeyFromRow);
  }

  async revokeApiKey(id: string, at: Millis): Promise<ApiKey | null> {
    const { rows } = await this.pool.query<ApiKeyRow>(this.sql.revokeKey, [at, id]);
    return rows[0] ? apiKeyFromRow(rows[0]) : null;
  }

  async beginIdempotent(claim: IdempotencyClaim): Promise<IdempotencyBegin> {
    // A record purged between the upsert and the read is simply gone: try again.
    for (;;) {
      const started = await this.pool.query(this.sql.startIdempotent, [
        claim.apiKeyId,
        claim.key,
        claim.fingerprint,
        claim.token,
        claim.now,
        claim.lockUntil,
      ]);
      if (started.rowCount === 1) return { state: 'started' };
      const { rows } = await this.pool.query<IdempotencyRow>(this.sql.idempotency, [
        claim.apiKeyId,
        claim.key,
      ]);
      const row = rows[0];
      if (!row || row.expires_at <= claim.now) continue;
      if (row.fingerprint !== claim.fingerprint) return { state: 'mismatch' };
      if (row.status === null || row.body === null) return { state: 'in_progress' };
      return { state: 'replay', response: { status: row.status, body: row.body } };
    }
  }

  async finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ): Promise<void> {
    await this.pool.query(this.sql.finishIdempotent, [
      response.status,
      response.body,
      expiresAt,
      apiKeyId,
      key,
      token,
    ]);
  }

  async abandonIdempotent(apiKeyId: string, key: string, token: string): Promise<void> {
    await this.pool.query(this.sql.abandonIdempotent, [apiKeyId, key, token]);
  }

  async purgeIdempotency(before: Millis): Promise<number> {
    const { rowCount } = await this.pool.query(this.sql.purgeIdempotency, [before]);
    return rowCount ?? 0;
  }

  async getTouchPoint(id: string): Promise<TouchPoint | null> {
    const { rows } = await this.pool.query<TouchPointRow>(this.sql.touchPoint, [id]);
    return rows[0] ? touchPointFromRow(rows[0]) : null;
  }

  async getTask(id: string): Promise<Task | null> {
    const { rows } = await this.pool.query<TaskRow>(this.sql.task, [id]);
    return rows[0] ? taskFromRow(rows[0]) : null;
  }

  async transitionTask(
    id: string,
    from: readonly Task['status'][],
    patch: TaskPatch,
  ): Promise<TaskTransition> {
    // Each column says whether it is being set: "set to null" and "leave as is" differ.
    const set = <K extends keyof TaskPatch>(key: K): [boolean, TaskPatch[K] | null] =>
      patch[key] === undefined ? [false, null] : [true, patch[key]];
    const { rows } = await this.pool.query<TaskRow>(this.sql.transitionTask, [
      id,
      [...from],
      ...set('status'),
      ...set('owner'),
      ...set('outcome'),
      ...set('notes'),
      ...set('completedAt'),
    ]);
    if (rows[0]) return { ok: true, task: taskFromRow(rows[0]) };
    return { ok: false, task: await this.getTask(id) };
  }

  async exportCustomer(id: string): Promise<CustomerExport | null> {
    return this.inTransaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (client) => {
      const customer = await client.query<CustomerRow>(this.sql.customer, [id]);
      if (!customer.rows[0]) return null;
      // One after the other: a client runs one query at a time anyway.
      const orders = await client.query<OrderRow>(this.sql.orders, [id]);
      const enrollments = await client.query<EnrollmentRow>(this.sql.enrollments, [id]);
      const events = await client.query<EventRow>(this.sql.events, [id]);
      const touchPoints = await client.query<TouchPointRow>(this.sql.touchPoints, [id]);
      const tasks = await client.query<TaskRow>(this.sql.tasks, [id]);
      return {
        customer: customerFromRow(customer.rows[0]),
        orders: orders.rows.map(orderFromRow),
        enrollments: enrollments.rows.map(enrollmentFromRow),
        events: events.rows.map(eventFromRow),
        touchPoints: touchPoints.rows.map(touchPointFromRow),
        tasks: tasks.rows.map(taskFromRow),
      };
    });
  }

  async eraseCustomer(id: string, at: Millis): Promise<ErasureReport | null> {
    return this.inTransaction('BEGIN', async (client) => {
      // Locked first: an intake of the same customer waits for the erasure, or the erasure for it.
      const { rows } = await client.query<CustomerRow>(this.sql.lockCustomer, [id]);
      const row = rows[0];
      if (!row) return null;
      const email = customerFromRow(row).email;
      if (email !== null) await client.query(this.sql.suppress, [suppressionKey(email), ERASED_REASON, at]);
      const ids = await client.query<{ id: string }>(this.sql.touchPointIds, [id]);
      const cancelled = await client.query(this.sql.cancelTouchPoints, [id, at, ERASED_REASON]);
      await client.query(this.sql.endEnrollments, [id, ERASED_REASON]);
      const events = await client.query(this.sql.eraseEvents, [id]);
      const orders = await client.query(this.sql.eraseOrders, [id]);
      const tasks = await client.query(this.sql.eraseTasks, [id, ERASED_TASK_TITLE]);
      await client.query(this.sql.eraseCustomer, [
        id,
        JSON.stringify(erasedAttributes(at)),
        ERASED_TEMPERATURE,
        at,
      ]);
      return {
        customerId: id,
        suppressed: email !== null,
        orders: orders.rowCount ?? 0,
        events: events.rowCount ?? 0,
        tasks: tasks.rowCount ?? 0,
        cancelledTouchPoints: cancelled.rowCount ?? 0,
        touchPointIds: ids.rows.map((r) => r.id),
      };
    });
  }

  private async inTransaction<T>(begin: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: unknown = undefined;
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError;
      });
      throw error;
    } finally {
      releaseClient(client, broken);
    }
  }
}
