// Human work items in memory: one per touch point at most, listed by due time then id, and
// changed only from the status the caller expects (so two reps cannot claim one task).
import type { Millis, Task } from '../../core/domain.js';
import type { TaskPatch, TaskQuery, TaskStore, TaskTransition } from '../ports/tasks.js';
import { compareText } from '../records/storable.js';
import { ownedTask } from './owned.js';
import { settle } from './settle.js';
import { duplicateKey, type MemoryTables } from './tables.js';

export class MemoryTasks implements TaskStore {
  constructor(private readonly tables: MemoryTables) {}

  create(task: Task): Promise<boolean> {
    return settle(() => {
      if (this.tables.taskOfTouchPoint.has(task.touchPointId)) return false;
      if (this.tables.tasks.has(task.id)) throw duplicateKey('tasks', task.id);
      this.tables.insertTask(ownedTask(task));
      return true;
    });
  }

  get(id: string): Promise<Task | null> {
    return settle(() => this.tables.tasks.get(id) ?? null);
  }

  list(query: TaskQuery): Promise<Task[]> {
    return settle(() => {
      const found: Task[] = [];
      for (const t of this.tables.tasks.values()) {
        if (query.status !== undefined && t.status !== query.status) continue;
        if (query.owner !== undefined && t.owner !== query.owner) continue;
        if (query.customerId !== undefined && t.customerId !== query.customerId) continue;
        if (query.kind !== undefined && t.kind !== query.kind) continue;
        if (query.dueFrom !== undefined && t.dueAt < query.dueFrom) continue;
        if (query.dueBefore !== undefined && t.dueAt >= query.dueBefore) continue;
        if (query.printed !== undefined && this.tables.taskPrintedAt.has(t.id) !== query.printed) continue;
        found.push(t);
      }
      found.sort((a, b) => a.dueAt - b.dueAt || compareText(a.id, b.id));
      return query.limit === undefined ? found : found.slice(0, Math.max(0, query.limit));
    });
  }

  transition(id: string, from: readonly Task['status'][], patch: TaskPatch): Promise<TaskTransition> {
    return settle((): TaskTransition => {
      const current = this.tables.tasks.get(id);
      if (current === undefined) return { ok: false, task: null };
      if (!from.includes(current.status)) return { ok: false, task: current };
      // Only the keys given (and not undefined) change.
      const task = ownedTask({
        ...current,
        status: patch.status ?? current.status,
        owner: patch.owner === undefined ? current.owner : patch.owner,
        outcome: patch.outcome === undefined ? current.outcome : patch.outcome,
        notes: patch.notes === undefined ? current.notes : patch.notes,
        completedAt: patch.completedAt === undefined ? current.completedAt : patch.completedAt,
      });
      this.tables.tasks.set(id, task);
      return { ok: true, task };
    });
  }

  markPrinted(ids: readonly string[], at: Millis): Promise<number> {
    return settle(() => {
      let marked = 0;
      for (const id of new Set(ids)) {
        if (!this.tables.tasks.has(id)) continue;
        this.tables.taskPrintedAt.set(id, at);
        marked += 1;
      }
      return marked;
    });
  }
}
