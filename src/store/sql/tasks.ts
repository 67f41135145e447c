// Human work items on both dialects: one per touch point at most, listed by due time, and
// changed only from the status the caller expects (so two reps cannot claim one task).
import type { Millis, Task } from '../../core/domain.js';
import type { TaskPatch, TaskQuery, TaskStore, TaskTransition } from '../ports/tasks.js';
import { forUpdate, type SqlHandle } from './db.js';
import { taskFromRow, taskRow } from './rows.js';

export class SqlTasks implements TaskStore {
  constructor(private readonly sql: SqlHandle) {}

  async create(task: Task): Promise<boolean> {
    const result = await this.sql.db
      .insertInto('tasks')
      .values(taskRow(task))
      .onConflict((oc) => oc.column('touch_point_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async get(id: string): Promise<Task | null> {
    const row = await this.sql.db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? taskFromRow(row) : null;
  }

  async list(query: TaskQuery): Promise<Task[]> {
    let q = this.sql.db.selectFrom('tasks').selectAll();
    if (query.status !== undefined) q = q.where('status', '=', query.status);
    if (query.owner !== undefined) q = q.where('owner', '=', query.owner);
    if (query.customerId !== undefined) q = q.where('customer_id', '=', query.customerId);
    if (query.kind !== undefined) q = q.where('kind', '=', query.kind);
    if (query.dueFrom !== undefined) q = q.where('due_at', '>=', query.dueFrom);
    if (query.dueBefore !== undefined) q = q.where('due_at', '<', query.dueBefore);
    if (query.printed !== undefined) q = q.where('printed_at', query.printed ? 'is not' : 'is', null);
    q = q.orderBy('due_at').orderBy('id');
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(taskFromRow);
  }

  transition(id: string, from: readonly Task['status'][], patch: TaskPatch): Promise<TaskTransition> {
    return this.sql.db.transaction().execute(async (trx): Promise<TaskTransition> => {
      const row = await forUpdate(
        this.sql,
        trx.selectFrom('tasks').selectAll().where('id', '=', id),
      ).executeTakeFirst();
      if (!row) return { ok: false, task: null };
      const current = taskFromRow(row);
      if (!from.includes(current.status)) return { ok: false, task: current };
      // Only the keys given (and not undefined) change.
      const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      const task: Task = { ...current, ...(given as TaskPatch) };
      await trx
        .updateTable('tasks')
        .set({
          status: task.status,
          owner: task.owner,
          outcome: task.outcome,
          notes: task.notes,
          completed_at: task.completedAt,
        })
        .where('id', '=', id)
        .execute();
      return { ok: true, task };
    });
  }

  async markPrinted(ids: readonly string[], at: Millis): Promise<number> {
    const unique = [...new Set(ids)];
    let marked = 0;
    // In slices, so a long list stays under SQLite's bound-parameter limit.
    for (let i = 0; i < unique.length; i += 500) {
      const result = await this.sql.db
        .updateTable('tasks')
        .set({ printed_at: at })
        .where('id', 'in', unique.slice(i, i + 500))
        .executeTakeFirst();
      marked += Number(result.numUpdatedRows);
    }
    return marked;
  }
}
