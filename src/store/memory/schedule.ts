// Moving or cancelling a touch point by hand, in memory. A step still in its enrollment's
// compact plan becomes a queued row first (the plan marks it `queued`), as on the SQL stores.
import type { Millis, TouchPoint } from '../../core/domain.js';
import type { Reason } from '../../core/reasons.js';
import type { ScheduleStore } from '../ports/schedule.js';
import { enrollmentIdOf, parseTouchPointId, planTouchPoint } from '../records/plan.js';
import { ownedTouchPoint, withEntry } from './owned.js';
import type { Records } from './records.js';
import { settle } from './settle.js';

type Change = (t: TouchPoint) => TouchPoint;

export class MemorySchedule implements ScheduleStore {
  constructor(private readonly records: Records) {}

  move(id: string, dueAt: Millis): Promise<TouchPoint | null> {
    return settle(() => this.change(id, (t) => ({ ...t, dueAt })));
  }

  cancel(id: string, reason: Reason, at: Millis): Promise<TouchPoint | null> {
    return settle(() =>
      this.change(id, (t) => ({ ...t, status: 'cancelled', reason, outcomeAt: at, leaseUntil: null })),
    );
  }

  /** Applies `change` to a scheduled touch point; null when there is none or it is not scheduled. */
  private change(id: string, change: Change): TouchPoint | null {
    const r = this.records;
    const row = r.rowSlot(id);
    if (row !== undefined) {
      if (row.touchPoint.status !== 'scheduled') return null;
      const touchPoint = ownedTouchPoint(change(row.touchPoint));
      r.rewrite(row, touchPoint);
      return touchPoint;
    }
    const parts = parseTouchPointId(id);
    if (parts === null) return null;
    const slot = r.planSlot(enrollmentIdOf(parts.playbook, parts.orderId));
    const stored = slot?.stored;
    const index = stored === undefined ? -1 : stored.plan.findIndex((e) => e.step === parts.step);
    const entry = stored?.plan[index];
    if (slot === undefined || stored === undefined || entry === undefined || entry.status !== 'scheduled')
      return null;
    const touchPoint = ownedTouchPoint(change(planTouchPoint(stored.enrollment, entry)));
    r.replan(slot, withEntry(stored, index, { ...entry, status: 'queued' }));
    r.addRow(slot, touchPoint);
    return touchPoint;
  }
}
