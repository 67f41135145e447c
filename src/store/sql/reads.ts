// Reads for the API, the CLI and the dashboard, written once for both dialects: customers,
// orders, timelines (rows and the events kept with their orders) and touch points (rows and
// compact plans, listed alike).
import { sql, type Kysely } from 'kysely';
import {
  TOUCH_POINT_STATUSES,
  type Customer,
  type EventType,
  type Order,
  type StoredEvent,
  type TouchPoint,
  type TouchPointStatus,
} from '../../core/domain.js';
import { normalizedEmail } from '../intake/lookup.js';
import type { ReadStore, SentQuery, StatusCounts, TouchPointQuery } from '../ports/reads.js';
import { decodeEmbedded } from '../records/embedded.js';
import { parseTouchPointId, planTouchPoint, type PlanStatus } from '../records/plan.js';
import { compareText } from '../records/storable.js';
import { byDueThenPriority, planStatusMatches } from '../records/touchPointOrder.js';
import { tableRef, type SqlHandle } from './db.js';
import { customerFromRow, enrollmentFromRow, eventFromRow, orderFromRow, touchPointFromRow } from './rows.js';
import type { EnrollmentRow } from './rows.js';
import type { Tables } from './tables.js';
import { orderIdsOf, touchPointsOfOrders } from './touchPoints.js';

/** Enrollments read per round when a listing has to walk the plans. */
const PAGE = 1000;
const TASK_STATUSES = ['open', 'claimed', 'done', 'cancelled'] as const;
const PLAN_STATUS_OF_CODE: Record<string, PlanStatus> = { s: 'scheduled', k: 'skipped', c: 'cancelled' };

export class SqlReads implements ReadStore {
  private readonly db: Kysely<Tables>;

  constructor(private readonly sql: SqlHandle) {
    this.db = sql.db;
  }

  async getCustomer(id: string): Promise<Customer | null> {
    const row = await this.db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? customerFromRow(row) : null;
  }

  async findCustomerByEmail(email: string): Promise<Customer | null> {
    const normalized = normalizedEmail(email);
    if (normalized === null) return null;
    const row = await this.db
      .selectFrom('customers')
      .selectAll()
      .where('email_lower', '=', normalized)
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row ? customerFromRow(row) : null;
  }

  async getOrder(id: string): Promise<Order | null> {
    const row = await this.db.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? orderFromRow(row) : null;
  }

  async listOrders(customerId: string): Promise<Order[]> {
    const rows = await this.db
      .selectFrom('orders')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('placed_at')
      .orderBy('id')
      .execute();
    return rows.map(orderFromRow);
  }

  async listEvents(customerId: string, types?: EventType[]): Promise<StoredEvent[]> {
    if (types !== undefined && types.length === 0) return [];
    let rowsQuery = this.db.selectFrom('events').selectAll().where('customer_id', '=', customerId);
    if (types !== undefined) rowsQuery = rowsQuery.where('type', 'in', types);
    const [rows, orders] = await Promise.all([
      rowsQuery.execute(),
      this.db
        .selectFrom('orders')
        .select(['id', 'customer_id', 'embedded_events'])
        .where('customer_id', '=', customerId)
        .execute(),
    ]);
    const wanted = types === undefined ? null : new Set<string>(types);
    const events = rows.map(eventFromRow);
    for (const order of orders) {
      for (const event of decodeEmbedded(order.embedded_events, order.customer_id, order.id)) {
        if (wanted === null || wanted.has(event.type)) events.push(event);
      }
    }
    return events.sort((a, b) => a.at - b.at || a.receivedAt - b.receivedAt || compareText(a.id, b.id));
  }

