// The rows both SQL stores read for recentNonTransactional, grouped per customer in one place.
import type { RecentSend } from '../ports/queue.js';

export interface SentRow {
  customer_id: string;
  outcome_at: number;
  playbook: string;
  playbook_version: number;
  step_key: string;
}

/** Rows ordered by customer and time -> each customer's sends, oldest first. */
export function recentSends(rows: Iterable<SentRow>): Map<string, RecentSend[]> {
  const sends = new Map<string, RecentSend[]>();
  for (const row of rows) {
    const send: RecentSend = {
      at: Number(row.outcome_at),
      playbook: row.playbook,
      playbookVersion: Number(row.playbook_version),
      stepKey: row.step_key,
    };
    const list = sends.get(row.customer_id);
    if (list) list.push(send);
    else sends.set(row.customer_id, [send]);
  }
  return sends;
}
