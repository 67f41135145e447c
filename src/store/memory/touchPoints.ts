// Touch points as people see them in memory, whether still in an enrollment's compact plan or
// already a queued row, listed alike and in the one listing order (records/touchPointOrder.ts).
import type { TouchPoint, TouchPointStatus } from '../../core/domain.js';
import { enrollmentIdOf, parseTouchPointId, planTouchPoint } from '../records/plan.js';
import { byDueThenPriority, planStatusMatches } from '../records/touchPointOrder.js';
import type { StoredEnrollment } from '../intake/batch.js';
import type { Records } from './records.js';

/** The touch points a plan stands for (optionally of one status), appended to `out`. */
export function appendPlanned(out: TouchPoint[], stored: StoredEnrollment, status?: TouchPointStatus): void {
  for (const entry of stored.plan) {
    if (planStatusMatches(entry.status, status))
      out.push(Object.freeze(planTouchPoint(stored.enrollment, entry)));
  }
}

/** Every touch point of these orders (optionally of one status), in listing order. */
export function touchPointsOfOrders(
  records: Records,
  orderIds: Iterable<string>,
  status?: TouchPointStatus,
): TouchPoint[] {
  const out: TouchPoint[] = [];
  for (const orderId of orderIds) {
    for (const plan of records.plansOf(orderId)) {
      appendPlanned(out, plan.stored, status);
      for (const { touchPoint: t } of plan.rows) if (status === undefined || t.status === status) out.push(t);
    }
  }
  return out.sort(byDueThenPriority);
}

/** One touch point by id: its row, or else its plan entry (null when there is neither). */
export function touchPointById(records: Records, id: string): TouchPoint | null {
  const row = records.row(id);
  if (row !== undefined) return row;
  const parts = parseTouchPointId(id);
  if (parts === null) return null;
  const stored = records.enrollment(enrollmentIdOf(parts.playbook, parts.orderId));
  const entry = stored?.plan.find((e) => e.step === parts.step);
  if (stored === undefined || entry === undefined || entry.status === 'queued') return null;
  return Object.freeze(planTouchPoint(stored.enrollment, entry));
}
