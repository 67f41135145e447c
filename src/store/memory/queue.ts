// The dispatch queue in memory: claims come off the due index (dueIndex.ts) in claim order, a
// plan's step becoming a claimed row as on the SQL stores; outcomes are found by id and fenced
// by attempt; expired leases come off the lease index; frequency caps read the send log.
import type { Millis } from '../../core/domain.js';
import type {
  AttemptOutcome,
  ClaimOptions,
  ClaimedTouchPoint,
  DispatchQueue,
  ExpiredLease,
  InFlight,
  RecentSend,
} from '../ports/queue.js';
import type { StoryTelling } from '../ports/stories.js';
import { planTouchPoint } from '../records/plan.js';
import { byDueThenPriority } from '../records/touchPointOrder.js';
import type { PlanSlot, RowSlot } from './dueIndex.js';
import { changed, ownedReason, withEntry } from './owned.js';
import type { Records } from './records.js';
import { settle } from './settle.js';

function bySlotOrder(a: RowSlot, b: RowSlot): number {
  return byDueThenPriority(a.touchPoint, b.touchPoint);
}

export class MemoryQueue implements DispatchQueue {
  constructor(private readonly records: Records) {}

  claimDue(options: ClaimOptions): Promise<ClaimedTouchPoint[]> {
    // A limit is a whole number of rows, as a database's LIMIT takes it.
    return settle(() =>
      options.limit < 1 ? [] : this.claim({ ...options, limit: Math.floor(options.limit) }),
    );
  }

  recordOutcomes(outcomes: AttemptOutcome[]): Promise<number> {
    return settle(() => {
      let applied = 0;
      for (const outcome of outcomes) if (this.record(outcome)) applied++;
      return applied;
    });
  }

  recentNonTransactional(customerIds: string[], since: Millis): Promise<Map<string, RecentSend[]>> {
    return settle(() => {
      const sends = new Map<string, RecentSend[]>();
      for (const id of customerIds) {
        const times = this.records.sends.since(id, since);
        if (times.length > 0) sends.set(id, times);
      }
      return sends;
    });
  }

  inFlight(customerIds: string[], now: Millis, worker: string): Promise<InFlight[]> {
    return settle(() => {
      const held: InFlight[] = [];
      for (const customerId of customerIds) {
        for (const orderId of this.records.orderIdsOf(customerId)) {
          for (const plan of this.records.plansOf(orderId)) {
            for (const { touchPoint: t, claimedBy } of plan.rows) {
              if (t.status !== 'claimed' || t.leaseUntil === null || t.leaseUntil <= now) continue;
              if (claimedBy === worker) continue;
              const { id, playbook, playbookVersion, stepKey, leaseUntil } = t;
              held.push({ id, customerId, orderId, playbook, playbookVersion, stepKey, leaseUntil });
            }
          }
        }
      }
      return held;
    });
  }

  nextDueAt(): Promise<Millis | null> {
    return settle(() => this.records.due.peek()?.dueAt ?? null);
  }

  requeueExpiredLeases(before: Millis): Promise<ExpiredLease[]> {
    return settle(() =>
      this.records.leases.ended(before).map((slot) => {
        const t = slot.touchPoint;
        const worker = slot.claimedBy;
        this.records.rewrite(slot, changed(t, { status: 'scheduled', leaseUntil: null }));
        return { id: t.id, attempt: t.attempt, worker, leaseUntil: t.leaseUntil ?? before };
      }),
    );
  }

  private claim({ now, limit, leaseMs, worker }: ClaimOptions): ClaimedTouchPoint[] {
    const lease = now + leaseMs;
    const r = this.records;
    // Work a crashed or frozen worker left behind goes first: it is older than anything newly due.
    const ended = r.leases.ended(now).sort(bySlotOrder);
    const claimed: RowSlot[] = [];
    for (const slot of ended.slice(0, limit)) claimed.push(this.claimRow(slot, lease, worker));
    // The due index gives the rest in claim order; only expired claims have to be merged in.
    const sorted = claimed.length === 0;
    while (claimed.length < limit) {
      const next = r.due.peek();
      if (next === null || next.dueAt > now) break;
      // Either way the touch point leaves the top: claimed, it is no longer scheduled.
      claimed.push(
        next.row !== null
          ? this.claimRow(next.row, lease, worker)
          : this.claimStep(next.plan!, next.step, lease, worker),
      );
    }
    return this.withContext(sorted ? claimed : claimed.sort(bySlotOrder), now);
  }