  async listTouchPoints(query: TouchPointQuery): Promise<TouchPoint[]> {
    const limit = query.limit ?? Number.MAX_SAFE_INTEGER;
    if (limit <= 0) return [];
    let orderIds: string[] | null = null;
    if (query.orderId !== undefined) orderIds = [query.orderId];
    else if (query.customerId !== undefined) orderIds = await orderIdsOf(this.db, query.customerId);
    if (orderIds === null) return (await this.listEverywhere(query.status, limit)).slice(0, limit);
    let all = await touchPointsOfOrders(this.db, orderIds, query.status);
    if (query.customerId !== undefined) all = all.filter((t) => t.customerId === query.customerId);
    return all.slice(0, limit);
  }

  async getTouchPoint(id: string): Promise<TouchPoint | null> {
    const row = await this.db.selectFrom('touch_points').selectAll().where('id', '=', id).executeTakeFirst();
    if (row) return touchPointFromRow(row);
    const parts = parseTouchPointId(id);
    if (parts === null) return null;
    const stored = await this.db
      .selectFrom('enrollments')
      .selectAll()
      .where('order_id', '=', parts.orderId)
      .where('playbook', '=', parts.playbook)
      .executeTakeFirst();
    if (!stored) return null;
    const { enrollment, plan } = enrollmentFromRow(stored);
    const entry = plan.find((e) => e.step === parts.step);
    return entry === undefined || entry.status === 'queued' ? null : planTouchPoint(enrollment, entry);
  }

