// Human work items (calls, meetings, letters, gifts): list them, claim one (one person only;
// claiming again as its owner is fine), complete it with an outcome and notes. Completing records
// the outcome on the task; it does not (yet) append an event to the customer's timeline.
import type { Task } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import type { TaskQuery, TaskStore, TaskTransition } from '../../store/ports/tasks.js';
import type { Clock } from '../clock.js';

/** Tasks a list holds when the caller names no limit. */
export const DEFAULT_TASK_LIMIT = 100;

export type TaskChange =
  | { ok: true; task: Task }
  | { ok: false; why: 'not_found' }
  /** Claim: someone else holds it, or it is done or cancelled. Complete: it is done or cancelled. */
  | { ok: false; why: 'not_open'; current: Task };

export interface TaskCompletion {
  outcome: string;
  notes: string | null;
}

export interface TaskCommands {
  /** By due time; at most `limit` (default DEFAULT_TASK_LIMIT). */
  list(query: TaskQuery): Promise<Task[]>;
  get(id: string): Promise<Task | null>;
  claim(id: string, owner: string): Promise<TaskChange>;
  complete(id: string, completion: TaskCompletion): Promise<TaskChange>;
}

function required(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed === '') {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: must not be empty`, { field });
  }
  return trimmed;
}

function change(transition: TaskTransition): TaskChange {
  if (transition.ok) return { ok: true, task: transition.task };
  return transition.task === null
    ? { ok: false, why: 'not_found' }
    : { ok: false, why: 'not_open', current: transition.task };
}

export function taskCommands(deps: { tasks: TaskStore; clock: Clock }): TaskCommands {
  const { tasks, clock } = deps;
  return {
    list: (query) => tasks.list({ ...query, limit: query.limit ?? DEFAULT_TASK_LIMIT }),
    get: (id) => tasks.get(id),
    async claim(id, owner) {
      const who = required(owner, 'owner');
      const result = change(await tasks.transition(id, ['open'], { status: 'claimed', owner: who }));
      // A retried claim by the person who holds it already is no conflict.
      if (!result.ok && result.why === 'not_open' && result.current.status === 'claimed') {
        if (result.current.owner === who) return { ok: true, task: result.current };
      }
      return result;
    },
    async complete(id, completion) {
      return change(
        await tasks.transition(id, ['open', 'claimed'], {
          status: 'done',
          outcome: required(completion.outcome, 'outcome'),
          notes: completion.notes,
          completedAt: clock.now(),
        }),
      );
    },
  };
}
