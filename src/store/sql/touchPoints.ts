// Touch points as people see them, whether still in an enrollment's compact plan or already a
// queued row, read with the query builder for both dialects.
import type { Kysely } from 'kysely';
import type { TouchPoint, TouchPointStatus } from '../../core/domain.js';
import { planTouchPoint } from '../records/plan.js';
import { byDueThenPriority, planStatusMatches } from '../records/touchPointOrder.js';
import { enrollmentFromRow, touchPointFromRow } from './rows.js';
import type { Tables } from './tables.js';

/** Every touch point of these orders (optionally of one status), in listing order. */
export async function touchPointsOfOrders(
  db: Kysely<Tables>,
  orderIds: readonly string[],
  status?: TouchPointStatus,
): Promise<TouchPoint[]> {
  if (orderIds.length === 0) return [];
  let rowsQuery = db
    .selectFrom('touch_points')
    .selectAll()
    .where('order_id', 'in', [...orderIds]);
  if (status !== undefined) rowsQuery = rowsQuery.where('status', '=', status);
  const [rows, enrollments] = await Promise.all([
    rowsQuery.execute(),
    db
      .selectFrom('enrollments')
      .selectAll()
      .where('order_id', 'in', [...orderIds])
      .execute(),
  ]);
  const out = rows.map(touchPointFromRow);
  for (const row of enrollments) {
    const { enrollment, plan } = enrollmentFromRow(row);
    for (const entry of plan) {
      if (planStatusMatches(entry.status, status)) out.push(planTouchPoint(enrollment, entry));
    }
  }
  return out.sort(byDueThenPriority);
}

/** The ids of a customer's orders (the indexed way to everything keyed by order). */
export async function orderIdsOf(db: Kysely<Tables>, customerId: string): Promise<string[]> {
  const rows = await db.selectFrom('orders').select('id').where('customer_id', '=', customerId).execute();
  return rows.map((r) => r.id);
}
