// The dispatch queue on PostgreSQL, hand-written because it is the hot path: claims take queued
// rows (expired leases, deferred and moved touch points) and due compact plans with FOR UPDATE
// SKIP LOCKED, so any number of workers never block on or double-claim a touch point. What a
// claim takes is decided as on SQLite (records/claim.ts). A claim is a fixed number of round
// trips whatever its size (`postgres.claim`): BEGIN, one pick, one write, three reads of its
// context (customers, orders, enrollments), COMMIT. Outcomes are one fenced UPDATE per call
// (`postgres.record`).
import type { Pool, PoolClient } from 'pg';
import type { Millis, TouchPoint } from '../../core/domain.js';
import type {
  AttemptOutcome,
  ClaimOptions,
  ClaimedTouchPoint,
  DispatchQueue,
  RecentSend,
  ExpiredLease,
  InFlight,
} from '../ports/queue.js';
import { inFlightFromRow, type InFlightRow } from '../records/inFlight.js';
import { recentSends, type SentRow } from '../records/recentSends.js';
import { joinClaims, pickClaims, type ClaimPick } from '../records/claim.js';
import {
  customerFromRow,
  enrollmentFromRow,
  enrollmentRow,
  orderFromRow,
  touchPointFromRow,
  touchPointRow,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type TouchPointRow,
} from '../sql/rows.js';
import { insertFragment, updateFragment, type Cell } from './bulk.js';
import { releaseClient } from './pool.js';
import type { SchemaNames } from './schema.js';

type Row = Record<string, Cell>;

interface Picked {
  expired: TouchPointRow[] | null;
  due: TouchPointRow[] | null;
  plans: EnrollmentRow[] | null;
}

