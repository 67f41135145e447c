// Counting the report's cells from the raw tables: a few aggregate queries, written once for
// both dialects (only JSON access differs: sql/measuringDialect.ts). The database groups by the
// enrollment's key (playbook, version, segment, placed day, holdout, first order) and the
// step's columns; records/cellTally.ts merges the groups into cells with the rules every store
// shares. Reads only. Counting the whole history is the reference (tests); the store counts a
// few days at a time (`days`), which every query narrows to through the orders placed on them
// (the orders_placed index), and keeps the result per day (sql/measuring.ts).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Tables } from './tables.js';
import type { Survey, TouchPointStatus } from '../../core/domain.js';
import type { CellTally } from '../records/cellTally.js';
import {
  DAY_MS,
  addAttributed,
  attributeAnswers,
  cellKeyOf,
  inWindow,
  type AnswerEvent,
  type CustomerEnrollment,
  type EnrollmentKey,
  type PlacedWindow,
} from '../records/cellTally.js';
import { tableRef, type SqlHandle } from './db.js';
import { measuringDialect, type MeasuringDialect } from './measuringDialect.js';

/** The enrollment key columns every grouped query starts with (e: enrollments, o: orders). */
interface KeyRow {
  playbook: string;
  version: number | string;
  segment: string;
  day: number | string;
  holdout: number | boolean;
  first: number | boolean;
}

interface StepRow extends KeyRow {
  step_key: string;
  channel: string;
  status: string;
  reason: string | null;
  n: number | string;
  answers: number | string;
  unsubscribes: number | string;
}

interface OutcomeRow extends KeyRow {
  enrollments: number | string;
  returned: number | string;
  cancelled: number | string;
  r90e: number | string;
  r90: number | string;
  r180e: number | string;
  r180: number | string;
  contacts: number | string;
  contact_ms: number | string | null;
  opened: number | string | null;
  resolved: number | string | null;
  resolve_ms: number | string | null;
  breaches: number | string | null;
}

interface AnswerRow {
  id: string;
  customer_id: string;
  at: number | string;
  survey: string;
  score: number | string;
  tp: string | null;
}

interface EnrollmentRow {
  playbook: string;
  order_id: string;
  customer_id: string;
  version: number | string;
  segment: string;
  placed_at: number | string;
  holdout: number | boolean;
  first: number | boolean;
}

const PLAN_STATUS: Record<string, TouchPointStatus> = { s: 'scheduled', k: 'skipped', c: 'cancelled' };

function keyOf(row: KeyRow): EnrollmentKey {
  return {
    playbook: row.playbook,
    version: Number(row.version),
    segment: row.segment,
    placedAt: Number(row.day) * DAY_MS,
    holdout: Boolean(row.holdout),
    firstOrder: Boolean(row.first),
  };
}

type Rows = <R>(query: RawBuilder<R>) => Promise<R[]>;

/**
 * One enrollment's repeat purchase facts: its key, when its order was placed and whether the
 * customer's next order came within 90 / 180 days. Stored with a day's cells so a report whose
 * repeat cut falls inside that day counts its eligible orders without another query.
 */
export interface RepeatFact {
  key: EnrollmentKey;
  next90: boolean;
  next180: boolean;
}

/** Placed-at ranges `[from, to)` in ms (whole UTC days); null: the whole history. */
export type DayRanges = readonly (readonly [number, number])[] | null;

/** Consecutive day numbers as placed-at ranges, ascending. */
export function rangesOfDays(days: Iterable<number>): [number, number][] {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const day of sorted) {
    const last = ranges.at(-1);
    if (last !== undefined && last[1] === day * DAY_MS) last[1] = (day + 1) * DAY_MS;
    else ranges.push([day * DAY_MS, (day + 1) * DAY_MS]);
  }
  return ranges;
}

export class SqlCellCount {
  private readonly json: MeasuringDialect;

  constructor(private readonly handle: SqlHandle) {
    this.json = measuringDialect(handle.dialect);
  }

