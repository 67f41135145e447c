// The memory store's queue indexes. The due index holds one node per scheduled queued row and one
// per compact plan with a scheduled step (for its next step), ordered by (due, purpose priority,
// id): the claim order. The lease index holds claimed rows by lease end. Nodes are updated in
// place when their row or plan changes, so neither index ever holds anything stale.
import type { Millis, TouchPoint } from '../../core/domain.js';
import type { StoredEnrollment } from '../intake/batch.js';
import { purposePriority } from '../priority.js';
import { touchPointIdOf, type PlanEntry } from '../records/plan.js';
import { compareText } from '../records/storable.js';
import { KeyedHeap, type HeapNode } from './heap.js';

/** What a claim needs to know of the next due touch point. */
export interface DueTouchPoint {
  readonly dueAt: Millis;
  /** A queued row (its id), or a plan (its enrollment's id) whose step number `step` is next. */
  readonly kind: 'row' | 'plan';
  readonly key: string;
  readonly step: number;
}

interface DueNode extends HeapNode, DueTouchPoint {
  dueAt: Millis;
  priority: number;
  /** The touch point's id, and whether it has no code unit from U+D800 up (see idBefore). */
  id: string;
  plain: boolean;
  step: number;
  stepKey: string;
}

interface LeaseNode extends HeapNode {
  leaseUntil: Millis;
  readonly id: string;
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

export class DueIndex {
  private readonly heap = new KeyedHeap<DueNode>(idBefore);
  private readonly rows = new Map<string, DueNode>();
  private readonly plans = new Map<string, DueNode>();

  /** A queued row as now stored: in the index while it is scheduled. */
  row(t: TouchPoint): void {
    const node = this.rows.get(t.id);
    if (t.status !== 'scheduled') {
      if (node === undefined) return;
      this.heap.remove(node);
      this.rows.delete(t.id);
      return;
    }
    const priority = purposePriority(t.purpose);
    if (node === undefined) {
      const plain = !WIDE.test(t.id);
      const created: DueNode = {
        index: -1,
        dueAt: t.dueAt,
        priority,
        id: t.id,
        plain,
        kind: 'row',
        key: t.id,
        step: -1,
        stepKey: '',
      };
      this.rows.set(t.id, created);
      this.heap.set(created, t.dueAt, priority);
    } else if (node.dueAt !== t.dueAt || node.priority !== priority) {
      node.dueAt = t.dueAt;
      node.priority = priority;
      this.heap.set(node, t.dueAt, priority);
    }
  }

  /** A plan as now stored: in the index by its next scheduled step, while it has one. */
  plan(stored: StoredEnrollment): void {
    const key = stored.enrollment.id;
    const node = this.plans.get(key);
    const step = nextStep(stored.plan);
    if (step < 0) {
      if (node === undefined) return;
      this.heap.remove(node);
      this.plans.delete(key);
      return;
    }
    const e = stored.plan[step]!;
    const priority = purposePriority(e.purpose);
    if (node === undefined) {
      const id = touchPointIdOf(key, e.step);
      const plain = !WIDE.test(id);
      const created: DueNode = {
        index: -1,
        dueAt: e.dueAt,
        priority,
        id,
        plain,
        kind: 'plan',
        key,
        step,
        stepKey: e.step,
      };
      this.plans.set(key, created);
      this.heap.set(created, e.dueAt, priority);
      return;
    }
    if (node.step === step && node.stepKey === e.step && node.dueAt === e.dueAt && node.priority === priority)
      return;
    if (node.stepKey !== e.step) {
      node.stepKey = e.step;
      node.id = touchPointIdOf(key, e.step);
      node.plain = !WIDE.test(node.id);
    }
    node.dueAt = e.dueAt;
    node.priority = priority;
    node.step = step;
    this.heap.set(node, e.dueAt, priority);
  }

  /** The next touch point in claim order, or null when nothing is scheduled. */
  peek(): DueTouchPoint | null {
    return this.heap.peek() ?? null;
  }

  clear(): void {
    this.heap.clear();
    this.rows.clear();
    this.plans.clear();
  }
}

export class LeaseIndex {
  private readonly heap = new KeyedHeap<LeaseNode>(() => false);
  private readonly nodes = new Map<string, LeaseNode>();

  /** A queued row as now stored: in the index while it is claimed. */
  row(t: TouchPoint): void {
    const node = this.nodes.get(t.id);
    if (t.status !== 'claimed' || t.leaseUntil === null) {
      if (node === undefined) return;
      this.heap.remove(node);
      this.nodes.delete(t.id);
    } else if (node === undefined) {
      const created: LeaseNode = { index: -1, leaseUntil: t.leaseUntil, id: t.id };
      this.nodes.set(t.id, created);
      this.heap.set(created, t.leaseUntil, 0);
    } else if (node.leaseUntil !== t.leaseUntil) {
      node.leaseUntil = t.leaseUntil;
      this.heap.set(node, t.leaseUntil, 0);
    }
  }

  /** Ids of the claimed rows whose lease ended at or before `at`, earliest first. */
  ended(at: Millis): string[] {
    const ids: string[] = [];
    const taken: LeaseNode[] = [];
    for (let top = this.heap.peek(); top !== undefined && top.leaseUntil <= at; top = this.heap.peek()) {
      this.heap.remove(top);
      taken.push(top);
      ids.push(top.id);
    }
    // Only looked at: the rows change (or not) through row().
    for (const node of taken) this.heap.set(node, node.leaseUntil, 0);
    return ids;
  }

  clear(): void {
    this.heap.clear();
    this.nodes.clear();
  }
}
