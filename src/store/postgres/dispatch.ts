// The dispatch side of the PostgreSQL store: claims with FOR UPDATE SKIP LOCKED (many workers
// never block on or double-claim a row), outcomes fenced by attempt in one statement per batch,
// and the lease sweep that hands back rows whose worker died.
import type { Pool } from 'pg';
import type { Millis } from '../../core/domain.js';
import type { AttemptOutcome, ClaimOptions, ClaimedTouchPoint, ExpiredLease } from '../port.js';
import { purposePriority } from '../priority.js';
import {
  CUSTOMER_COLUMNS,
  ENROLLMENT_COLUMNS,
  ORDER_COLUMNS,
  TOUCH_POINT_READ,
  customerFromRow,
  enrollmentFromRow,
  orderFromRow,
  touchPointFromRow,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type TouchPointRow,
} from './rows.js';
import type { SchemaNames } from './schema.js';

export class PostgresDispatch {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    private readonly pool: Pool,
    names: SchemaNames,
  ) {
    this.sql = statements(names);
  }

  async claimDue(options: ClaimOptions): Promise<ClaimedTouchPoint[]> {
    if (options.limit <= 0) return [];
    // One statement, so one round trip and an implicit transaction: the row locks taken by
    // SKIP LOCKED are held only while the UPDATE runs, and a crash leaves nothing half-claimed.
    // The claimed rows come back joined with their customer, order and enrollment, so the
    // context costs no further round trip.
    const { rows } = await this.pool.query<Record<string, unknown>>(this.sql.claim, [
      options.now,
      options.limit,
      options.now + options.leaseMs,
      options.worker,
    ]);
    if (rows.length === 0) return [];
    const joined = rows.map((row) => ({
      touchPoint: touchPointFromRow(row as unknown as TouchPointRow),
      customer:
        row.c_id === null ? undefined : customerFromRow(unprefix<CustomerRow>(row, 'c_', CUSTOMER_COLUMNS)),
      order: row.o_id === null ? undefined : orderFromRow(unprefix<OrderRow>(row, 'o_', ORDER_COLUMNS)),
      enrollment:
        row.e_id === null
          ? undefined
          : enrollmentFromRow(unprefix<EnrollmentRow>(row, 'e_', ENROLLMENT_COLUMNS)),
    }));
    joined.sort(
      (a, b) =>
        a.touchPoint.dueAt - b.touchPoint.dueAt ||
        purposePriority(a.touchPoint.purpose) - purposePriority(b.touchPoint.purpose) ||
        (a.touchPoint.id < b.touchPoint.id ? -1 : a.touchPoint.id > b.touchPoint.id ? 1 : 0),
    );
    const claimed: ClaimedTouchPoint[] = [];
    const orphans: { id: string; attempt: number; reason: string }[] = [];
    for (const { touchPoint, customer, order, enrollment } of joined) {
      if (customer && order && enrollment) {
        claimed.push({ touchPoint, customer, order, enrollment });
        continue;
      }
      // Cannot happen through intake; if a row lost its parents anyway, end it visibly rather
      // than let it be claimed again after every lease.
      const missing = [!customer && 'customer', !order && 'order', !enrollment && 'enrollment'].filter(
        Boolean,
      );
      orphans.push({
        id: touchPoint.id,
        attempt: touchPoint.attempt,
        reason: `orphaned:missing ${missing.join(', ')}`,
      });
    }
    if (orphans.length > 0) {
      await this.recordOutcomes(
        orphans.map((o) => ({
          kind: 'failed',
          id: o.id,
          attempt: o.attempt,
          at: options.now,
          error: o.reason,
        })),
      );
    }
    return claimed;
  }

  async recordOutcomes(outcomes: AttemptOutcome[]): Promise<number> {
    if (outcomes.length === 0) return 0;
    const ids: string[] = [];
    const attempts: number[] = [];
    const statuses: string[] = [];
    const reasons: (string | null)[] = [];
    const outcomeAts: (number | null)[] = [];
    const dueAts: (number | null)[] = [];
    const providerIds: (string | null)[] = [];
    for (const outcome of outcomes) {
      ids.push(outcome.id);
      attempts.push(outcome.attempt);
      switch (outcome.kind) {
        case 'sent':
          statuses.push('sent');
          reasons.push(null);
          outcomeAts.push(outcome.at);
          dueAts.push(null);
          providerIds.push(outcome.providerId);
          break;
        case 'skipped':
        case 'cancelled':
          statuses.push(outcome.kind);
          reasons.push(outcome.reason);
          outcomeAts.push(outcome.at);
          dueAts.push(null);
          providerIds.push(null);
          break;
        case 'failed':
          statuses.push('failed');
          reasons.push(outcome.error);
          outcomeAts.push(outcome.at);
          dueAts.push(null);
          providerIds.push(null);
          break;
        case 'rescheduled':
          statuses.push('scheduled');
          reasons.push(outcome.reason);
          outcomeAts.push(null);
          dueAts.push(outcome.dueAt);
          providerIds.push(null);
          break;
      }
    }
    const { rowCount } = await this.pool.query(this.sql.record, [
      ids,
      attempts,
      statuses,
      reasons,
      outcomeAts,
      dueAts,
      providerIds,
    ]);
    return rowCount ?? 0;
  }

  async recentNonTransactional(customerIds: string[], since: Millis): Promise<Map<string, Millis[]>> {
    const sends = new Map<string, Millis[]>();
    if (customerIds.length === 0) return sends;
    const { rows } = await this.pool.query<{ customer_id: string; outcome_at: number }>(this.sql.sentSince, [
      customerIds,
      since,
    ]);
    for (const row of rows) {
      const times = sends.get(row.customer_id);
      if (times) times.push(row.outcome_at);
      else sends.set(row.customer_id, [row.outcome_at]);
    }
    return sends;
  }

  async nextDueAt(): Promise<Millis | null> {
    const { rows } = await this.pool.query<{ due_at: number }>(this.sql.earliestDue);
    return rows[0]?.due_at ?? null;
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
  return {
    // Two index range scans (one per partial index), each skipping rows another worker holds,
    // merged and cut to the limit; the UPDATE then claims exactly those rows.
    claim: `
      WITH scheduled AS (
        SELECT id, due_at, priority FROM ${tp}
        WHERE status = 'scheduled' AND due_at <= $1
        ORDER BY due_at, priority LIMIT $2
        FOR UPDATE SKIP LOCKED
      ), expired AS (
        SELECT id, due_at, priority FROM ${tp}
        WHERE status = 'claimed' AND lease_until <= $1
        ORDER BY lease_until LIMIT $2
        FOR UPDATE SKIP LOCKED
      ), picked AS (
        SELECT id FROM (SELECT * FROM scheduled UNION ALL SELECT * FROM expired) AS c
        ORDER BY due_at, priority, id LIMIT $2
      ), claimed AS (
        UPDATE ${tp} AS t
        SET status = 'claimed', attempt = t.attempt + 1, lease_until = $3, claimed_by = $4
        FROM picked WHERE t.id = picked.id
        RETURNING ${TOUCH_POINT_READ.split(', ')
          .map((c) => `t.${c}`)
          .join(', ')}
      )
      SELECT claimed.*, ${prefixed('c', CUSTOMER_COLUMNS)}, ${prefixed('o', ORDER_COLUMNS)},
             ${prefixed('e', ENROLLMENT_COLUMNS)}
      FROM claimed
      LEFT JOIN ${n.table('customers')} AS c ON c.id = claimed.customer_id
      LEFT JOIN ${n.table('orders')} AS o ON o.id = claimed.order_id
      LEFT JOIN ${n.table('enrollments')} AS e ON e.id = claimed.enrollment_id`,
    // Fenced: only the attempt that holds the claim may write; a stale worker's rows match nothing.
    record: `
      UPDATE ${tp} AS t
      SET status = v.status,
          reason = v.reason,
          outcome_at = v.outcome_at,
          due_at = COALESCE(v.due_at, t.due_at),
          provider_id = COALESCE(v.provider_id, t.provider_id),
          lease_until = NULL,
          claimed_by = CASE WHEN v.status = 'scheduled' THEN NULL ELSE t.claimed_by END
      FROM unnest($1::text[], $2::integer[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[])
        AS v(id, attempt, status, reason, outcome_at, due_at, provider_id)
      WHERE t.id = v.id AND t.attempt = v.attempt AND t.status = 'claimed'`,
    sentSince: `
      SELECT customer_id, outcome_at FROM ${tp}
      WHERE customer_id = ANY($1::text[]) AND status = 'sent' AND outcome_at >= $2
        AND purpose <> 'transactional' AND channel IN ('email', 'sms')
      ORDER BY customer_id, outcome_at`,
    earliestDue: `SELECT due_at FROM ${tp} WHERE status = 'scheduled' ORDER BY due_at LIMIT 1`,
    requeue: `
      WITH expired AS (
        SELECT id, lease_until FROM ${tp} WHERE status = 'claimed' AND lease_until < $1
        ORDER BY lease_until LIMIT 10000 FOR UPDATE SKIP LOCKED
      )
      UPDATE ${tp} AS t SET status = 'scheduled', lease_until = NULL
      FROM expired WHERE t.id = expired.id
      RETURNING t.id, t.attempt, t.claimed_by, expired.lease_until`,
  };
}

/** `c.id AS c_id, c.email AS c_email, ...` */
function prefixed(alias: string, columns: readonly string[]): string {
  return columns.map((c) => `${alias}.${c} AS ${alias}_${c}`).join(', ');
}

function unprefix<T>(row: Record<string, unknown>, prefix: string, columns: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const column of columns) out[column] = row[prefix + column];
  return out as T;
}