  /**
   * Adds the cells of the enrollments in `window` (and on `days`, when given) to `tally`, with
   * repeat purchases judged at `asOf`.
   */
  async count(
    db: Kysely<Tables>,
    tally: CellTally,
    window: PlacedWindow,
    asOf: number,
    days: DayRanges,
  ): Promise<void> {
    if (days !== null && days.length === 0) return;
    const scope = new Scope(this.handle, window, days);
    const rows = <R>(query: RawBuilder<R>): Promise<R[]> => query.execute(db).then((r) => r.rows);
    // One after another: on SQLite they share the one connection anyway, and on PostgreSQL a
    // report should not take several of the pool's connections from the workers.
    for (const row of await rows<StepRow>(this.touchPointSteps(scope))) this.addStep(tally, row);
    for (const row of await rows<StepRow>(this.planSteps(scope))) {
      this.addStep(tally, { ...row, status: PLAN_STATUS[row.status] ?? 'scheduled' });
    }
    for (const row of await rows<StepRow>(this.tracedSteps(scope))) this.addStep(tally, row);
    await this.addAnswers(rows, tally, scope);
    for (const row of await rows<OutcomeRow>(this.outcomes(scope, asOf))) {
      tally.addOutcomes(cellKeyOf(keyOf(row)), {
        enrollments: Number(row.enrollments),
        returned: Number(row.returned),
        cancelled: Number(row.cancelled),
        repeat90Eligible: Number(row.r90e),
        repeat90: Number(row.r90),
        repeat180Eligible: Number(row.r180e),
        repeat180: Number(row.r180),
        firstContacts: Number(row.contacts),
        firstContactMs: Number(row.contact_ms ?? 0),
        concernsOpened: Number(row.opened ?? 0),
        concernsResolved: Number(row.resolved ?? 0),
        resolveMs: Number(row.resolve_ms ?? 0),
        slaBreaches: Number(row.breaches ?? 0),
      });
    }
  }

  /** Every enrollment placed on `days`, with its repeat purchase facts. */
  async repeatFacts(db: Kysely<Tables>, days: DayRanges): Promise<RepeatFact[]> {
    if (days !== null && days.length === 0) return [];
    const scope = new Scope(this.handle, { from: null, to: null, playbook: null }, days);
    const { rows } = await sql<KeyRow & { placed_at: number | string; next_at: number | string | null }>`
      SELECT ${this.keyColumns}, o.placed_at AS placed_at,
        (SELECT MIN(n.placed_at) FROM ${this.table('orders')} n
          WHERE n.customer_id = o.customer_id AND n.placed_at > o.placed_at) AS next_at
      FROM ${this.table('enrollments')} e
      JOIN ${this.table('orders')} o ON o.id = e.order_id
      WHERE ${scope.where}`.execute(db);
    return rows.map((row) => {
      const placedAt = Number(row.placed_at);
      const next = row.next_at === null ? null : Number(row.next_at);
      return {
        key: { ...keyOf(row), placedAt },
        next90: next !== null && next <= placedAt + 90 * DAY_MS,
        next180: next !== null && next <= placedAt + 180 * DAY_MS,
      };
    });
  }

  private addStep(tally: CellTally, row: StepRow): void {
    tally.addStep(
      cellKeyOf(keyOf(row)),
      row.step_key,
      row.channel,
      row.status as TouchPointStatus,
      row.reason,
      { count: Number(row.n), answers: Number(row.answers), unsubscribes: Number(row.unsubscribes) },
    );
  }

  private table(name: Parameters<typeof tableRef>[1]): RawBuilder<unknown> {
    return tableRef(this.handle, name);
  }

  /** The key columns, for enrollments `e` joined to their orders `o`. */
  private readonly keyColumns = sql`e.playbook AS playbook, e.playbook_version AS version,
    o.segment AS segment, o.placed_at / ${sql.lit(DAY_MS)} AS day, e.holdout AS holdout,
    CASE WHEN o.sequence = 1 THEN 1 ELSE 0 END AS first`;

