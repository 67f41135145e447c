// The dispatch queue capability: claim due touch points under a lease, record each attempt's
// outcome fenced by its attempt number, and what the send-time policies need to know about
// recent sends. Used by engine/dispatcher.ts and the lease sweep.
import type { Customer, Enrollment, Millis, Order, TouchPoint } from '../../core/domain.js';
import type { Reason } from '../../core/reasons.js';

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
  | {
      kind: 'sent';
      id: string;
      attempt: number;
      at: Millis;
      providerId: string | null;
      /** The customer story the message told (ports/stories.ts): recorded in the same write. */
      story?: string;
    }
  | { kind: 'skipped'; id: string; attempt: number; at: Millis; reason: Reason }
  | { kind: 'failed'; id: string; attempt: number; at: Millis; reason: Reason }
  | { kind: 'cancelled'; id: string; attempt: number; at: Millis; reason: Reason }
  /** Back to `scheduled` at `dueAt` (policy defer, retry after a retryable error, lease ran out). */
  | { kind: 'rescheduled'; id: string; attempt: number; dueAt: Millis; reason: Reason };

/** A non-transactional e-mail or SMS that went out: when, and which step (surveys are throttled). */
export interface RecentSend {
  at: Millis;
  playbook: string;
  playbookVersion: number;
  stepKey: string;
}

/** A touch point another worker holds (claimed, its lease not ended): it may be going out now. */
export interface InFlight {
  id: string;
  customerId: string;
  orderId: string;
  playbook: string;
  playbookVersion: number;
  stepKey: string;
  leaseUntil: Millis;
}

/** A claim whose lease ran out long ago and that a lease sweep handed back to `scheduled`. */
export interface ExpiredLease {
  id: string;
  /** The attempt that was abandoned; its outcome, should it still arrive, is refused (fencing). */
  attempt: number;
  worker: string | null;
  leaseUntil: Millis;
}

export interface DispatchQueue {
  /**
   * Claim up to `limit` touch points: first those whose lease expired, then scheduled ones that
   * are due, oldest due first, then by purpose priority, then id. Each claim increments `attempt`.
   */
  claimDue(options: ClaimOptions): Promise<ClaimedTouchPoint[]>;
  /** Record outcomes, each fenced by its attempt; returns how many were applied. */
  recordOutcomes(outcomes: AttemptOutcome[]): Promise<number>;
  /**
   * Non-transactional e-mail and SMS sends to each customer at or after `since`, oldest first
   * (ties by touch point id), for the frequency cap and the survey throttle.
   */
  recentNonTransactional(customerIds: string[], since: Millis): Promise<Map<string, RecentSend[]>>;
  /**
   * Touch points of these customers claimed by a worker other than `worker` whose lease ends
   * after `now`: read just before sending, so two workers never both send the same step to one
   * customer (engine/dispatch/inFlight.ts).
   */
  inFlight(customerIds: string[], now: Millis, worker: string): Promise<InFlight[]>;
  /** The earliest due time of any scheduled touch point (for the dispatcher's sleep), or null. */
  nextDueAt(): Promise<Millis | null>;
  /** Hand claims whose lease ended before `before` back to `scheduled`; returns what was requeued. */
  requeueExpiredLeases(before: Millis): Promise<ExpiredLease[]>;
}
