// Human work items (calls, meetings, letters, gifts): list them, claim one, complete it with an
// outcome. The rules are the task commands'; a change refused because of the task's status is a
// 409 that says its status and owner.
import { z } from 'zod';
import type { Task } from '../../core/domain.js';
import type { TaskChange } from '../../engine/commands/tasks.js';
import { AftercareError } from '../../errors.js';
import { presentTask, presentTaskState } from '../present.js';
import { defineRoute, ok } from '../route.js';
import { id, listLimit } from '../schemas/common.js';
import { claimTaskInput, completeTaskInput } from '../schemas/inputs.js';
import { taskResource, taskStateResource } from '../schemas/resources.js';
import { byId, listOf } from './customers.js';

const TASK_STATUSES = ['open', 'claimed', 'done', 'cancelled'] as const satisfies readonly Task['status'][];

function notFound(): AftercareError {
  return new AftercareError('AFTERCARE_E_NOT_FOUND', 'no task with this id', { in: 'path', field: 'id' });
}

function applied(change: TaskChange, action: string): Task {
  if (change.ok) return change.task;
  if (change.why === 'not_found') throw notFound();
  const { status, owner } = change.current;
  throw new AftercareError('AFTERCARE_E_CONFLICT', `cannot ${action} a task that is ${status}`, {
    status,
    owner,
  });
}

export const taskRoutes = [
  defineRoute({
    method: 'GET',
    path: '/tasks',
    scopes: ['read', 'tasks'],
    tag: 'Tasks',
    summary: 'Tasks by due time, filtered by status, owner and customer',
    query: z.strictObject({
      status: z.enum(TASK_STATUSES).optional(),
      owner: z.string().min(1).max(200).optional(),
      customerId: id.optional(),
      limit: listLimit.optional(),
    }),
    answer: { status: 200, description: 'at most `limit` (default 100) tasks', schema: listOf(taskResource) },
    handle: async ({ query }, { deps }) => {
      const tasks = await deps.commands.tasks.list({
        ...(query.status ? { status: query.status } : {}),
        ...(query.owner ? { owner: query.owner } : {}),
        ...(query.customerId ? { customerId: query.customerId } : {}),
        limit: query.limit,
      });
      return ok({ items: tasks.map(presentTask) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/tasks/:id',
    scopes: ['read', 'tasks'],
    tag: 'Tasks',
    summary: 'A task, with its script',
    params: byId,
    answer: { status: 200, description: 'the task', schema: taskResource },
    errors: [404],
    handle: async ({ params }, { deps }) => {
      const task = await deps.commands.tasks.get(params.id);
      if (!task) throw notFound();
      return ok(presentTask(task));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/tasks/:id/claim',
    scopes: ['tasks'],
    tag: 'Tasks',
    summary: 'Take an open task (claiming it again as the same owner is fine)',
    params: byId,
    body: claimTaskInput,
    answer: { status: 200, description: 'the claimed task (state only)', schema: taskStateResource },
    errors: [404, 409],
    handle: async ({ params, body }, { deps }) =>
      ok(presentTaskState(applied(await deps.commands.tasks.claim(params.id, body.owner), 'claim'))),
  }),
  defineRoute({
    method: 'POST',
    path: '/tasks/:id/complete',
    scopes: ['tasks'],
    tag: 'Tasks',
    summary: 'Mark an open or claimed task done, with its outcome (callback needs callbackAt)',
    params: byId,
    body: completeTaskInput,
    answer: { status: 200, description: 'the completed task (state only)', schema: taskStateResource },
    errors: [404, 409],
    handle: async ({ params, body }, { deps }) => {
      const change = await deps.commands.tasks.complete(params.id, {
        outcome: body.outcome,
        notes: body.notes ?? null,
        callbackAt: body.callbackAt === undefined ? null : Date.parse(body.callbackAt),
      });
      return ok(presentTaskState(applied(change, 'complete')));
    },
  }),
];