  private readonly keyGroup = sql`e.playbook, e.playbook_version, o.segment,
    o.placed_at / ${sql.lit(DAY_MS)}, e.holdout, CASE WHEN o.sequence = 1 THEN 1 ELSE 0 END`;

  /** Touch point rows (every status, claimed and scheduled ones included) by step. */
  private touchPointSteps(scope: Scope): RawBuilder<StepRow> {
    return sql<StepRow>`
      SELECT ${this.keyColumns}, t.step_key AS step_key, t.channel AS channel, t.status AS status,
        t.reason AS reason, COUNT(*) AS n, 0 AS answers, 0 AS unsubscribes
      FROM ${this.table('touch_points')} t
      JOIN ${this.table('enrollments')} e ON e.order_id = t.order_id AND e.playbook = t.playbook
      JOIN ${this.table('orders')} o ON o.id = t.order_id
      WHERE ${scope.where}
      GROUP BY ${this.keyGroup}, t.step_key, t.channel, t.status, t.reason`;
  }

  /** Compact plan entries not yet handed to the queue (a `queued` one is a row, counted above). */
  private planSteps(scope: Scope): RawBuilder<StepRow> {
    const p = this.json.plan(sql`e.plan`);
    return sql<StepRow>`
      SELECT ${this.keyColumns}, ${p.step} AS step_key, ${p.channel} AS channel, ${p.status} AS status,
        ${p.reason} AS reason, COUNT(*) AS n, 0 AS answers, 0 AS unsubscribes
      FROM ${this.table('enrollments')} e
      JOIN ${this.table('orders')} o ON o.id = e.order_id
      CROSS JOIN ${p.from}
      WHERE ${p.status} <> 'q' AND ${scope.where}
      GROUP BY ${this.keyGroup}, ${p.step}, ${p.channel}, ${p.status}, ${p.reason}`;
  }

  /**
   * Answers and unsubscribes that name a touch point row of the same customer, each (customer,
   * touch point) once, counted in that touch point's group with a count of 0.
   */
  private tracedSteps(scope: Scope): RawBuilder<StepRow> {
    const j = this.json;
    return sql<StepRow>`
      SELECT ${this.keyColumns}, t.step_key AS step_key, t.channel AS channel, t.status AS status,
        t.reason AS reason, 0 AS n,
        SUM(CASE WHEN m.type = 'survey.answered' THEN 1 ELSE 0 END) AS answers,
        SUM(CASE WHEN m.type = 'customer.unsubscribed' THEN 1 ELSE 0 END) AS unsubscribes
      FROM (
        SELECT DISTINCT v.type, v.customer_id, ${j.string(sql`v.data`, 'touchPointId')} AS tp
        FROM ${this.table('events')} v
        WHERE ((v.type = 'survey.answered' AND ${j.validAnswer(sql`v.data`)})
          OR v.type = 'customer.unsubscribed') AND ${scope.customers(sql`v.customer_id`)}
      ) m
      JOIN ${this.table('touch_points')} t ON t.id = m.tp AND t.customer_id = m.customer_id
      JOIN ${this.table('enrollments')} e ON e.order_id = t.order_id AND e.playbook = t.playbook
      JOIN ${this.table('orders')} o ON o.id = t.order_id
      WHERE ${scope.where}
      GROUP BY ${this.keyGroup}, t.step_key, t.channel, t.status, t.reason`;
  }

