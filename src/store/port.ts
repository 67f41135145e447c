// The Store port: everything the engine asks of persistence. Adapters: sqlite/ (embedded
// default) and postgres/ (scale-out). Both must pass test/store-contract.
import type {
  Customer,
  DomainEvent,
  Enrollment,
  EventType,
  Millis,
  Order,
  StoredEvent,
  Task,
  TouchPoint,
  TouchPointStatus,
} from '../core/domain.js';
import type { AccessStore } from './accessPort.js';

/** What intake knows before applying one event, loaded by the adapter inside its transaction. */
export interface IntakeState {
  /** The event id was seen before: the reducer should return no changes. */
  duplicate: boolean;
  customer: Customer | null;
  order: Order | null;
  /** Enrollments of this order (one per playbook). */
  enrollments: Enrollment[];
  /** Every touch point of this order, any status. */
  touchPoints: TouchPoint[];
}

/** What intake decided to write for one event; all of it lands in one transaction, or none. */
export interface IntakeChanges {
  /** Set when the event cannot be applied (e.g. unknown order): nothing is written, the reason is reported. */
  rejected: string | null;
  customer: Customer | null;
  order: Order | null;
  event: StoredEvent | null;
  enrollments: Enrollment[];
  insertTouchPoints: TouchPoint[];
  reschedule: { id: string; dueAt: Millis }[];
  cancel: { id: string; reason: string }[];
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

/** A claimed touch point with everything the policies and templates need. */
export interface ClaimedTouchPoint {
  touchPoint: TouchPoint;
  customer: Customer;
  order: Order;
  enrollment: Enrollment;
}

export interface ClaimOptions {
  now: Millis;
  limit: number;
  leaseMs: Millis;
  worker: string;
}

/**
 * The outcome of one attempt. Recorded only if the touch point is still `claimed` with the same
 * attempt (fencing): a stale worker's outcome changes nothing.
 */
export type AttemptOutcome =
  | { kind: 'sent'; id: string; attempt: number; at: Millis; providerId: string | null }
  | { kind: 'skipped'; id: string; attempt: number; at: Millis; reason: string }
  | { kind: 'failed'; id: string; attempt: number; at: Millis; error: string }
  | { kind: 'cancelled'; id: string; attempt: number; at: Millis; reason: string }
  /** Back to `scheduled` at `dueAt` (policy defer or retry after a retryable error). */
  | { kind: 'rescheduled'; id: string; attempt: number; dueAt: Millis; reason: string };

export interface TouchPointQuery {
  customerId?: string;
  orderId?: string;
  status?: TouchPointStatus;
  limit?: number;
}

export interface TaskQuery {
  status?: Task['status'];
  owner?: string;
  customerId?: string;
  limit?: number;
}

export interface StatusCounts {
  customers: number;
  orders: number;
  events: number;
  touchPoints: Record<TouchPointStatus, number>;
  tasks: Record<Task['status'], number>;
}

/** A claim whose lease ran out long ago and that a lease sweep handed back to `scheduled`. */
export interface ExpiredLease {
  id: string;
  /** The attempt that was abandoned; its outcome, should it still arrive, is refused (fencing). */
  attempt: number;
  worker: string | null;
  leaseUntil: Millis;
}

/** The engine's needs, plus the HTTP API's (API keys, idempotency, export and erasure: accessPort.ts). */
export interface Store extends AccessStore {
  readonly dialect: 'sqlite' | 'postgres';

  /** Create or upgrade the schema; safe to call from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;

  // --- intake ---
  /** Apply events in order, each through `reduce`, atomically per batch. */
  intake(events: DomainEvent[], reduce: IntakeReducer): Promise<IntakeResult[]>;

  // --- dispatch ---
  /**
   * Claim up to `limit` touch points that are `scheduled` and due, or `claimed` with an expired
   * lease; oldest due first, then by purpose priority. Each claim increments `attempt`.
   */
  claimDue(options: ClaimOptions): Promise<ClaimedTouchPoint[]>;
  /** Record outcomes, each fenced by its attempt; returns how many were applied. */
  recordOutcomes(outcomes: AttemptOutcome[]): Promise<number>;
  /** Non-transactional touch points sent to each customer at or after `since`, oldest first. */
  recentNonTransactional(customerIds: string[], since: Millis): Promise<Map<string, Millis[]>>;
  /** Which of these (lower-cased) email addresses are on the suppression list. */
  suppressedEmails(emails: string[]): Promise<Set<string>>;
  addSuppression(email: string, reason: string, at: Millis): Promise<void>;
  /** The earliest due time among scheduled touch points (for the dispatcher's sleep), or null. */
  nextDueAt(): Promise<Millis | null>;

  // --- tasks (the task channel writes here) ---
  /** Idempotent on `touchPointId`: a second insert for the same touch point is ignored. */
  createTask(task: Task): Promise<boolean>;
  listTasks(query: TaskQuery): Promise<Task[]>;
  updateTask(
    id: string,
    patch: Partial<Pick<Task, 'status' | 'owner' | 'outcome' | 'notes' | 'completedAt'>>,
  ): Promise<Task | null>;

  // --- reads ---
  getCustomer(id: string): Promise<Customer | null>;
  findCustomerByEmail(email: string): Promise<Customer | null>;
  getOrder(id: string): Promise<Order | null>;
  listOrders(customerId: string): Promise<Order[]>;
  listEvents(customerId: string, types?: EventType[]): Promise<StoredEvent[]>;
  listTouchPoints(query: TouchPointQuery): Promise<TouchPoint[]>;
  /** Move (dueAt) or cancel a scheduled touch point by hand; returns the new row or null if not scheduled. */
  moveTouchPoint(id: string, dueAt: Millis): Promise<TouchPoint | null>;
  cancelTouchPoint(id: string, reason: string, at: Millis): Promise<TouchPoint | null>;
  counts(): Promise<StatusCounts>;

  // --- scale-out (optional: stores shared by several processes) ---
  /**
   * Call `listener` whenever another process (or this one) adds or moves work that is due soon,
   * and after a lost connection is back (work may have arrived meanwhile). Resolves to an
   * unsubscribe function.
   */
  onDueWork?(listener: () => void): Promise<() => Promise<void>>;
  /**
   * Run `fn` only if no other process is running the job of that name; resolves to null when
   * another one holds it. For periodic jobs that must run once across the cluster.
   */
  runExclusive?<T>(job: string, fn: () => Promise<T>): Promise<T | null>;
  /** Hand claims whose lease ended before `before` back to `scheduled`; returns what was requeued. */
  requeueExpiredLeases?(before: Millis): Promise<ExpiredLease[]>;
}
