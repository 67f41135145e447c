// Human work items (calls, meetings, letters, gifts, replies): list them, claim one (one person
// only; claiming again as its owner is fine), complete it with a typed outcome and notes.
// Completing appends a task.completed event to the customer's timeline and has it heard at once:
// a problem found opens a concern, a callback plans the call, resolved closes the concern.
import type { DomainEvent, Millis, Task } from '../../core/domain.js';
import { TASK_OUTCOMES, type TaskOutcome } from '../../core/listening/types.js';
import { AftercareError } from '../../errors.js';
import type { TaskQuery, TaskStore, TaskTransition } from '../../store/ports/tasks.js';
import type { Clock } from '../clock.js';
import type { Intake } from '../intake.js';
import type { Listener } from '../listening/listener.js';

/** Tasks a list holds when the caller names no limit. */
export const DEFAULT_TASK_LIMIT = 100;

export type TaskChange =
  | { ok: true; task: Task }
  | { ok: false; why: 'not_found' }
  /** Claim: someone else holds it, or it is done or cancelled. Complete: it is done or cancelled. */
  | { ok: false; why: 'not_open'; current: Task };

export interface TaskCompletion {
  /** One of TASK_OUTCOMES. */
  outcome: string;
  notes: string | null;
  /** Required for the outcome 'callback': when to call back (in the future). */
  callbackAt?: Millis | null;
}

export interface TaskCommands {
  /** By due time; at most `limit` (default DEFAULT_TASK_LIMIT). */
  list(query: TaskQuery): Promise<Task[]>;
  get(id: string): Promise<Task | null>;
  claim(id: string, owner: string): Promise<TaskChange>;
  complete(id: string, completion: TaskCompletion): Promise<TaskChange>;
}

export interface TaskCommandDeps {
  tasks: TaskStore;
  clock: Clock;
  intake: Pick<Intake, 'ingest'>;
  listener: Pick<Listener, 'hearThrough'>;
}

/** The id of the event completing `taskId` (one per task: a task is completed once). */
export function taskCompletedEventId(taskId: string): string {
  return `task:${taskId}:completed`;
}

function required(value: string, field: string): string {
  const trimmed = value.trim();
  if (trimmed === '') {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: must not be empty`, { field });
  }
  return trimmed;
}

function outcomeOf(value: string): TaskOutcome {
  const outcome = value.trim();
  if (!(TASK_OUTCOMES as readonly string[]).includes(outcome)) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      `outcome: must be one of ${TASK_OUTCOMES.join(', ')} (got "${outcome}")`,
      { field: 'outcome', allowed: [...TASK_OUTCOMES] },
    );
  }
  return outcome as TaskOutcome;
}

function callbackAtOf(outcome: TaskOutcome, value: Millis | null | undefined, now: Millis): Millis | null {
  if (outcome !== 'callback') return null;
  if (value === null || value === undefined || !Number.isFinite(value)) {
    throw new AftercareError(
      'AFTERCARE_E_INPUT_INVALID',
      'callbackAt: required when the outcome is callback',
      {
        field: 'callbackAt',
      },
    );
  }
  if (value <= now) {
    throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'callbackAt: must be in the future', {
      field: 'callbackAt',
    });
  }
  return value;
}

function change(transition: TaskTransition): TaskChange {
  if (transition.ok) return { ok: true, task: transition.task };
  return transition.task === null
    ? { ok: false, why: 'not_found' }
    : { ok: false, why: 'not_open', current: transition.task };
}

export function taskCommands(deps: TaskCommandDeps): TaskCommands {
  const { tasks, clock, intake, listener } = deps;
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
      const now = clock.now();
      const outcome = outcomeOf(completion.outcome);
      const callbackAt = callbackAtOf(outcome, completion.callbackAt, now);
      const result = change(
        await tasks.transition(id, ['open', 'claimed'], {
          status: 'done',
          outcome,
          notes: completion.notes,
          completedAt: now,
        }),
      );
      if (!result.ok) return result;
      const task = result.task;
      const event: DomainEvent = {
        id: taskCompletedEventId(task.id),
        type: 'task.completed',
        at: now,
        customerId: task.customerId,
        orderId: task.orderId,
        data: {
          taskId: task.id,
          kind: task.kind,
          outcome,
          notes: completion.notes,
          callbackAt,
          concernId: task.concernId,
          by: task.owner,
        },
      };
      await intake.ingest([event]);
      await listener.hearThrough(event.id);
      return result;
    },
  };
}