  /**
   * Survey answers: read whole (there are far fewer than touch points) with the enrollments of
   * the customers who gave them, and attributed by the rule every store shares.
   */
  private async addAnswers(rows: Rows, tally: CellTally, scope: Scope): Promise<void> {
    const j = this.json;
    const answered = sql`SELECT v.customer_id FROM ${this.table('events')} v
      WHERE v.type = 'survey.answered' AND ${j.validAnswer(sql`v.data`)}
        AND ${scope.customers(sql`v.customer_id`)}`;
    const answerRows = await rows<AnswerRow>(sql<AnswerRow>`
      SELECT v.id AS id, v.customer_id AS customer_id, v.at AS at,
        ${j.string(sql`v.data`, 'survey')} AS survey, ${j.number(sql`v.data`, 'score')} AS score,
        ${j.string(sql`v.data`, 'touchPointId')} AS tp
      FROM ${this.table('events')} v
      WHERE v.type = 'survey.answered' AND ${j.validAnswer(sql`v.data`)}
        AND ${scope.customers(sql`v.customer_id`)}`);
    if (answerRows.length === 0) return;
    const enrollmentRows = await rows<EnrollmentRow>(sql<EnrollmentRow>`
      SELECT e.playbook AS playbook, e.order_id AS order_id, o.customer_id AS customer_id,
        e.playbook_version AS version, o.segment AS segment, o.placed_at AS placed_at,
        e.holdout AS holdout, CASE WHEN o.sequence = 1 THEN 1 ELSE 0 END AS first
      FROM ${this.table('orders')} o
      JOIN ${this.table('enrollments')} e ON e.order_id = o.id
      WHERE o.customer_id IN (${answered})`);
    const byCustomer = new Map<string, CustomerEnrollment[]>();
    for (const r of enrollmentRows) {
      const e: CustomerEnrollment = {
        playbook: r.playbook,
        version: Number(r.version),
        segment: r.segment,
        placedAt: Number(r.placed_at),
        holdout: Boolean(r.holdout),
        firstOrder: Boolean(r.first),
        orderId: r.order_id,
      };
      const list = byCustomer.get(r.customer_id);
      if (list === undefined) byCustomer.set(r.customer_id, [e]);
      else list.push(e);
    }
    const answers: AnswerEvent[] = answerRows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      at: Number(r.at),
      survey: r.survey as Survey,
      score: Number(r.score),
      touchPointId: r.tp,
    }));
    addAttributed(
      tally,
      attributeAnswers(answers, (customerId) => byCustomer.get(customerId) ?? []),
      (key) => scope.holds(key.playbook, key.placedAt),
    );
  }

  /**
   * Per enrollment: its order's moments, the customer's next order (strictly later, by the
   * orders_customer index), its first contact and the concerns about its order.
   */
  private outcomes(scope: Scope, asOf: number): RawBuilder<OutcomeRow> {
    const j = this.json;
    const cut90 = asOf - 90 * DAY_MS;
    const cut180 = asOf - 180 * DAY_MS;
    return sql<OutcomeRow>`
      SELECT x.playbook AS playbook, x.version AS version, x.segment AS segment, x.day AS day,
        x.holdout AS holdout, x.first AS first,
        COUNT(*) AS enrollments,
        SUM(x.returned) AS returned,
        SUM(x.cancelled) AS cancelled,
        SUM(CASE WHEN x.placed_at <= ${cut90} THEN 1 ELSE 0 END) AS r90e,
        SUM(CASE WHEN x.placed_at <= ${cut90} AND x.next_at <= x.placed_at + ${sql.lit(90 * DAY_MS)} THEN 1 ELSE 0 END) AS r90,
        SUM(CASE WHEN x.placed_at <= ${cut180} THEN 1 ELSE 0 END) AS r180e,
        SUM(CASE WHEN x.placed_at <= ${cut180} AND x.next_at <= x.placed_at + ${sql.lit(180 * DAY_MS)} THEN 1 ELSE 0 END) AS r180,
        SUM(CASE WHEN f.at IS NULL THEN 0 ELSE 1 END) AS contacts,
        SUM(f.at - x.placed_at) AS contact_ms,
        SUM(c.opened) AS opened,
        SUM(c.resolved) AS resolved,
        SUM(c.resolve_ms) AS resolve_ms,
        SUM(c.breaches) AS breaches
      FROM (
        SELECT ${this.keyColumns}, e.order_id AS order_id, o.placed_at AS placed_at,
          CASE WHEN ${j.value(sql`o.moments`, 'returned')} IS NULL THEN 0 ELSE 1 END AS returned,
          CASE WHEN ${j.value(sql`o.moments`, 'cancelled')} IS NULL THEN 0 ELSE 1 END AS cancelled,
          (SELECT MIN(n.placed_at) FROM ${this.table('orders')} n
            WHERE n.customer_id = o.customer_id AND n.placed_at > o.placed_at) AS next_at
        FROM ${this.table('enrollments')} e
        JOIN ${this.table('orders')} o ON o.id = e.order_id
        WHERE ${scope.where}
      ) x
      LEFT JOIN (
        SELECT t.order_id AS order_id, t.playbook AS playbook,
          MIN(CASE WHEN t.channel LIKE 'task:%' THEN k.completed_at ELSE t.outcome_at END) AS at
        FROM ${this.table('touch_points')} t
        LEFT JOIN ${this.table('tasks')} k ON k.touch_point_id = t.id AND k.status = 'done'
        WHERE t.status = 'sent' AND ${scope.orders(sql`t.order_id`)}
        GROUP BY t.order_id, t.playbook
      ) f ON f.order_id = x.order_id AND f.playbook = x.playbook
      LEFT JOIN (
        SELECT order_id, COUNT(*) AS opened,
          SUM(CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END) AS resolved,
          SUM(CASE WHEN resolved_at IS NULL THEN 0 ELSE resolved_at - opened_at END) AS resolve_ms,
          SUM(CASE WHEN level > 0 THEN 1 ELSE 0 END) AS breaches
        FROM ${this.table('concerns')}
        WHERE order_id IS NOT NULL AND ${scope.orders(sql`order_id`)}
        GROUP BY order_id
      ) c ON c.order_id = x.order_id
      GROUP BY x.playbook, x.version, x.segment, x.day, x.holdout, x.first`;
  }
}

