// The dispatch queue on SQLite, hand-written because it is the hot path (`sqlite.claim`,
// `sqlite.record`): claim due touch points under a lease, from queued rows (expired leases,
// deferred and hand-moved touch points) and from the compact plans whose next step is due; record
// outcomes fenced by attempt; and the send history that frequency caps read.
import type Database from 'better-sqlite3';
import type { Millis } from '../../core/domain.js';
import type {
  ExpiredLease,
  AttemptOutcome,
  ClaimOptions,
  ClaimedTouchPoint,
  DispatchQueue,
  InFlight,
  RecentSend,
} from '../ports/queue.js';
import { inFlightFromRow, type InFlightRow } from '../records/inFlight.js';
import { recentSends, type SentRow } from '../records/recentSends.js';
import { joinClaims, pickClaims } from '../records/claim.js';
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
import type { ConnectionLane } from './dialect.js';
import { MultiRowInsert, type SqlValue } from './multiRow.js';

const IDS = '(SELECT value FROM json_each(?))';
const FENCE = "WHERE id = ? AND attempt = ? AND status = 'claimed'";

export class SqliteQueue implements DispatchQueue {
  private readonly claimStatements = new Map<string, Database.Statement<unknown[], unknown>>();
  private readonly stmt: ReturnType<typeof statements>;
  private readonly inserts: MultiRowInsert<Record<string, SqlValue>>;
  private readonly claimTx: Database.Transaction<(options: ClaimOptions) => ClaimedTouchPoint[]>;
  private tellStmt: Database.Statement<[string, number, string]> | null = null;
  private readonly recordTx: Database.Transaction<(outcomes: AttemptOutcome[]) => number>;
  private readonly requeueTx: Database.Transaction<(before: Millis) => ExpiredLease[]>;

  constructor(private readonly lane: ConnectionLane) {
    const db = lane.db;
    this.stmt = statements(db);
    this.inserts = new MultiRowInsert(db, 'touch_points');
    this.claimTx = db.transaction((options: ClaimOptions) => this.claim(options));
    this.recordTx = db.transaction((outcomes: AttemptOutcome[]) => {
      let applied = 0;
      for (const outcome of outcomes) applied += this.record(outcome);
      return applied;
    });
    this.requeueTx = db.transaction((before: Millis) => {
      const rows = this.stmt.expired.all(before);
      for (const row of rows) this.stmt.requeue.run(row.id);
      return rows.map((r) => ({
        id: r.id,
        attempt: r.attempt,
        worker: r.claimed_by,
        leaseUntil: r.lease_until,
      }));
    });
  }

  claimDue(options: ClaimOptions): Promise<ClaimedTouchPoint[]> {
    if (options.limit <= 0) return Promise.resolve([]);
    // IMMEDIATE: take the write lock up front (waiting for it), as every write here does.
    return this.lane.run(() => this.claimTx.immediate(options));
  }

  /** Prepared on first use: a store opened before its migration ran has no story_tellings yet. */
  private tell(): Database.Statement<[string, number, string]> {
    this.tellStmt ??= this.lane.db.prepare<[string, number, string]>(
      `INSERT OR IGNORE INTO story_tellings (customer_id, story_id, touch_point_id, told_at)
       SELECT customer_id, ?, id, ? FROM touch_points WHERE id = ?`,
    );
    return this.tellStmt;
  }

  recordOutcomes(outcomes: AttemptOutcome[]): Promise<number> {
    if (outcomes.length === 0) return Promise.resolve(0);
    return this.lane.run(() => this.recordTx.immediate(outcomes));
  }

  recentNonTransactional(customerIds: string[], since: Millis): Promise<Map<string, RecentSend[]>> {
    return this.lane.run(() => {
      if (customerIds.length === 0) return new Map<string, RecentSend[]>();
      return recentSends(this.stmt.sentSince.all(JSON.stringify(customerIds), since));
    });
  }

  inFlight(customerIds: string[], now: Millis, worker: string): Promise<InFlight[]> {
    return this.lane.run(() => {
      if (customerIds.length === 0) return [];
      return this.stmt.inFlight.all(JSON.stringify(customerIds), now, worker).map(inFlightFromRow);
    });
  }