export class PostgresQueue implements DispatchQueue {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly pool: Pool,
    private readonly names: SchemaNames,
  ) {
    this.sql = statements(names);
  }

  async claimDue(options: ClaimOptions): Promise<ClaimedTouchPoint[]> {
    if (options.limit <= 0) return [];
    const client = await this.pool.connect();
    let broken: unknown = undefined;
    try {
      await client.query('BEGIN');
      try {
        const claimed = await this.claim(client, options);
        await client.query('COMMIT');
        return claimed;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      }
    } catch (error) {
      broken ??= error;
      throw error;
    } finally {
      releaseClient(client, broken);
    }
  }

  private async claim(client: PoolClient, options: ClaimOptions): Promise<ClaimedTouchPoint[]> {
    const { now, limit } = options;
    const lease = now + options.leaseMs;
    const picked = (await client.query<Picked>(this.sql.pick, [now, limit])).rows[0]!;
    const pick = pickClaims(
      {
        expired: (picked.expired ?? []).map(touchPointFromRow),
        due: (picked.due ?? []).map(touchPointFromRow),
        plans: (picked.plans ?? []).map(enrollmentFromRow),
      },
      now,
      limit,
      lease,
    );
    if (pick.touchPoints.length === 0) return [];
    await this.writeClaim(client, options.worker, lease, pick);
    const { claimed, orphans } = joinClaims(pick.touchPoints, await this.context(client, pick.touchPoints));
    if (orphans.length > 0) {
      await client.query(this.sql.orphan, [orphans.map((o) => o.id), orphans.map((o) => o.detail), now]);
    }
    return claimed;
  }

  /** Claims the rows and queues the plan steps, in one statement. */
  private async writeClaim(
    client: PoolClient,
    worker: string,
    lease: Millis,
    pick: ClaimPick,
  ): Promise<void> {
    const t = (name: string) => this.names.table(name);
    const params: unknown[] = [pick.rowIds, lease, worker];
    const parts: string[] = [
      `claim AS (UPDATE ${t('touch_points')} SET status = 'claimed', attempt = attempt + 1, lease_until = $2,
         claimed_by = $3 WHERE id = ANY($1::text[]) RETURNING 1)`,
    ];
    if (pick.fromPlans.length > 0) {
      const insert = insertFragment(
        t('touch_points'),
        'touch_points',
        pick.fromPlans.map((tp) => touchPointRow(tp, worker) as Row),
        params.length + 1,
      );
      params.push(...insert.params);
      parts.push(`queued AS (${insert.sql} RETURNING 1)`);
      const update = updateFragment(
        t('enrollments'),
        'enrollments',
        ['order_id', 'playbook'],
        ['plan', 'next_due_at', 'next_priority', 'next_key'],
        pick.plans.map((stored) => enrollmentRow(stored) as Row),
        params.length + 1,
      );
      params.push(...update.params);
      parts.push(`planned AS (${update.sql} RETURNING 1)`);
    }
    const written =
      pick.fromPlans.length > 0 ? ' + (SELECT count(*) FROM queued) + (SELECT count(*) FROM planned)' : '';
    await client.query(
      `WITH ${parts.join(', ')} SELECT (SELECT count(*) FROM claim)${written} AS written`,
      params,
    );
  }

  /**
   * The claimed touch points' customers, orders and enrollments, as plain rows (not json_agg
   * documents: the server does not build, nor the client parse, a second copy of every row;
   * measured twice as fast for a batch of 500).
   */
  private async context(client: PoolClient, touchPoints: readonly TouchPoint[]) {
    const t = (name: string) => this.names.table(name);
    const customerIds = [...new Set(touchPoints.map((tp) => tp.customerId))];
    const orderIds = [...new Set(touchPoints.map((tp) => tp.orderId))];
    const customers = await client.query<CustomerRow>(
      `SELECT * FROM ${t('customers')} WHERE id = ANY($1::text[])`,
      [customerIds],
    );
    const orders = await client.query<OrderRow>(`SELECT * FROM ${t('orders')} WHERE id = ANY($1::text[])`, [
      orderIds,
    ]);
    const enrollments = await client.query<EnrollmentRow>(
      `SELECT * FROM ${t('enrollments')} WHERE order_id = ANY($1::text[])`,
      [orderIds],
    );
    return {
      customers: customers.rows.map(customerFromRow),
      orders: orders.rows.map(orderFromRow),
      enrollments: enrollments.rows.map((row) => enrollmentFromRow(row).enrollment),
    };
  }

  async recordOutcomes(outcomes: AttemptOutcome[]): Promise<number> {
    if (outcomes.length === 0) return 0;
    const rows = outcomes.map((outcome) => {
      const sent = outcome.kind === 'sent';
      const rescheduled = outcome.kind === 'rescheduled';
      return {
        id: outcome.id,
        attempt: outcome.attempt,
        status: rescheduled ? 'scheduled' : outcome.kind,
        reason: sent ? null : outcome.reason.code,
        detail: sent ? null : outcome.reason.detail,
        outcome_at: rescheduled ? null : outcome.at,
        due_at: rescheduled ? outcome.dueAt : null,
        provider_id: sent ? outcome.providerId : null,
        story: sent ? (outcome.story ?? null) : null,
      };
    });
    if (rows.some((row) => row.story !== null)) {
      const told = await this.pool.query<{ applied: number }>(this.sql.recordTold, [
        JSON.stringify(rows),
        rows.map((row) => row.id),
      ]);
      return told.rows[0]?.applied ?? 0;
    }
    const { rowCount } = await this.pool.query(this.sql.record, [
      JSON.stringify(rows),
      rows.map((row) => row.id),
    ]);
    return rowCount ?? 0;
  }

  async recentNonTransactional(customerIds: string[], since: Millis): Promise<Map<string, RecentSend[]>> {
    if (customerIds.length === 0) return new Map();
    const { rows } = await this.pool.query<SentRow>(this.sql.sentSince, [customerIds, since]);
    return recentSends(rows);
  }

  async inFlight(customerIds: string[], now: Millis, worker: string): Promise<InFlight[]> {
    if (customerIds.length === 0) return [];
    const { rows } = await this.pool.query<InFlightRow>(this.sql.inFlight, [customerIds, now, worker]);
    return rows.map(inFlightFromRow);
  }

  async nextDueAt(): Promise<Millis | null> {
    const { rows } = await this.pool.query<{ due: number | null }>(this.sql.earliestDue);
    return rows[0]?.due ?? null;
  }

  /** Hand rows whose lease ended before `before` back to `scheduled`, so they are due again at once. */
  async requeueExpiredLeases(before: Millis): Promise<ExpiredLease[]> {
    const { rows } = await this.pool.query<{
      id: string;
      attempt: number;
      claimed_by: string | null;
      lease_until: number;
    }>(this.sql.requeue, [before]);
    return rows.map((r) => ({
      id: r.id,
      attempt: r.attempt,
      worker: r.claimed_by,
      leaseUntil: r.lease_until,
    }));
  }
}

