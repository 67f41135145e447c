// The rows both SQL stores read for inFlight, mapped in one place.
import type { InFlight } from '../ports/queue.js';

export interface InFlightRow {
  id: string;
  customer_id: string;
  order_id: string;
  playbook: string;
  playbook_version: number;
  step_key: string;
  lease_until: number;
}

export function inFlightFromRow(row: InFlightRow): InFlight {
  return {
    id: row.id,
    customerId: row.customer_id,
    orderId: row.order_id,
    playbook: row.playbook,
    playbookVersion: Number(row.playbook_version),
    stepKey: row.step_key,
    leaseUntil: Number(row.lease_until),
  };
}