  nextDueAt(): Promise<Millis | null> {
    return this.lane.run(() => {
      const row = this.stmt.earliestRow.get() ?? null;
      const plan = this.stmt.earliestPlan.get() ?? null;
      if (row === null) return plan;
      return plan === null ? row : Math.min(row, plan);
    });
  }

  requeueExpiredLeases(before: Millis): Promise<ExpiredLease[]> {
    return this.lane.run(() => this.requeueTx.immediate(before));
  }

  /** The LIMIT is written into the SQL, not bound: SQLite then uses its ORDER BY ... LIMIT plan. */
  private limited<R>(sql: string, limit: number): Database.Statement<unknown[], R> {
    const text = sql.replace(':limit:', String(Math.floor(limit)));
    let statement = this.claimStatements.get(text);
    if (!statement) {
      statement = this.lane.db.prepare(text);
      this.claimStatements.set(text, statement);
    }
    return statement as Database.Statement<unknown[], R>;
  }

  private claim(options: ClaimOptions): ClaimedTouchPoint[] {
    const { now, limit } = options;
    const expired = this.limited<TouchPointRow>(EXPIRED_SQL, limit).all(now).map(touchPointFromRow);
    const room = limit - expired.length;
    const pick = pickClaims(
      {
        expired,
        due: room > 0 ? this.limited<TouchPointRow>(DUE_ROWS_SQL, room).all(now).map(touchPointFromRow) : [],
        plans:
          room > 0 ? this.limited<EnrollmentRow>(DUE_PLANS_SQL, room).all(now).map(enrollmentFromRow) : [],
      },
      now,
      limit,
      now + options.leaseMs,
    );
    if (pick.touchPoints.length === 0) return [];
    if (pick.rowIds.length > 0) {
      this.stmt.claimRows.run(now + options.leaseMs, options.worker, JSON.stringify(pick.rowIds));
    }
    if (pick.fromPlans.length > 0) {
      this.inserts.run(pick.fromPlans.map((t) => touchPointRow(t, options.worker)));
      for (const stored of pick.plans) {
        const row = enrollmentRow(stored);
        this.stmt.updatePlan.run(
          row.plan,
          row.next_due_at,
          row.next_priority,
          row.next_key,
          row.order_id,
          row.playbook,
        );
      }
    }
    const touchPoints = pick.touchPoints;
    const ids = (key: 'customerId' | 'orderId'): string =>
      JSON.stringify([...new Set(touchPoints.map((t) => t[key]))]);
    const { claimed, orphans } = joinClaims(touchPoints, {
      customers: this.stmt.customersIn.all(ids('customerId')).map(customerFromRow),
      orders: this.stmt.ordersIn.all(ids('orderId')).map(orderFromRow),
      enrollments: this.stmt.enrollmentsOf
        .all(ids('orderId'))
        .map((row) => enrollmentFromRow(row).enrollment),
    });
    for (const orphan of orphans) this.stmt.orphan.run(orphan.detail, now, orphan.id);
    return claimed;
  }

  private record(outcome: AttemptOutcome): number {
    const { id, attempt } = outcome;
    switch (outcome.kind) {
      case 'sent': {
        const changes = this.stmt.markSent.run(outcome.at, outcome.providerId, id, attempt).changes;
        // The story it told, in the same transaction: only when the fenced write went through.
        if (changes > 0 && outcome.story !== undefined) this.tell().run(outcome.story, outcome.at, id);
        return changes;
      }
      case 'skipped':
      case 'cancelled':
      case 'failed':
        return this.stmt.markFinal.run(
          outcome.kind,
          outcome.reason.code,
          outcome.reason.detail,
          outcome.at,
          id,
          attempt,
        ).changes;
      case 'rescheduled':
        return this.stmt.markRescheduled.run(
          outcome.dueAt,
          outcome.reason.code,
          outcome.reason.detail,
          id,
          attempt,
        ).changes;
    }
  }
}

