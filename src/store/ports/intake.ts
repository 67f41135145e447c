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
  /**
   * An identity the event carries (customer id, e-mail address, phone), or the customer it leads
   * to, belongs to an erased person (a tombstone matched): the reducer refuses the event.
   */
  erased: boolean;
  customer: Customer | null;
  /**
   * The id a customer first met in this event gets: the provider's customer id when given, else
   * one keyed with the install's key from the address (core/identity.ts); null when neither.
   */
  newCustomerId: string | null;
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
  /**
   * Events intake concludes from this one and writes with it: a `purchase.repeated` for a
   * customer's later order, `customer.contact_changed` when known contact details changed.
   */
  derivedEvents: StoredEvent[];
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
