// The privacy capability: everything held about one customer, and its erasure (GDPR).
import type {
  Customer,
  Enrollment,
  Millis,
  Order,
  StoredEvent,
  Task,
  TouchPoint,
} from '../../core/domain.js';
import type { Concern } from '../../core/listening/types.js';

/** Everything held about one customer. */
export interface CustomerExport {
  customer: Customer;
  orders: Order[];
  enrollments: Enrollment[];
  events: StoredEvent[];
  touchPoints: TouchPoint[];
  tasks: Task[];
  /** Their concerns (what they complained about and how it was resolved), oldest first. */
  concerns: Concern[];
  /** The suppression list's entry for their address (unsubscribed, bounced, complained, erased), if any. */
  suppressions: { reason: string; createdAt: Millis }[];
}

export interface ErasureReport {
  customerId: string;
  /** An e-mail address was put on the suppression list (as a hash). */
  suppressed: boolean;
  orders: number;
  events: number;
  tasks: number;
  /** Pending touch points (scheduled or claimed) that were cancelled. */
  cancelledTouchPoints: number;
  /** Every touch point of the customer: what was sent for them (outbox files) is named by these ids. */
  touchPointIds: string[];
  /** Tombstones kept of their identities (id, address, phone), which intake refuses from now on. */
  tombstones: number;
  /** Webhook inbox entries and Idempotency-Key answers that named them, removed. */
  waitingCopies: number;
}

export interface PrivacyStore {
  exportCustomer(id: string): Promise<CustomerExport | null>;
  /**
   * Remove the customer's personal data everywhere in one transaction: contact details and
   * attributes, events' data, orders' items, shipments, shipping addresses and attributes, tasks' scripts and notes,
   * concerns' words, what channels answered (touch points' reason details), inbox entries and
   * Idempotency-Key answers naming them; pending touch points and tasks are cancelled,
   * enrollments ended. Ids, statuses and times stay, so counts hold and a replayed provider
   * event is still recognised as seen. Every identity they had (id, address, phone) leaves a
   * keyed tombstone intake refuses; the address goes on the suppression list (hashed). Null
   * when there is no such customer.
   */
  eraseCustomer(id: string, at: Millis): Promise<ErasureReport | null>;
}
