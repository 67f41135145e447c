// Coalescing: a customer who placed two orders the same day has two thank-yous due together.
// The first of them the policies let go carries the others: one message naming every order
// (`orders` in the template), and the others end `skipped` / `coalesced` with the carrier's id,
// only once the carrier went out. Should the carrier not go, each of them is handed back and
// decided again on its own, so none is lost.
import type { Millis } from '../../core/domain.js';
import type { Step } from '../../core/playbook/types.js';
import { sameKind, sameStepApplies } from '../../core/policy/sameStep.js';
import type { RecentStep } from '../../core/policy/types.js';
import { reason } from '../../core/reasons.js';
import type { AttemptOutcome, ClaimedTouchPoint } from '../../store/ports/queue.js';

export interface Carrier {
  index: number;
  orderId: string;
  /** The send the same-step window counts for it. */
  sent: RecentStep;
}

/** One batch's carriers, by customer, channel and template (one template renders one message). */
export class Coalescer {
  private readonly carriers = new Map<string, Carrier>();
  private readonly joined = new Map<number, number[]>();

  constructor(private readonly windowMs: Millis) {}

  private key(claim: ClaimedTouchPoint, step: Step): string | null {
    if (this.windowMs <= 0 || !sameStepApplies(claim)) return null;
    return `${claim.customer.id}\u0000${claim.touchPoint.channel}\u0000${step.template}`;
  }

  /** The carrier this touch point would ride with: the same message for another order. */
  carrierFor(claim: ClaimedTouchPoint, step: Step): Carrier | null {
    const key = this.key(claim, step);
    const carrier = key === null ? undefined : this.carriers.get(key);
    if (carrier === undefined || !sameKind(carrier.sent, claim.touchPoint.playbook, step)) return null;
    // The same order twice (two programs with one template) is one order: same_step_recently.
    return carrier.orderId === claim.touchPoint.orderId ? null : carrier;
  }

  /** A send decided for this touch point: it may carry later ones. */
  carry(claim: ClaimedTouchPoint, index: number, step: Step, sent: RecentStep): void {
    const key = this.key(claim, step);
    if (key !== null && !this.carriers.has(key)) {
      this.carriers.set(key, { index, orderId: claim.touchPoint.orderId, sent });
    }
  }

  join(carrier: Carrier, index: number): void {
    const list = this.joined.get(carrier.index);
    if (list) list.push(index);
    else this.joined.set(carrier.index, [index]);
  }

  companions(): Map<number, number[]> {
    return this.joined;
  }
}

/**
 * What becomes of a touch point another one carried, given the carrier's outcome: skipped as
 * coalesced once the carrier went out; handed back with it when it is retried or its lease ran
 * short; handed back at once, to go on its own, when the carrier failed or was cancelled.
 */
export function companionOutcome(
  companion: ClaimedTouchPoint,
  carrier: AttemptOutcome,
  now: Millis,
): AttemptOutcome {
  const { id, attempt } = companion.touchPoint;
  switch (carrier.kind) {
    case 'sent':
      return { kind: 'skipped', id, attempt, at: now, reason: reason('coalesced', carrier.id) };
    case 'rescheduled':
      return { kind: 'rescheduled', id, attempt, dueAt: carrier.dueAt, reason: carrier.reason };
    case 'failed':
    case 'cancelled':
    case 'skipped':
      return {
        kind: 'rescheduled',
        id,
        attempt,
        dueAt: now,
        reason: reason('retry', `${carrier.id}, which carried it, ${carrier.kind}: ${carrier.reason.code}`),
      };
  }
}
