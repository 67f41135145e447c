// The tasks capability: human work items (calls, meetings, letters, gifts) that the task
// channel creates and reps claim and complete through engine/commands.
import type { Millis, Task, TaskKind } from '../../core/domain.js';

export interface TaskQuery {
  status?: Task['status'];
  owner?: string;
  customerId?: string;
  limit?: number;
  kind?: TaskKind;
  /** Due at or after this instant. */
  dueFrom?: Millis;
  /** Due before this instant. */
  dueBefore?: Millis;
  /** true: only tasks marked printed; false: only those never printed (letters, `aftercare letters`). */
  printed?: boolean;
}

export type TaskPatch = Partial<Pick<Task, 'status' | 'owner' | 'outcome' | 'notes' | 'completedAt'>>;

/** A conditional task change: applied, or refused with the task as it is (null: no such task). */
export type TaskTransition = { ok: true; task: Task } | { ok: false; task: Task | null };

export interface TaskStore {
  /** Idempotent on `touchPointId`: a second insert for the same touch point is ignored (false). */
  create(task: Task): Promise<boolean>;
  get(id: string): Promise<Task | null>;
  /** By due time, then id. */
  list(query: TaskQuery): Promise<Task[]>;
  /** Apply `patch` only if the task's status is one of `from` (so two people cannot claim one task). */
  transition(id: string, from: readonly Task['status'][], patch: TaskPatch): Promise<TaskTransition>;
  /**
   * Marks these tasks printed at `at` (a later print moves the mark); unknown ids are ignored.
   * Resolves to how many were marked.
   */
  markPrinted(ids: readonly string[], at: Millis): Promise<number>;
}