const EXPIRED_SQL = `SELECT * FROM touch_points WHERE status = 'claimed' AND lease_until <= ?
  ORDER BY due_at, priority, id LIMIT :limit:`;
const DUE_ROWS_SQL = `SELECT * FROM touch_points WHERE status = 'scheduled' AND due_at <= ?
  ORDER BY due_at, priority, id LIMIT :limit:`;
const DUE_PLANS_SQL = `SELECT * FROM enrollments WHERE next_due_at <= ?
  ORDER BY next_due_at, next_priority, next_key LIMIT :limit:`;

function statements(db: Database.Database) {
  return {
    claimRows: db.prepare<[number, string, string]>(
      `UPDATE touch_points SET status = 'claimed', attempt = attempt + 1, lease_until = ?, claimed_by = ?
       WHERE id IN ${IDS}`,
    ),
    updatePlan: db.prepare<[string, number | null, number | null, string | null, string, string]>(
      'UPDATE enrollments SET plan = ?, next_due_at = ?, next_priority = ?, next_key = ? WHERE order_id = ? AND playbook = ?',
    ),
    customersIn: db.prepare<[string], CustomerRow>(`SELECT * FROM customers WHERE id IN ${IDS}`),
    ordersIn: db.prepare<[string], OrderRow>(`SELECT * FROM orders WHERE id IN ${IDS}`),
    enrollmentsOf: db.prepare<[string], EnrollmentRow>(`SELECT * FROM enrollments WHERE order_id IN ${IDS}`),
    orphan: db.prepare<[string, number, string]>(
      `UPDATE touch_points SET status = 'failed', reason = 'orphaned', reason_detail = ?, outcome_at = ?,
         lease_until = NULL WHERE id = ?`,
    ),
    markSent: db.prepare<[number, string | null, string, number]>(
      `UPDATE touch_points SET status = 'sent', reason = NULL, reason_detail = NULL, outcome_at = ?,
         provider_id = ?, lease_until = NULL ${FENCE}`,
    ),
    markFinal: db.prepare<[string, string, string | null, number, string, number]>(
      `UPDATE touch_points SET status = ?, reason = ?, reason_detail = ?, outcome_at = ?, lease_until = NULL ${FENCE}`,
    ),
    markRescheduled: db.prepare<[number, string, string | null, string, number]>(
      `UPDATE touch_points SET status = 'scheduled', due_at = ?, reason = ?, reason_detail = ?, lease_until = NULL,
         claimed_by = NULL ${FENCE}`,
    ),
    inFlight: db.prepare<[string, number, string], InFlightRow>(
      `SELECT id, customer_id, order_id, playbook, playbook_version, step_key, lease_until FROM touch_points
       WHERE status = 'claimed' AND customer_id IN ${IDS} AND lease_until > ?
         AND (claimed_by IS NULL OR claimed_by <> ?)`,
    ),
    sentSince: db.prepare<[string, number], SentRow>(
      `SELECT customer_id, outcome_at, playbook, playbook_version, step_key FROM touch_points
       WHERE customer_id IN ${IDS} AND status = 'sent' AND outcome_at >= ?
         AND purpose <> 'transactional' AND channel IN ('email', 'sms')
       ORDER BY customer_id, outcome_at, id`,
    ),
    earliestRow: db
      .prepare<[], number>(
        "SELECT due_at FROM touch_points WHERE status = 'scheduled' ORDER BY due_at LIMIT 1",
      )
      .pluck(),
    earliestPlan: db
      .prepare<[], number>(
        'SELECT next_due_at FROM enrollments WHERE next_due_at IS NOT NULL ORDER BY next_due_at LIMIT 1',
      )
      .pluck(),
    expired: db.prepare<
      [number],
      { id: string; attempt: number; claimed_by: string | null; lease_until: number }
    >(
      "SELECT id, attempt, claimed_by, lease_until FROM touch_points WHERE status = 'claimed' AND lease_until <= ?",
    ),
    requeue: db.prepare<[string]>(
      "UPDATE touch_points SET status = 'scheduled', lease_until = NULL, claimed_by = NULL WHERE id = ? AND status = 'claimed'",
    ),
  };
}
