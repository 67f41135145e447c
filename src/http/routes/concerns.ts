// Concerns: a customer's problem, owned by a person until resolved. List them (open ones first for
// a queue: filter by status, owner, customer), read one, acknowledge it (the person takes it on,
// which stops the acknowledge SLA) or resolve it. A concern already resolved is a 409 that says so.
import { z } from 'zod';
import { CONCERN_STATUSES, type Concern } from '../../core/listening/types.js';
import type { ConcernChange } from '../../engine/commands/concerns.js';
import { AftercareError } from '../../errors.js';
import { presentConcern } from '../present.js';
import { defineRoute, ok } from '../route.js';
import { id, listLimit } from '../schemas/common.js';
import { concernResource } from '../schemas/resources.js';
import { byId, listOf } from './customers.js';

const person = z.string().trim().min(1, 'must not be empty').max(200);

export const acknowledgeConcernInput = z.strictObject({
  by: person.describe('who takes the concern on: they become its owner'),
});

export const resolveConcernInput = z.strictObject({
  resolution: z.string().trim().min(1, 'must not be empty').max(2000).describe('what was done'),
  by: person.describe('who resolved it'),
});

function notFound(): AftercareError {
  return new AftercareError('AFTERCARE_E_NOT_FOUND', 'no concern with this id', { in: 'path', field: 'id' });
}

function applied(change: ConcernChange, action: string): Concern {
  if (change.ok) return change.concern;
  if (change.why === 'not_found') throw notFound();
  throw new AftercareError('AFTERCARE_E_CONFLICT', `cannot ${action} a concern that is resolved`, {
    status: change.current.status,
    resolvedAt: change.current.resolvedAt === null ? null : new Date(change.current.resolvedAt).toISOString(),
  });
}

export const concernRoutes = [
  defineRoute({
    method: 'GET',
    path: '/concerns',
    scopes: ['read'],
    tag: 'Concerns',
    summary: 'Concerns, newest first, filtered by status (or unresolved), owner and customer',
    query: z.strictObject({
      status: z.enum([...CONCERN_STATUSES, 'unresolved']).optional(),
      owner: z.string().min(1).max(200).optional(),
      customerId: id.optional(),
      limit: listLimit.optional(),
    }),
    answer: {
      status: 200,
      description: 'at most `limit` (default 100) concerns',
      schema: listOf(concernResource),
    },
    handle: async ({ query }, { deps }) => {
      const concerns = await deps.commands.concerns.list({
        ...(query.status ? { status: query.status } : {}),
        ...(query.owner ? { owner: query.owner } : {}),
        ...(query.customerId ? { customerId: query.customerId } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      });
      return ok({ items: concerns.map(presentConcern) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/concerns/:id',
    scopes: ['read'],
    tag: 'Concerns',
    summary: 'A concern with its timeline of escalations',
    params: byId,
    answer: { status: 200, description: 'the concern', schema: concernResource },
    errors: [404],
    handle: async ({ params }, { deps }) => {
      const concern = await deps.commands.concerns.get(params.id);
      if (!concern) throw notFound();
      return ok(presentConcern(concern));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/concerns/:id/acknowledge',
    scopes: ['write'],
    tag: 'Concerns',
    summary: 'Take a concern on: it is acknowledged and owned by `by` (acknowledging again moves it to them)',
    params: byId,
    body: acknowledgeConcernInput,
    answer: { status: 200, description: 'the concern as it is now', schema: concernResource },
    errors: [404, 409],
    handle: async ({ params, body }, { deps }) =>
      ok(
        presentConcern(applied(await deps.commands.concerns.acknowledge(params.id, body.by), 'acknowledge')),
      ),
  }),
  defineRoute({
    method: 'POST',
    path: '/concerns/:id/resolve',
    scopes: ['write'],
    tag: 'Concerns',
    summary: 'Resolve a concern with what was done; its open tasks are closed and its escalation stops',
    params: byId,
    body: resolveConcernInput,
    answer: { status: 200, description: 'the resolved concern', schema: concernResource },
    errors: [404, 409],
    handle: async ({ params, body }, { deps }) =>
      ok(
        presentConcern(
          applied(
            await deps.commands.concerns.resolve(params.id, { resolution: body.resolution, by: body.by }),
            'resolve',
          ),
        ),
      ),
  }),
];
