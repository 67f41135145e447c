// The memory store's queue indexes, kept in the slots that hold queued rows and compact plans.
// The due index holds one node per scheduled row and one per plan with a scheduled step (for its
// next step), ordered by (due, purpose priority, id): the claim order. The lease index holds
// claimed rows by lease end. A node is updated in place when its row or plan changes and leads
// straight back to it, so neither index ever holds anything stale and a claim looks nothing up.
import type { Millis, TouchPoint } from '../../core/domain.js';
import type { StoredEnrollment } from '../intake/batch.js';
import { purposePriority } from '../priority.js';
import { touchPointIdOf, type PlanEntry } from '../records/plan.js';
import { compareText } from '../records/storable.js';
import { KeyedHeap, type HeapNode } from './heap.js';

/** A queued row as the store keeps it: the frozen touch point it hands out, and its index nodes. */
export interface RowSlot {
  touchPoint: TouchPoint;
  /** The enrollment whose plan step it was (every row comes from one). */
  readonly plan: PlanSlot;
  /** The worker holding the claim, while it is claimed (the lease sweep reports it). */
  claimedBy: string | null;
  due: DueNode | null;
  lease: LeaseNode | null;
}

/** An enrollment as the store keeps it: the frozen record and plan it hands out, its due node, and its rows. */
export interface PlanSlot {
  stored: StoredEnrollment;
  due: DueNode | null;
  /** The plan's steps that became rows, oldest first. */
  readonly rows: RowSlot[];
}

/** The next due touch point: a scheduled row, or the plan step number `step` of a plan. */
export type DueTouchPoint = Readonly<Pick<DueNode, 'dueAt' | 'row' | 'plan' | 'step'>>;

interface DueNode extends HeapNode {
  dueAt: Millis;
  priority: number;
  /** The touch point's id, and whether it has no code unit from U+D800 up (see idBefore). */
  id: string;
  plain: boolean;
  step: number;
  stepKey: string;
  readonly row: RowSlot | null;
  readonly plan: PlanSlot | null;
}

interface LeaseNode extends HeapNode {
  readonly row: RowSlot;
}

const WIDE = /[\ud800-\uffff]/;

/**
 * Ids in code point order (records/storable.ts `compareText`). Below U+D800, code unit order is
 * code point order, so the engine's own comparison is exact for such ids, and much faster.
 */
function idBefore(a: DueNode, b: DueNode): boolean {
  return a.plain && b.plain ? a.id < b.id : compareText(a.id, b.id) < 0;
}

/** The plan's next step in claim order (step keys order like ids within one enrollment); -1: none. */
export function nextStep(plan: readonly PlanEntry[]): number {
  let best = -1;
  let bestPriority = 0;
  for (let i = 0; i < plan.length; i++) {
    const e = plan[i]!;
    if (e.status !== 'scheduled') continue;
    const priority = purposePriority(e.purpose);
    if (best >= 0) {
      const b = plan[best]!;
      if (e.dueAt > b.dueAt || (e.dueAt === b.dueAt && priority > bestPriority)) continue;
      if (e.dueAt === b.dueAt && priority === bestPriority && compareText(e.step, b.step) >= 0) continue;
    }
    best = i;
    bestPriority = priority;
  }
  return best;
}

function node(
  row: RowSlot | null,
  plan: PlanSlot | null,
  id: string,
  step: number,
  stepKey: string,
): DueNode {
  return { index: -1, dueAt: 0, priority: 0, id, plain: !WIDE.test(id), step, stepKey, row, plan };
}

export class DueIndex {
  private readonly heap = new KeyedHeap<DueNode>(idBefore);

  /** A row as now stored: in the index while it is scheduled. */
  row(slot: RowSlot): void {
    const t = slot.touchPoint;
    if (t.status !== 'scheduled') {
      if (slot.due !== null) this.heap.remove(slot.due);
      slot.due = null;
      return;
    }
    slot.due ??= node(slot, null, t.id, -1, '');
    this.key(slot.due, t.dueAt, purposePriority(t.purpose), false);
  }

  /** A plan as now stored: in the index by its next scheduled step, while it has one. */
  plan(slot: PlanSlot): void {
    const { enrollment, plan } = slot.stored;
    const step = nextStep(plan);
    if (step < 0) {
      if (slot.due !== null) this.heap.remove(slot.due);
      slot.due = null;
      return;
    }
    const e = plan[step]!;
    let due = slot.due;
    let moved = false;
    if (due === null) {
      due = slot.due = node(null, slot, touchPointIdOf(enrollment.id, e.step), step, e.step);
    } else if (due.stepKey !== e.step) {
      // Another step is next: its id decides among equal keys.
      due.stepKey = e.step;
      due.id = touchPointIdOf(enrollment.id, e.step);
      due.plain = !WIDE.test(due.id);
      moved = true;
    }
    due.step = step;
    this.key(due, e.dueAt, purposePriority(e.purpose), moved);
  }

  /** The next touch point in claim order, or null when nothing is scheduled. */
  peek(): DueTouchPoint | null {
    return this.heap.peek() ?? null;
  }

  clear(): void {
    this.heap.clear();
  }

  private key(due: DueNode, dueAt: Millis, priority: number, moved: boolean): void {
    if (!moved && due.index >= 0 && due.dueAt === dueAt && due.priority === priority) return;
    due.dueAt = dueAt;
    due.priority = priority;
    this.heap.set(due, dueAt, priority);
  }
}

export class LeaseIndex {
  private readonly heap = new KeyedHeap<LeaseNode>(() => false);

  /** A row as now stored: in the index while it is claimed. */
  row(slot: RowSlot): void {
    const t = slot.touchPoint;
    if (t.status !== 'claimed' || t.leaseUntil === null) {
      if (slot.lease !== null) this.heap.remove(slot.lease);
      slot.lease = null;
      return;
    }
    slot.lease ??= { index: -1, row: slot };
    this.heap.set(slot.lease, t.leaseUntil, 0);
  }

  /** The claimed rows whose lease ended at or before `at`, earliest first. */
  ended(at: Millis): RowSlot[] {
    const taken: LeaseNode[] = [];
    while (this.heap.size > 0 && this.heap.peekKey() <= at) {
      const top = this.heap.peek()!;
      this.heap.remove(top);
      taken.push(top);
    }
    // Only looked at: the rows change (or not) through row().
    for (const lease of taken) this.heap.set(lease, lease.row.touchPoint.leaseUntil!, 0);
    return taken.map((lease) => lease.row);
  }

  clear(): void {
    this.heap.clear();
  }
}
