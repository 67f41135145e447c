// The touch points one intake batch holds, per order: its enrollments with their compact plans,
// and its queued rows. What the batch plans, moves or cancels changes them here, in memory;
// IntakeBatch.writes() takes the final state. A plan is copied once when first changed.
import type { Enrollment, Millis, TouchPoint } from '../../core/domain.js';
import type { Reason } from '../../core/reasons.js';
import { purposePriority } from '../priority.js';
import {
  enrollmentIdOf,
  parseTouchPointId,
  planEntryOf,
  planTouchPoint,
  type PlanEntry,
} from '../records/plan.js';
import { compareText } from '../records/storable.js';
import type { StoredEnrollment } from './batch.js';

export interface HeldEnrollment {
  enrollment: Enrollment;
  /** Shared with `stored` until the batch first changes it (copied then, changed in place after). */
  plan: PlanEntry[];
  stored: StoredEnrollment | null;
  dirty: boolean;
}

export interface HeldRow {
  current: TouchPoint;
  stored: TouchPoint;
}

function byDue(a: TouchPoint, b: TouchPoint): number {
  return (
    a.dueAt - b.dueAt || purposePriority(a.purpose) - purposePriority(b.purpose) || compareText(a.id, b.id)
  );
}

/** The plan, ready to change in place: copied once if it is still the stored one. */
function ownPlan(held: HeldEnrollment): PlanEntry[] {
  if (held.stored !== null && held.plan === held.stored.plan) held.plan = [...held.plan];
  held.dirty = true;
  return held.plan;
}

export class HeldTouchPoints {
  readonly enrollments = new Map<string, HeldEnrollment>();
  private readonly enrollmentsByOrder = new Map<string, HeldEnrollment[]>();
  readonly rows = new Map<string, HeldRow>();
  private readonly rowsByOrder = new Map<string, HeldRow[]>();
  /** The earliest due time this batch scheduled; null when none. */
  earliestDue: Millis | null = null;

  /** A stored enrollment as read (ignored when the batch holds it already). */
  holdStored(stored: StoredEnrollment): void {
    if (this.enrollments.has(stored.enrollment.id)) return;
    this.hold({ enrollment: stored.enrollment, plan: stored.plan, stored, dirty: false });
  }

  /** A queued row as read (ignored when held already). */
  holdRow(row: TouchPoint): void {
    if (this.rows.has(row.id)) return;
    const held: HeldRow = { current: row, stored: row };
    this.rows.set(row.id, held);
    const list = this.rowsByOrder.get(row.orderId);
    if (list) list.push(held);
    else this.rowsByOrder.set(row.orderId, [held]);
  }

  /** The order's enrollments, oldest first, as the reducer sees them. */
  enrollmentsOf(orderId: string): Enrollment[] {
    return [...(this.enrollmentsByOrder.get(orderId) ?? [])]
      .map((e) => e.enrollment)
      .sort((a, b) => a.enrolledAt - b.enrolledAt || compareText(a.id, b.id));
  }

  /** Every touch point of the order, planned or queued, in listing order. */
  touchPointsOf(orderId: string): TouchPoint[] {
    const out: TouchPoint[] = [];
    for (const held of this.enrollmentsByOrder.get(orderId) ?? []) {
      for (const entry of held.plan) {
        if (entry.status !== 'queued') out.push(planTouchPoint(held.enrollment, entry));
      }
    }
    for (const row of this.rowsByOrder.get(orderId) ?? []) out.push(row.current);
    return out.length > 1 ? out.sort(byDue) : out;
  }

  /** Whether a plan of the order has handed a step to the queue (its row must be read too). */
  hasQueued(orderId: string): boolean {
    for (const held of this.enrollmentsByOrder.get(orderId) ?? []) {
      if (held.plan.some((e) => e.status === 'queued')) return true;
    }
    return false;
  }

  /** The enrollment as the batch holds it now, if it does. */
  enrollment(id: string): Enrollment | null {
    return this.enrollments.get(id)?.enrollment ?? null;
  }

