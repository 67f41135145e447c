// What one claim takes, decided the same way by every SQL adapter once it has read its
// candidates: claims whose lease expired first (work a crashed or frozen worker left behind is
// older than anything newly due), then queued rows and the due steps of plans, in claim order
// (due time, purpose priority, id), up to the limit; and how the claimed touch points meet
// their customer, order and enrollment.
import type { Customer, Enrollment, Millis, Order, TouchPoint } from '../../core/domain.js';
import type { StoredEnrollment } from '../intake/batch.js';
import type { ClaimedTouchPoint } from '../ports/queue.js';
import { planTouchPoint } from './plan.js';
import { byDueThenPriority } from './touchPointOrder.js';

export interface ClaimCandidates {
  /** Claimed rows whose lease ended, oldest due first. */
  expired: TouchPoint[];
  /** Scheduled queued rows that are due. */
  due: TouchPoint[];
  /** Plans whose next step is due. */
  plans: StoredEnrollment[];
}

export interface ClaimPick {
  /** Every touch point taken, as claimed (attempt + 1, leased), in claim order. */
  touchPoints: TouchPoint[];
  /** Queued rows taken (expired or due). */
  rowIds: string[];
  /** Plan steps taken: rows to insert, already claimed. */
  fromPlans: TouchPoint[];
  /** The plans that gave steps, each with those steps marked `queued`. */
  plans: StoredEnrollment[];
}

export function pickClaims(
  candidates: ClaimCandidates,
  now: Millis,
  limit: number,
  lease: Millis,
): ClaimPick {
  const claimed = (t: TouchPoint): TouchPoint => ({
    ...t,
    status: 'claimed',
    attempt: t.attempt + 1,
    leaseUntil: lease,
  });
  const pick: ClaimPick = { touchPoints: [], rowIds: [], fromPlans: [], plans: [] };
  const expired = candidates.expired.slice(0, limit);
  for (const t of expired) {
    pick.rowIds.push(t.id);
    pick.touchPoints.push(claimed(t));
  }
  const room = limit - expired.length;
  if (room <= 0) return pick;
  const fresh: { touchPoint: TouchPoint; row: boolean }[] = candidates.due.map((touchPoint) => ({
    touchPoint,
    row: true,
  }));
  for (const stored of candidates.plans) {
    for (const entry of stored.plan) {
      if (entry.status === 'scheduled' && entry.dueAt <= now) {
        fresh.push({ touchPoint: planTouchPoint(stored.enrollment, entry), row: false });
      }
    }
  }
  fresh.sort((a, b) => byDueThenPriority(a.touchPoint, b.touchPoint));
  const taken = new Map<string, Set<string>>();
  for (const { touchPoint, row } of fresh.slice(0, room)) {
    const t = claimed(touchPoint);
    pick.touchPoints.push(t);
    if (row) {
      pick.rowIds.push(t.id);
      continue;
    }
    pick.fromPlans.push(t);
    const steps = taken.get(t.enrollmentId);
    if (steps) steps.add(t.stepKey);
    else taken.set(t.enrollmentId, new Set([t.stepKey]));
  }
  for (const stored of candidates.plans) {
    const steps = taken.get(stored.enrollment.id);
    if (steps === undefined) continue;
    const plan = stored.plan.map((e) => (steps.has(e.step) ? { ...e, status: 'queued' as const } : e));
    pick.plans.push({ enrollment: stored.enrollment, plan });
  }
  pick.touchPoints.sort(byDueThenPriority);
  return pick;
}

/**
 * Each claimed touch point with its customer, order and enrollment. One whose parents are gone
 * (never through intake) is returned as an orphan, to be ended visibly rather than claimed again
 * after every lease.
 */
export function joinClaims(
  touchPoints: readonly TouchPoint[],
  context: { customers: Customer[]; orders: Order[]; enrollments: Enrollment[] },
): { claimed: ClaimedTouchPoint[]; orphans: { id: string; detail: string }[] } {
  const customers = new Map(context.customers.map((c) => [c.id, c]));
  const orders = new Map(context.orders.map((o) => [o.id, o]));
  const enrollments = new Map(context.enrollments.map((e) => [e.id, e]));
  const claimed: ClaimedTouchPoint[] = [];
  const orphans: { id: string; detail: string }[] = [];
  for (const touchPoint of touchPoints) {
    const customer = customers.get(touchPoint.customerId);
    const order = orders.get(touchPoint.orderId);
    const enrollment = enrollments.get(touchPoint.enrollmentId);
    if (customer && order && enrollment) {
      claimed.push({ touchPoint, customer, order, enrollment });
      continue;
    }
    const missing = [!customer && 'customer', !order && 'order', !enrollment && 'enrollment'].filter(Boolean);
    orphans.push({ id: touchPoint.id, detail: `missing ${missing.join(', ')}` });
  }
  return { claimed, orphans };
}
