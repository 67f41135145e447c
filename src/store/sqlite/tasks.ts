// Human work items (calls, meetings, letters, gifts) written by the task channel: one per touch
// point at most, listed and updated by the people doing the work.
import type Database from 'better-sqlite3';
import type { Task } from '../../core/domain.js';
import type { TaskQuery } from '../port.js';
import { TASK_COLUMNS, placeholders, prepareRows, taskFromRow, taskParams, type TaskRow } from './rows.js';

type TaskStatus = Task['status'];
type TaskPatch = Partial<Pick<Task, 'status' | 'owner' | 'outcome' | 'notes' | 'completedAt'>>;

// A record, not an array, so the build breaks if Task['status'] gains a member.
const TASK_STATUS_SET: Record<TaskStatus, true> = { open: true, claimed: true, done: true, cancelled: true };
export const TASK_STATUSES = Object.keys(TASK_STATUS_SET) as TaskStatus[];

type Bindings = Record<string, string | number>;

export class SqliteTasks {
  private readonly insert: Database.Statement<TaskRow>;
  private readonly byId: Database.Statement<[string], TaskRow>;
  private readonly write: Database.Statement<
    [string, string | null, string | null, string | null, number | null, string]
  >;
  private readonly listings = new Map<string, Database.Statement<[Bindings], TaskRow>>();
  readonly updateTask: (id: string, patch: TaskPatch) => Task | null;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO tasks (${TASK_COLUMNS}) VALUES (${placeholders(14)}) ON CONFLICT (touch_point_id) DO NOTHING`,
    );
    this.byId = prepareRows(db, `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = ?`);
    this.write = db.prepare(
      'UPDATE tasks SET status = ?, owner = ?, outcome = ?, notes = ?, completed_at = ? WHERE id = ?',
    );
    const update = db.transaction((id: string, patch: TaskPatch): Task | null => {
      const row = this.byId.get(id);
      if (!row) return null;
      // Only the keys given (and not undefined) change.
      const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
      const task: Task = { ...taskFromRow(row), ...(given as TaskPatch) };
      this.write.run(task.status, task.owner, task.outcome, task.notes, task.completedAt, id);
      return task;
    });
    // IMMEDIATE: read-then-write; see intake.ts.
    this.updateTask = (id, patch) => update.immediate(id, patch);
  }

  createTask(task: Task): boolean {
    return this.insert.run(...taskParams(task)).changes === 1;
  }

  listTasks(query: TaskQuery): Task[] {
    const where: string[] = [];
    const bindings: Bindings = { limit: query.limit ?? -1 };
    if (query.status !== undefined) {
      where.push('status = @status');
      bindings.status = query.status;
    }
    if (query.owner !== undefined) {
      where.push('owner = @owner');
      bindings.owner = query.owner;
    }
    if (query.customerId !== undefined) {
      where.push('customer_id = @customerId');
      bindings.customerId = query.customerId;
    }
    const key = where.join(' AND ');
    let statement = this.listings.get(key);
    if (!statement) {
      statement = prepareRows<[Bindings], TaskRow>(
        this.db,
        `SELECT ${TASK_COLUMNS} FROM tasks ${key ? `WHERE ${key}` : ''} ORDER BY due_at, id LIMIT @limit`,
      );
      this.listings.set(key, statement);
    }
    return statement.all(bindings).map(taskFromRow);
  }
}