  private claimRow(slot: RowSlot, lease: Millis, worker: string): RowSlot {
    const t = slot.touchPoint;
    this.records.rewrite(
      slot,
      changed(t, { status: 'claimed', attempt: t.attempt + 1, leaseUntil: lease }),
      worker,
    );
    return slot;
  }

  /** A plan's next step becomes a claimed row; the plan marks it queued. */
  private claimStep(plan: PlanSlot, index: number, lease: Millis, worker: string): RowSlot {
    const stored = plan.stored;
    const step = stored.plan[index]!;
    const planned = planTouchPoint(stored.enrollment, step);
    const claimed = changed(planned, { status: 'claimed', attempt: planned.attempt + 1, leaseUntil: lease });
    this.records.replan(plan, withEntry(stored, index, { ...step, status: 'queued' }));
    return this.records.addRow(plan, claimed, worker);
  }

  /** Joins each claimed touch point with its customer, order and enrollment; ends orphans visibly. */
  private withContext(claimed: RowSlot[], now: Millis): ClaimedTouchPoint[] {
    const r = this.records;
    const out: ClaimedTouchPoint[] = [];
    for (const slot of claimed) {
      const touchPoint = slot.touchPoint;
      const enrollment = slot.plan.stored.enrollment;
      const customer = r.customers.get(touchPoint.customerId);
      const order = r.orders.get(touchPoint.orderId)?.order;
      if (customer && order) {
        out.push({ touchPoint, customer, order, enrollment });
        continue;
      }
      // Intake always writes the parents; should one be missing anyway, end the touch point
      // visibly rather than let it be claimed again after every lease.
      const missing = [!customer && 'customer', !order && 'order'].filter(Boolean);
      r.rewrite(
        slot,
        changed(touchPoint, {
          status: 'failed',
          reason: ownedReason({ code: 'orphaned', detail: `missing ${missing.join(', ')}` }),
          outcomeAt: now,
          leaseUntil: null,
        }),
      );
    }
    return out;
  }

  /** Applies the outcome if its attempt still holds the claim; returns whether it did. */
  /** The story a send told, kept once per customer and story (the first telling stays). */
  private tell(customerId: string, storyId: string, touchPointId: string, toldAt: Millis): void {
    let told = this.records.storyTellings.get(customerId);
    if (told === undefined)
      this.records.storyTellings.set(customerId, (told = new Map<string, Readonly<StoryTelling>>()));
    if (!told.has(storyId)) told.set(storyId, Object.freeze({ customerId, storyId, touchPointId, toldAt }));
  }

  private record(outcome: AttemptOutcome): boolean {
    const slot = this.records.rowSlot(outcome.id);
    if (slot === undefined) return false;
    const t = slot.touchPoint;
    if (t.status !== 'claimed' || t.attempt !== outcome.attempt) return false;
    const { kind } = outcome;
    switch (kind) {
      case 'sent':
        this.records.rewrite(
          slot,
          changed(t, { status: 'sent', reason: null, outcomeAt: outcome.at, leaseUntil: null }),
        );
        if (outcome.story !== undefined) this.tell(t.customerId, outcome.story, t.id, outcome.at);
        return true;
      case 'skipped':
      case 'failed':
      case 'cancelled':
        this.records.rewrite(
          slot,
          changed(t, {
            status: kind,
            reason: ownedReason(outcome.reason),
            outcomeAt: outcome.at,
            leaseUntil: null,
          }),
        );
        return true;
      case 'rescheduled':
        this.records.rewrite(
          slot,
          changed(t, {
            status: 'scheduled',
            dueAt: outcome.dueAt,
            reason: ownedReason(outcome.reason),
            leaseUntil: null,
          }),
        );
        return true;
    }
  }
}
