// The dispatch side of the SQLite store: claim due touch points under a lease, record attempt
// outcomes fenced by attempt number, and the per-customer send history frequency caps need.
import type Database from 'better-sqlite3';
import type { Customer, Enrollment, Millis, Order } from '../../core/domain.js';
import type { AttemptOutcome, ClaimOptions, ClaimedTouchPoint } from '../port.js';
import { PURPOSE_PRIORITY } from '../priority.js';
import {
  CUSTOMER_COLUMNS,
  ENROLLMENT_COLUMNS,
  ORDER_COLUMNS,
  TOUCH_POINT_COLUMNS,
  customerFromRow,
  enrollmentFromRow,
  orderFromRow,
  touchPointFromRow,
  type CustomerRow,
  type EnrollmentRow,
  type OrderRow,
  type TouchPointRow,
  prepareRows,
} from './rows.js';

interface ClaimParams {
  now: number;
  lease: number;
  worker: string;
}

// Two plain UPDATEs, each a range scan of one partial index: first rows whose lease expired
// (work a crashed worker left behind, older than anything newly due), then scheduled rows that
// are due. A single statement with both arms as a UNION ALL CTE cost ~25x more per call (its
// materialized temp tables dominate), and an empty claim is the most frequent call there is.
// The LIMIT is written into the SQL, not bound: with a bound limit SQLite cannot use its
// ORDER BY ... LIMIT optimization (~6x slower); statements are cached per limit value.
const CLAIM_COLUMNS_SET =
  "SET status = 'claimed', attempt = attempt + 1, lease_until = @lease, claimed_by = @worker";
const RECLAIM_EXPIRED_SQL = `
  UPDATE touch_points ${CLAIM_COLUMNS_SET}
  WHERE id IN (SELECT id FROM touch_points WHERE status = 'claimed' AND lease_until <= @now
               ORDER BY due_at, priority LIMIT :limit:)
  RETURNING ${TOUCH_POINT_COLUMNS}`;
const CLAIM_DUE_SQL = `
  UPDATE touch_points ${CLAIM_COLUMNS_SET}
  WHERE id IN (SELECT id FROM touch_points WHERE status = 'scheduled' AND due_at <= @now
               ORDER BY due_at, priority LIMIT :limit:)
  RETURNING ${TOUCH_POINT_COLUMNS}`;

const FENCE = "WHERE id = ? AND attempt = ? AND status = 'claimed'";

export class SqliteDispatch {
  private readonly claimStatements = new Map<string, Database.Statement<[ClaimParams], TouchPointRow>>();
  private readonly customersIn: Database.Statement<[string], CustomerRow>;
  private readonly ordersIn: Database.Statement<[string], OrderRow>;
  private readonly enrollmentsIn: Database.Statement<[string], EnrollmentRow>;
  private readonly orphan: Database.Statement<[string, number, string]>;
  private readonly markSent: Database.Statement<[number, string | null, string, number]>;
  private readonly markFinal: Database.Statement<[string, string, number, string, number]>;
  private readonly markRescheduled: Database.Statement<[number, string, string, number]>;
  private readonly sentSince: Database.Statement<[string, number], [customerId: string, outcomeAt: number]>;
  private readonly earliestDue: Database.Statement<[], number>;
  readonly claimDue: (options: ClaimOptions) => ClaimedTouchPoint[];
  readonly recordOutcomes: (outcomes: AttemptOutcome[]) => number;

  constructor(private readonly db: Database.Database) {
    const jsonIds = 'WHERE id IN (SELECT value FROM json_each(?))';
    this.customersIn = prepareRows(db, `SELECT ${CUSTOMER_COLUMNS} FROM customers ${jsonIds}`);
    this.ordersIn = prepareRows(db, `SELECT ${ORDER_COLUMNS} FROM orders ${jsonIds}`);
    this.enrollmentsIn = prepareRows(db, `SELECT ${ENROLLMENT_COLUMNS} FROM enrollments ${jsonIds}`);
    this.orphan = db.prepare(
      "UPDATE touch_points SET status = 'failed', reason = ?, outcome_at = ?, lease_until = NULL WHERE id = ?",
    );
    this.markSent = db.prepare(
      `UPDATE touch_points SET status = 'sent', reason = NULL, outcome_at = ?, provider_id = ?, lease_until = NULL ${FENCE}`,
    );
    this.markFinal = db.prepare(
      `UPDATE touch_points SET status = ?, reason = ?, outcome_at = ?, lease_until = NULL ${FENCE}`,
    );
    this.markRescheduled = db.prepare(
      `UPDATE touch_points SET status = 'scheduled', due_at = ?, reason = ?, lease_until = NULL, claimed_by = NULL ${FENCE}`,
    );
    this.sentSince = prepareRows(
      db,
      `SELECT customer_id, outcome_at FROM touch_points
       WHERE customer_id IN (SELECT value FROM json_each(?)) AND status = 'sent' AND outcome_at >= ?
         AND purpose <> 'transactional' AND channel IN ('email', 'sms')
       ORDER BY customer_id, outcome_at`,
    );
    this.earliestDue = db
      .prepare<[], number>(
        "SELECT due_at FROM touch_points WHERE status = 'scheduled' ORDER BY due_at LIMIT 1",
      )
      .pluck();
    // IMMEDIATE: take the write lock up front (waiting for it), as every write transaction here does.
    const claim = db.transaction((options: ClaimOptions) => this.claimInTransaction(options));
    this.claimDue = (options) => claim.immediate(options);
    const record = db.transaction((outcomes: AttemptOutcome[]) => {
      let applied = 0;
      for (const outcome of outcomes) applied += this.record(outcome);
      return applied;
    });
    this.recordOutcomes = (outcomes) => record.immediate(outcomes);
  }

