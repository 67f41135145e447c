// Measuring on SQL: the report's cells as a few aggregate queries, written once for both
// dialects (only JSON access differs: sql/measuringDialect.ts). The database groups by the
// enrollment's key (playbook, version, segment, placed day, holdout, first order) and the
// step's columns; records/cellTally.ts merges the groups into cells with the rules every store
// shares. Reads only; no lock is taken, so a report never holds up intake or the dispatcher.
import { sql, type RawBuilder } from 'kysely';
import type { MeasureCells, MeasureQuery } from '../../core/measuring/cells.js';
import type { Survey, TouchPointStatus } from '../../core/domain.js';
import type { MeasuringStore } from '../ports/measuring.js';
import {
  CellTally,
  DAY_MS,
  attributeAnswers,
  cellKeyOf,
  inWindow,
  placedWindow,
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

export class SqlMeasuring implements MeasuringStore {
  private readonly json: MeasuringDialect;

  constructor(private readonly handle: SqlHandle) {
    this.json = measuringDialect(handle.dialect);
  }

  async cells(query: MeasureQuery): Promise<MeasureCells> {
    const window = placedWindow(query);
    const tally = new CellTally();
    // One after another: on SQLite they share the one connection anyway, and on PostgreSQL a
    // report should not take several of the pool's connections from the workers.
    for (const row of await this.rows<StepRow>(this.touchPointSteps(window))) this.addStep(tally, row);
    for (const row of await this.rows<StepRow>(this.planSteps(window))) {
      this.addStep(tally, { ...row, status: PLAN_STATUS[row.status] ?? 'scheduled' });
    }
    for (const row of await this.rows<StepRow>(this.tracedSteps(window))) this.addStep(tally, row);
    await this.addAnswers(tally, window);
    for (const row of await this.rows<OutcomeRow>(this.outcomes(window, query.asOf))) {
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
    return tally.cells();
  }

  private async rows<R>(query: RawBuilder<R>): Promise<R[]> {
    return (await query.execute(this.handle.db)).rows;
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

  /** The query's window over `e` and `o`, as a WHERE clause (always true when unfiltered). */
  private where(window: PlacedWindow): RawBuilder<unknown> {
    const parts: RawBuilder<unknown>[] = [sql`1 = 1`];
    if (window.playbook !== null) parts.push(sql`e.playbook = ${window.playbook}`);
    if (window.from !== null) parts.push(sql`o.placed_at >= ${window.from}`);
    if (window.to !== null) parts.push(sql`o.placed_at < ${window.to}`);
    return sql.join(parts, sql` AND `);
  }

  /** Touch point rows (every status, claimed and scheduled ones included) by step. */
  private touchPointSteps(window: PlacedWindow): RawBuilder<StepRow> {
    return sql<StepRow>`
      SELECT ${this.keyColumns}, t.step_key AS step_key, t.channel AS channel, t.status AS status,
        t.reason AS reason, COUNT(*) AS n, 0 AS answers, 0 AS unsubscribes
      FROM ${this.table('touch_points')} t
      JOIN ${this.table('enrollments')} e ON e.order_id = t.order_id AND e.playbook = t.playbook
      JOIN ${this.table('orders')} o ON o.id = t.order_id
      WHERE ${this.where(window)}
      GROUP BY ${this.keyGroup}, t.step_key, t.channel, t.status, t.reason`;
  }

  /** Compact plan entries not yet handed to the queue (a `queued` one is a row, counted above). */
  private planSteps(window: PlacedWindow): RawBuilder<StepRow> {
    const p = this.json.plan(sql`e.plan`);
    return sql<StepRow>`
      SELECT ${this.keyColumns}, ${p.step} AS step_key, ${p.channel} AS channel, ${p.status} AS status,
        ${p.reason} AS reason, COUNT(*) AS n, 0 AS answers, 0 AS unsubscribes
      FROM ${this.table('enrollments')} e
      JOIN ${this.table('orders')} o ON o.id = e.order_id
      CROSS JOIN ${p.from}
      WHERE ${p.status} <> 'q' AND ${this.where(window)}
      GROUP BY ${this.keyGroup}, ${p.step}, ${p.channel}, ${p.status}, ${p.reason}`;
  }

  /**
   * Answers and unsubscribes that name a touch point row of the same customer, each (customer,
   * touch point) once, counted in that touch point's group with a count of 0.
   */
  private tracedSteps(window: PlacedWindow): RawBuilder<StepRow> {
    const j = this.json;
    return sql<StepRow>`
      SELECT ${this.keyColumns}, t.step_key AS step_key, t.channel AS channel, t.status AS status,
        t.reason AS reason, 0 AS n,
        SUM(CASE WHEN m.type = 'survey.answered' THEN 1 ELSE 0 END) AS answers,
        SUM(CASE WHEN m.type = 'customer.unsubscribed' THEN 1 ELSE 0 END) AS unsubscribes
      FROM (
        SELECT DISTINCT v.type, v.customer_id, ${j.string(sql`v.data`, 'touchPointId')} AS tp
        FROM ${this.table('events')} v
        WHERE (v.type = 'survey.answered' AND ${j.validAnswer(sql`v.data`)})
          OR v.type = 'customer.unsubscribed'
      ) m
      JOIN ${this.table('touch_points')} t ON t.id = m.tp AND t.customer_id = m.customer_id
      JOIN ${this.table('enrollments')} e ON e.order_id = t.order_id AND e.playbook = t.playbook
      JOIN ${this.table('orders')} o ON o.id = t.order_id
      WHERE ${this.where(window)}
      GROUP BY ${this.keyGroup}, t.step_key, t.channel, t.status, t.reason`;
  }

  /**
   * Survey answers: read whole (there are far fewer than touch points) with the enrollments of
   * the customers who gave them, and attributed by the rule every store shares.
   */
  private async addAnswers(tally: CellTally, window: PlacedWindow): Promise<void> {
    const j = this.json;
    const answered = sql`SELECT v.customer_id FROM ${this.table('events')} v
      WHERE v.type = 'survey.answered' AND ${j.validAnswer(sql`v.data`)}`;
    const answerRows = await this.rows<AnswerRow>(sql<AnswerRow>`
      SELECT v.id AS id, v.customer_id AS customer_id, v.at AS at,
        ${j.string(sql`v.data`, 'survey')} AS survey, ${j.number(sql`v.data`, 'score')} AS score,
        ${j.string(sql`v.data`, 'touchPointId')} AS tp
      FROM ${this.table('events')} v
      WHERE v.type = 'survey.answered' AND ${j.validAnswer(sql`v.data`)}`);
    if (answerRows.length === 0) return;
    const enrollmentRows = await this.rows<EnrollmentRow>(sql<EnrollmentRow>`
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
    for (const a of attributeAnswers(answers, (customerId) => byCustomer.get(customerId) ?? [])) {
      if (inWindow(window, a.key.playbook, a.key.placedAt)) {
        tally.addAnswer(cellKeyOf(a.key), a.stepKey, a.survey, a.score);
      }
    }
  }

  /**
   * Per enrollment: its order's moments, the customer's next order (strictly later, by the
   * orders_customer index), its first contact and the concerns about its order.
   */
  private outcomes(window: PlacedWindow, asOf: number): RawBuilder<OutcomeRow> {
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
        WHERE ${this.where(window)}
      ) x
      LEFT JOIN (
        SELECT t.order_id AS order_id, t.playbook AS playbook,
          MIN(CASE WHEN t.channel LIKE 'task:%' THEN k.completed_at ELSE t.outcome_at END) AS at
        FROM ${this.table('touch_points')} t
        LEFT JOIN ${this.table('tasks')} k ON k.touch_point_id = t.id AND k.status = 'done'
        WHERE t.status = 'sent'
        GROUP BY t.order_id, t.playbook
      ) f ON f.order_id = x.order_id AND f.playbook = x.playbook
      LEFT JOIN (
        SELECT order_id, COUNT(*) AS opened,
          SUM(CASE WHEN resolved_at IS NULL THEN 0 ELSE 1 END) AS resolved,
          SUM(CASE WHEN resolved_at IS NULL THEN 0 ELSE resolved_at - opened_at END) AS resolve_ms,
          SUM(CASE WHEN level > 0 THEN 1 ELSE 0 END) AS breaches
        FROM ${this.table('concerns')}
        WHERE order_id IS NOT NULL
        GROUP BY order_id
      ) c ON c.order_id = x.order_id
      GROUP BY x.playbook, x.version, x.segment, x.day, x.holdout, x.first`;
  }
}
