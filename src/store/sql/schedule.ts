// Moving or cancelling a touch point by hand, for both dialects. A step still in its
// enrollment's compact plan becomes a queued row first (the plan marks it `queued`), so what a
// person changed is kept as a row like anything the dispatcher touched.
import type { Transaction } from 'kysely';
import type { Millis, TouchPoint } from '../../core/domain.js';
import type { Reason } from '../../core/reasons.js';
import type { ScheduleStore } from '../ports/schedule.js';
import { parseTouchPointId, planTouchPoint } from '../records/plan.js';
import { forUpdate, type SqlHandle } from './db.js';
import {
  enrollmentFromRow,
  enrollmentRow,
  scheduleChangeRow,
  touchPointFromRow,
  touchPointRow,
} from './rows.js';
import type { Tables } from './tables.js';

type Change = (t: TouchPoint) => TouchPoint;

export class SqlSchedule implements ScheduleStore {
  constructor(
    private readonly sql: SqlHandle,
    /** Told when a touch point now comes due at `dueAt` (PostgreSQL wakes other processes). */
    private readonly onDue: (dueAt: Millis) => Promise<void> = () => Promise.resolve(),
  ) {}

  async move(id: string, dueAt: Millis): Promise<TouchPoint | null> {
    const moved = await this.change(id, (t) => ({ ...t, dueAt }));
    if (moved !== null) await this.onDue(dueAt);
    return moved;
  }

  cancel(id: string, reason: Reason, at: Millis): Promise<TouchPoint | null> {
    return this.change(id, (t) => ({ ...t, status: 'cancelled', reason, outcomeAt: at, leaseUntil: null }));
  }

  /** Applies `change` to a scheduled touch point; null when there is none or it is not scheduled. */
  private change(id: string, change: Change): Promise<TouchPoint | null> {
    return this.sql.db.transaction().execute(async (trx) => {
      const row = await forUpdate(
        this.sql,
        trx.selectFrom('touch_points').selectAll().where('id', '=', id),
      ).executeTakeFirst();
      if (row) {
        if (row.status !== 'scheduled') return null;
        const next = change(touchPointFromRow(row));
        await trx.updateTable('touch_points').set(scheduleChangeRow(next)).where('id', '=', id).execute();
        return next;
      }
      return this.changePlanned(trx, id, change);
    });
  }

  private async changePlanned(
    trx: Transaction<Tables>,
    id: string,
    change: Change,
  ): Promise<TouchPoint | null> {
    const parts = parseTouchPointId(id);
    if (parts === null) return null;
    const stored = await forUpdate(
      this.sql,
      trx
        .selectFrom('enrollments')
        .selectAll()
        .where('order_id', '=', parts.orderId)
        .where('playbook', '=', parts.playbook),
    ).executeTakeFirst();
    if (!stored) return null;
    const { enrollment, plan } = enrollmentFromRow(stored);
    const index = plan.findIndex((e) => e.step === parts.step);
    const entry = plan[index];
    if (entry === undefined || entry.status !== 'scheduled') return null;
    const next = change(planTouchPoint(enrollment, entry));
    const queued = plan.map((e, i) => (i === index ? { ...e, status: 'queued' as const } : e));
    const {
      plan: encoded,
      next_due_at,
      next_priority,
      next_key,
    } = enrollmentRow({ enrollment, plan: queued });
    await trx
      .updateTable('enrollments')
      .set({ plan: encoded, next_due_at, next_priority, next_key })
      .where('order_id', '=', enrollment.orderId)
      .where('playbook', '=', enrollment.playbook)
      .execute();
    await trx.insertInto('touch_points').values(touchPointRow(next, null)).execute();
    return next;
  }
}