/**
 * What one count covers: the query's window over `e` (enrollments) and `o` (orders), narrowed
 * to some days, and the same orders (customers) as a filter for the subqueries that start
 * elsewhere (events, first contacts, concerns). Unnarrowed, those filters are always true.
 */
class Scope {
  readonly where: RawBuilder<unknown>;
  private readonly placed: (alias: string) => RawBuilder<unknown>;

  constructor(
    private readonly handle: SqlHandle,
    private readonly window: PlacedWindow,
    private readonly days: DayRanges,
  ) {
    this.placed = (alias) => {
      const column = sql.ref(`${alias}.placed_at`);
      if (days === null) return sql`1 = 1`;
      return sql`(${sql.join(
        days.map(([from, to]) => sql`(${column} >= ${from} AND ${column} < ${to})`),
        sql` OR `,
      )})`;
    };
    const parts: RawBuilder<unknown>[] = [this.placed('o')];
    if (window.playbook !== null) parts.push(sql`e.playbook = ${window.playbook}`);
    if (window.from !== null) parts.push(sql`o.placed_at >= ${window.from}`);
    if (window.to !== null) parts.push(sql`o.placed_at < ${window.to}`);
    this.where = sql.join(parts, sql` AND `);
  }

  /** `column` is the id of an order placed on the days (always true for the whole history). */
  orders(column: RawBuilder<unknown>): RawBuilder<unknown> {
    if (this.days === null) return sql`1 = 1`;
    return sql`${column} IN (SELECT s.id FROM ${tableRef(this.handle, 'orders')} s WHERE ${this.placed('s')})`;
  }

  /** `column` is a customer with an order placed on the days. */
  customers(column: RawBuilder<unknown>): RawBuilder<unknown> {
    if (this.days === null) return sql`1 = 1`;
    return sql`${column} IN (SELECT s.customer_id FROM ${tableRef(this.handle, 'orders')} s WHERE ${this.placed('s')})`;
  }

  /** An attributed answer's enrollment is counted here. */
  holds(playbook: string, placedAt: number): boolean {
    if (!inWindow(this.window, playbook, placedAt)) return false;
    return this.days === null || this.days.some(([from, to]) => placedAt >= from && placedAt < to);
  }
}