  private claimStatement(sql: string, limit: number): Database.Statement<[ClaimParams], TouchPointRow> {
    const key = `${limit}:${sql}`;
    let statement = this.claimStatements.get(key);
    if (!statement) {
      statement = prepareRows<[ClaimParams], TouchPointRow>(
        this.db,
        sql.replace(':limit:', String(Math.floor(limit))),
      );
      this.claimStatements.set(key, statement);
    }
    return statement;
  }

  private claimInTransaction(options: ClaimOptions): ClaimedTouchPoint[] {
    if (options.limit <= 0) return [];
    const params = { now: options.now, lease: options.now + options.leaseMs, worker: options.worker };
    const rows = this.claimStatement(RECLAIM_EXPIRED_SQL, options.limit).all(params);
    if (rows.length < options.limit) {
      for (const row of this.claimStatement(CLAIM_DUE_SQL, options.limit - rows.length).all(params))
        rows.push(row);
    }
    if (rows.length === 0) return [];
    const touchPoints = rows.map(touchPointFromRow);
    touchPoints.sort(
      (a, b) =>
        a.dueAt - b.dueAt ||
        PURPOSE_PRIORITY[a.purpose] - PURPOSE_PRIORITY[b.purpose] ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
    const customers = byId(
      this.customersIn.all(distinctJson(touchPoints, 'customerId')).map(customerFromRow),
    );
    const orders = byId(this.ordersIn.all(distinctJson(touchPoints, 'orderId')).map(orderFromRow));
    const enrollments = byId(
      this.enrollmentsIn.all(distinctJson(touchPoints, 'enrollmentId')).map(enrollmentFromRow),
    );
    const claimed: ClaimedTouchPoint[] = [];
    for (const touchPoint of touchPoints) {
      const customer: Customer | undefined = customers.get(touchPoint.customerId);
      const order: Order | undefined = orders.get(touchPoint.orderId);
      const enrollment: Enrollment | undefined = enrollments.get(touchPoint.enrollmentId);
      if (customer && order && enrollment) {
        claimed.push({ touchPoint, customer, order, enrollment });
        continue;
      }
      // Cannot happen through intake; if a row lost its parents anyway, end it visibly rather
      // than let it be claimed again after every lease.
      const missing = [!customer && 'customer', !order && 'order', !enrollment && 'enrollment'].filter(
        Boolean,
      );
      this.orphan.run(`orphaned:missing ${missing.join(', ')}`, options.now, touchPoint.id);
    }
    return claimed;
  }

  private record(outcome: AttemptOutcome): number {
    switch (outcome.kind) {
      case 'sent':
        return this.markSent.run(outcome.at, outcome.providerId, outcome.id, outcome.attempt).changes;
      case 'skipped':
      case 'cancelled':
        return this.markFinal.run(outcome.kind, outcome.reason, outcome.at, outcome.id, outcome.attempt)
          .changes;
      case 'failed':
        return this.markFinal.run('failed', outcome.error, outcome.at, outcome.id, outcome.attempt).changes;
      case 'rescheduled':
        return this.markRescheduled.run(outcome.dueAt, outcome.reason, outcome.id, outcome.attempt).changes;
    }
  }

  recentNonTransactional(customerIds: string[], since: Millis): Map<string, Millis[]> {
    const sends = new Map<string, Millis[]>();
    if (customerIds.length === 0) return sends;
    for (const [customerId, outcomeAt] of this.sentSince.all(JSON.stringify(customerIds), since)) {
      const times = sends.get(customerId);
      if (times) times.push(outcomeAt);
      else sends.set(customerId, [outcomeAt]);
    }
    return sends;
  }

  nextDueAt(): Millis | null {
    return this.earliestDue.get() ?? null;
  }
}

function distinctJson<K extends 'customerId' | 'orderId' | 'enrollmentId'>(
  rows: readonly Record<K, string>[],
  key: K,
): string {
  return JSON.stringify([...new Set(rows.map((row) => row[key]))]);
}

function byId<T extends { id: string }>(items: T[]): Map<string, T> {
  return new Map(items.map((item) => [item.id, item]));
}
