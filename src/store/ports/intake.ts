// The intake capability: apply a batch of events through a pure reducer, atomically. The
// adapter loads what each event needs (IntakeState), the reducer decides (IntakeChanges), the
// adapter writes. Used by engine/intake.ts only.
import type {
  Customer,
  DomainEvent,
  Enrollment,
  Millis,
  Order,
  StoredEvent,
  TouchPoint,
} from '../../core/domain.js';
import type { Reason } from '../../core/reasons.js';

/** What intake knows before applying one event, loaded by the adapter inside its transaction. */
export interface IntakeState {
  /** The event id was seen before: the reducer should return no changes. */
  duplicate: boolean;
  customer: Customer | null;
  order: Order | null;
  /** Enrollments of this order (one per playbook), oldest first. */
  enrollments: Enrollment[];
  /** Every touch point of this order, any status, whether still in the plan or already queued. */
  touchPoints: TouchPoint[];
}

/** What intake decided to write for one event; all of it lands in one transaction, or none. */
export interface IntakeChanges {
  /** Set when the event cannot be applied (e.g. unknown order): nothing is written, the reason is reported. */
  rejected: string | null;
  customer: Customer | null;
  order: Order | null;
  event: StoredEvent | null;
  /** Events intake records about this one (`customer.contact_changed`), written with it. */
  derivedEvents?: StoredEvent[];
  enrollments: Enrollment[];
  insertTouchPoints: TouchPoint[];
  reschedule: { id: string; dueAt: Millis }[];
  cancel: { id: string; reason: Reason }[];
}

/**
 * Pure: given the state and the event, what to write. Called by the adapter for each event of a
 * batch in order, with state that reflects the earlier events of the same batch.
 */
export type IntakeReducer = (state: IntakeState, event: DomainEvent) => IntakeChanges;

export interface IntakeResult {
  eventId: string;
  duplicate: boolean;
  customerId: string | null;
  orderId: string | null;
  planned: number;
  cancelled: number;
  rejected: string | null;
}

export interface IntakeStore {
  /** Apply events in order, each through `reduce`, atomically per batch. */
  apply(events: DomainEvent[], reduce: IntakeReducer): Promise<IntakeResult[]>;
}