function statements(n: SchemaNames) {
  const tp = n.table('touch_points');
  const en = n.table('enrollments');
  // Fenced: only the attempt that holds the claim may write; a stale worker's rows match nothing.
  const record = `      UPDATE ${tp} AS t
      SET status = v.status,
          reason = v.reason,
          reason_detail = v.detail,
          outcome_at = v.outcome_at,
          due_at = COALESCE(v.due_at, t.due_at),
          provider_id = COALESCE(v.provider_id, t.provider_id),
          lease_until = NULL,
          claimed_by = CASE WHEN v.status = 'scheduled' THEN NULL ELSE t.claimed_by END
      FROM json_to_recordset($1::json) AS v(id text, attempt integer, status text, reason text, detail text,
        outcome_at bigint, due_at bigint, provider_id text)
      WHERE t.id = ANY($2::text[]) AND t.id = v.id AND t.attempt = v.attempt AND t.status = 'claimed'`;
  return {
    // Each arm is one range scan of one partial index, skipping what another worker holds.
    pick: `
      WITH expired AS (
        SELECT * FROM ${tp} WHERE status = 'claimed' AND lease_until <= $1
        ORDER BY due_at, priority, id LIMIT $2 FOR UPDATE SKIP LOCKED
      ), due AS (
        SELECT * FROM ${tp} WHERE status = 'scheduled' AND due_at <= $1
        ORDER BY due_at, priority, id LIMIT $2 FOR UPDATE SKIP LOCKED
      ), plans AS (
        SELECT * FROM ${en} WHERE next_due_at <= $1
        ORDER BY next_due_at, next_priority, next_key LIMIT $2 FOR UPDATE SKIP LOCKED
      )
      SELECT (SELECT json_agg(expired) FROM expired) AS expired, (SELECT json_agg(due) FROM due) AS due,
             (SELECT json_agg(plans) FROM plans) AS plans`,
    orphan: `
      UPDATE ${tp} AS t SET status = 'failed', reason = 'orphaned', reason_detail = u.detail, outcome_at = $3,
        lease_until = NULL
      FROM unnest($1::text[], $2::text[]) AS u(id, detail) WHERE t.id = ANY($1::text[]) AND t.id = u.id`,
    record: `${record}`,
    // The same, also writing the stories the sends told (0011-stories), in the one statement.
    recordTold: `
      WITH updated AS (${record} RETURNING t.id, t.customer_id),
      told AS (
        INSERT INTO ${n.table('story_tellings')} (customer_id, story_id, touch_point_id, told_at)
        SELECT u.customer_id, v.story, u.id, v.outcome_at
        FROM updated AS u
        JOIN json_to_recordset($1::json) AS v(id text, story text, outcome_at bigint) ON v.id = u.id
        WHERE v.story IS NOT NULL
        ON CONFLICT DO NOTHING
      )
      SELECT count(*)::int AS applied FROM updated`,
    inFlight: `
      SELECT id, customer_id, order_id, playbook, playbook_version, step_key, lease_until FROM ${tp}
      WHERE status = 'claimed' AND customer_id = ANY($1::text[]) AND lease_until > $2
        AND claimed_by IS DISTINCT FROM $3`,
    sentSince: `
      SELECT customer_id, outcome_at, playbook, playbook_version, step_key FROM ${tp}
      WHERE customer_id = ANY($1::text[]) AND status = 'sent' AND outcome_at >= $2
        AND purpose <> 'transactional' AND channel IN ('email', 'sms')
      ORDER BY customer_id, outcome_at, id`,
    earliestDue: `
      SELECT LEAST((SELECT min(due_at) FROM ${tp} WHERE status = 'scheduled'),
                   (SELECT min(next_due_at) FROM ${en} WHERE next_due_at IS NOT NULL)) AS due`,
    requeue: `
      WITH expired AS (
        SELECT id, lease_until, claimed_by FROM ${tp} WHERE status = 'claimed' AND lease_until < $1
        ORDER BY lease_until LIMIT 10000 FOR UPDATE SKIP LOCKED
      )
      UPDATE ${tp} AS t SET status = 'scheduled', lease_until = NULL, claimed_by = NULL
      FROM expired WHERE t.id = expired.id
      RETURNING t.id, t.attempt, expired.claimed_by, expired.lease_until`,
  };
}