  putEnrollment(enrollment: Enrollment): void {
    const held = this.enrollments.get(enrollment.id);
    if (held) {
      held.enrollment = enrollment;
      held.dirty = true;
      return;
    }
    this.hold({ enrollment, plan: [], stored: null, dirty: true });
  }

  /** INSERT OR IGNORE: false when the step is planned or queued already. */
  insert(touchPoint: TouchPoint): boolean {
    const held = this.enrollments.get(touchPoint.enrollmentId);
    if (held === undefined) {
      throw new Error(`intake: touch point ${touchPoint.id} names no enrollment of this order`);
    }
    if (this.rows.has(touchPoint.id) || held.plan.some((e) => e.step === touchPoint.stepKey)) return false;
    ownPlan(held).push(planEntryOf(touchPoint));
    if (touchPoint.status === 'scheduled') this.noteDue(touchPoint.dueAt);
    return true;
  }

  /** Only a scheduled touch point moves, whether in a plan or queued. */
  reschedule(id: string, dueAt: Millis): void {
    const row = this.rows.get(id);
    if (row) {
      if (row.current.status === 'scheduled') row.current = { ...row.current, dueAt };
      return;
    }
    const found = this.entryOf(id);
    if (found === null) return;
    const entry = found.held.plan[found.index]!;
    if (entry.status !== 'scheduled') return;
    ownPlan(found.held)[found.index] = { ...entry, dueAt };
    this.noteDue(dueAt);
  }

  /** Only a scheduled touch point is cancelled; returns how many were. */
  cancel(id: string, reason: Reason, at: Millis): number {
    const row = this.rows.get(id);
    if (row) {
      if (row.current.status !== 'scheduled') return 0;
      row.current = { ...row.current, status: 'cancelled', reason, outcomeAt: at, leaseUntil: null };
      return 1;
    }
    const found = this.entryOf(id);
    if (found === null) return 0;
    const entry = found.held.plan[found.index]!;
    if (entry.status !== 'scheduled') return 0;
    ownPlan(found.held)[found.index] = { ...entry, status: 'cancelled', reason, outcomeAt: at };
    return 1;
  }

  /**
   * Enrollments to write (dirty only through a real change: the reducer hands back an enrollment
   * it ended or created, and plans change only where the planner moved, added or cancelled a
   * step), and queued rows this batch moved or cancelled.
   */
  writes(): { insert: StoredEnrollment[]; update: StoredEnrollment[]; rows: TouchPoint[] } {
    const out: { insert: StoredEnrollment[]; update: StoredEnrollment[]; rows: TouchPoint[] } = {
      insert: [],
      update: [],
      rows: [],
    };
    for (const held of this.enrollments.values()) {
      if (!held.dirty) continue;
      const stored: StoredEnrollment = { enrollment: held.enrollment, plan: held.plan };
      if (held.stored === null) out.insert.push(stored);
      else out.update.push(stored);
    }
    for (const row of this.rows.values()) if (row.current !== row.stored) out.rows.push(row.current);
    return out;
  }

  private hold(held: HeldEnrollment): void {
    this.enrollments.set(held.enrollment.id, held);
    const list = this.enrollmentsByOrder.get(held.enrollment.orderId);
    if (list) list.push(held);
    else this.enrollmentsByOrder.set(held.enrollment.orderId, [held]);
  }

  /** The plan entry of a touch point id, with its enrollment. */
  private entryOf(id: string): { held: HeldEnrollment; index: number } | null {
    const parts = parseTouchPointId(id);
    if (parts === null) return null;
    const held = this.enrollments.get(enrollmentIdOf(parts.playbook, parts.orderId));
    if (held === undefined) return null;
    const index = held.plan.findIndex((e) => e.step === parts.step);
    return index < 0 ? null : { held, index };
  }

  private noteDue(at: Millis): void {
    if (this.earliestDue === null || at < this.earliestDue) this.earliestDue = at;
  }
}
