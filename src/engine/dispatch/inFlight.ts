// The last look before sending, for the same-step rule across workers: another worker may hold
// the same step for the same customer (claimed the same instant, for another order), or may have
// sent it since this batch read the customer's history. Each worker looks only after its own
// claim is committed, so of two workers holding such a pair at least one sees the other's claim
// (or its send): it skips, or waits (the higher id until the other's lease ends, the lower id a
// few seconds) and is decided again. The same step never goes twice.
import type { Millis } from '../../core/domain.js';
import { sameKind, sameStepApplies } from '../../core/policy/sameStep.js';
import { isoMinute } from '../../core/policy/preferences.js';
import type { Decision } from '../../core/policy/types.js';
import type { ClaimedTouchPoint, DispatchQueue } from '../../store/ports/queue.js';
import type { StepResolver } from './compose.js';

/** How soon the lower-id touch point of a pair held by two workers is looked at again. */
export const RECHECK_MS = 5_000;

export interface ElsewhereDeps {
  queue: DispatchQueue;
  steps: StepResolver;
  worker: string;
  windowMs: Millis;
}

/** Replaces the `send` decisions (not those riding with a carrier) that another worker's claim or send overtakes. */
export async function checkElsewhere(
  deps: ElsewhereDeps,
  claimed: readonly ClaimedTouchPoint[],
  decisions: Decision[],
  carried: ReadonlySet<number>,
  now: Millis,
): Promise<void> {
  if (deps.windowMs <= 0) return;
  const candidates: number[] = [];
  for (let i = 0; i < claimed.length; i++) {
    if (decisions[i]!.kind === 'send' && !carried.has(i) && sameStepApplies(claimed[i]!)) candidates.push(i);
  }
  if (candidates.length === 0) return;
  const customerIds = [...new Set(candidates.map((i) => claimed[i]!.customer.id))];
  // In this order, not at once: a claim read as no longer held was recorded before the second
  // read began, so that read sees its send.
  const held = await deps.queue.inFlight(customerIds, now, deps.worker);
  const recent = await deps.queue.recentNonTransactional(customerIds, now - deps.windowMs);
  if (held.length === 0 && recent.size === 0) return;
  await deps.steps.prepare([...held, ...[...recent.values()].flat()]);
  const template = (ref: Parameters<StepResolver['resolve']>[0]): string | null =>
    deps.steps.resolve(ref)?.step.template ?? null;
  for (const i of candidates) {
    const { touchPoint, customer } = claimed[i]!;
    const step = deps.steps.resolve(touchPoint)?.step;
    if (step === undefined) continue;
    const kindOf = (ref: { playbook: string; stepKey: string; template: string | null }) =>
      ref.template !== null && sameKind({ ...ref, template: ref.template }, touchPoint.playbook, step);
    const sent = (recent.get(customer.id) ?? []).filter(
      (s) => s.at > now - deps.windowMs && kindOf({ ...s, template: template(s) }),
    );
    const last = sent.at(-1);
    if (last !== undefined) {
      decisions[i] = {
        kind: 'skip',
        reason: 'same_step_recently',
        detail: `${last.playbook} ${last.stepKey} sent ${isoMinute(last.at)}`,
      };
      continue;
    }
    const other = held.find(
      (h) =>
        h.customerId === customer.id && h.id !== touchPoint.id && kindOf({ ...h, template: template(h) }),
    );
    if (other !== undefined) {
      // Both may see each other: the lower id looks again soon, the higher waits out the other's
      // lease, so they do not meet again at the same instant.
      const until =
        other.id < touchPoint.id ? other.leaseUntil : Math.min(other.leaseUntil, now + RECHECK_MS);
      decisions[i] = { kind: 'defer', until: Math.max(until, now + 1), reason: 'same_step_in_flight' };
    }
  }
}