  async listSent(query: SentQuery): Promise<TouchPoint[]> {
    if (query.limit <= 0) return [];
    // Sent touch points are always rows (plans keep only scheduled, skipped and cancelled ones).
    // The walk follows (outcome_at, id) downwards from the cursor, the filters riding along, on
    // the partial index touch_points_sent_at (0018-outbox): `sent` is a literal, so the planner
    // can match the index's condition.
    let select = this.db
      .selectFrom('touch_points')
      .selectAll()
      .where('status', '=', sql.lit('sent'))
      .where('outcome_at', 'is not', null);
    if (query.channel !== undefined) select = select.where('channel', '=', query.channel);
    if (query.stepKey !== undefined) select = select.where('step_key', '=', query.stepKey);
    const before = query.before ?? null;
    if (before !== null) {
      select = select.where((eb) => eb(eb.refTuple('outcome_at', 'id'), '<', eb.tuple(before.at, before.id)));
    }
    const rows = await select
      .orderBy('outcome_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit)
      .execute();
    return rows.map(touchPointFromRow);
  }

  async counts(): Promise<StatusCounts> {
    const count = (table: 'customers' | 'orders' | 'events') =>
      this.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const [customers, orders, eventRows, embedded, rowStatuses, planStatuses, taskStatuses] =
      await Promise.all([
        count('customers'),
        count('orders'),
        count('events'),
        this.embeddedEventCount(),
        this.db
          .selectFrom('touch_points')
          .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
          .groupBy('status')
          .execute(),
        this.planStatusCounts(),
        this.db
          .selectFrom('tasks')
          .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
          .groupBy('status')
          .execute(),
      ]);
    const touchPoints = Object.fromEntries(
      TOUCH_POINT_STATUSES.map((s) => [s, 0]),
    ) as StatusCounts['touchPoints'];
    for (const { status, n } of rowStatuses) touchPoints[status as TouchPointStatus] += Number(n);
    for (const [status, n] of planStatuses) touchPoints[status as TouchPointStatus] += n;
    const tasks = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as StatusCounts['tasks'];
    for (const { status, n } of taskStatuses) tasks[status as keyof StatusCounts['tasks']] = Number(n);
    return { customers, orders, events: eventRows + embedded, touchPoints, tasks };
  }

  /** Events kept with their orders, counted inside the database. */
  private async embeddedEventCount(): Promise<number> {
    const length =
      this.sql.dialect === 'postgres'
        ? sql<number>`coalesce(sum(json_array_length(embedded_events::json)), 0)`
        : sql<number>`coalesce(sum(json_array_length(embedded_events)), 0)`;
    const row = await this.db.selectFrom('orders').select(length.as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Plan entries by status, counted inside the database (the status is each entry's 6th item). */
  private async planStatusCounts(): Promise<Map<PlanStatus, number>> {
    const query =
      this.sql.dialect === 'postgres'
        ? sql<{ code: string; n: number | string }>`
            SELECT e->>5 AS code, count(*) AS n
            FROM ${tableRef(this.sql, 'enrollments')}, json_array_elements(plan::json) e GROUP BY 1`
        : sql<{ code: string; n: number }>`
            SELECT json_extract(e.value, '$[5]') AS code, count(*) AS n
            FROM enrollments, json_each(enrollments.plan) e GROUP BY 1`;
    const { rows } = await query.execute(this.db);
    const out = new Map<PlanStatus, number>();
    for (const { code, n } of rows) {
      const status = PLAN_STATUS_OF_CODE[code];
      if (status !== undefined) out.set(status, (out.get(status) ?? 0) + Number(n));
    }
    return out;
  }

  /**
   * Touch points of every order, first `limit` in listing order. Scheduled ones walk the plans in
   * queue order and stop as soon as no later plan can hold an earlier step; other statuses kept
   * in plans (skipped, cancelled) need a walk over every plan: a rare, admin-only listing.
   */
  private async listEverywhere(status: TouchPointStatus | undefined, limit: number): Promise<TouchPoint[]> {
    let rowsQuery = this.db
      .selectFrom('touch_points')
      .selectAll()
      .orderBy('due_at')
      .orderBy('priority')
      .orderBy('id');
    if (status !== undefined) rowsQuery = rowsQuery.where('status', '=', status);
    if (limit < Number.MAX_SAFE_INTEGER) rowsQuery = rowsQuery.limit(limit);
    const found = (await rowsQuery.execute()).map(touchPointFromRow);
    if (status === 'claimed' || status === 'sent' || status === 'failed') return found;
    const keep = (rows: EnrollmentRow[]): void => {
      for (const row of rows) {
        const { enrollment, plan } = enrollmentFromRow(row);
        for (const entry of plan) {
          if (planStatusMatches(entry.status, status)) found.push(planTouchPoint(enrollment, entry));
        }
      }
      found.sort(byDueThenPriority);
      if (found.length > limit) found.length = limit;
    };
    if (status === 'scheduled') {
      let after: { due: number; order: string; playbook: string } | null = null;
      for (;;) {
        let page = this.db.selectFrom('enrollments').selectAll().where('next_due_at', 'is not', null);
        if (after !== null) {
          const { due, order, playbook } = after;
          page = page.where((eb) =>
            eb(eb.refTuple('next_due_at', 'order_id', 'playbook'), '>', eb.tuple(due, order, playbook)),
          );
        }
        const rows = await page
          .orderBy('next_due_at')
          .orderBy('order_id')
          .orderBy('playbook')
          .limit(PAGE)
          .execute();
        keep(rows);
        const last = rows.at(-1);
        if (rows.length < PAGE || last === undefined) return found;
        // No later plan has a step due before its own next step.
        if (found.length >= limit && found[limit - 1]!.dueAt < (last.next_due_at ?? 0)) return found;
        after = { due: last.next_due_at ?? 0, order: last.order_id, playbook: last.playbook };
      }
    }
    let after: { order: string; playbook: string } | null = null;
    for (;;) {
      let page = this.db.selectFrom('enrollments').selectAll();
      if (after !== null) {
        const { order, playbook } = after;
        page = page.where((eb) => eb(eb.refTuple('order_id', 'playbook'), '>', eb.tuple(order, playbook)));
      }
      const rows = await page.orderBy('order_id').orderBy('playbook').limit(PAGE).execute();
      keep(rows);
      const last = rows.at(-1);
      if (rows.length < PAGE || last === undefined) return found;
      after = { order: last.order_id, playbook: last.playbook };
    }
  }
}
