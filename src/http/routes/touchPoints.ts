// Touch points by hand: list, look at one, move it, cancel it, or send it now. The rules are the
// touch point commands'; this file reads the request and answers: a change refused because the
// touch point is no longer scheduled is a 409 that says what it is now.
import { z } from 'zod';
import { TOUCH_POINT_STATUSES, type TouchPoint } from '../../core/domain.js';
import type { TouchPointChange } from '../../engine/commands/touchPoints.js';
import { AftercareError } from '../../errors.js';
import { presentTouchPoint } from '../present.js';
import { defineRoute, ok } from '../route.js';
import { id, listLimit } from '../schemas/common.js';
import { cancelTouchPointInput, moveTouchPointInput } from '../schemas/inputs.js';
import { touchPointResource } from '../schemas/resources.js';
import { byId, listOf } from './customers.js';

function notFound(): AftercareError {
  return new AftercareError('AFTERCARE_E_NOT_FOUND', 'no touch point with this id', {
    in: 'path',
    field: 'id',
  });
}

/** The changed touch point, or why there is none: 404 when unknown, 409 when no longer scheduled. */
function changed(change: TouchPointChange): TouchPoint {
  if (change.ok) return change.touchPoint;
  if (change.why === 'not_found') throw notFound();
  const { status } = change.current;
  throw new AftercareError('AFTERCARE_E_CONFLICT', `the touch point is ${status}, not scheduled`, { status });
}

export const touchPointRoutes = [
  defineRoute({
    method: 'GET',
    path: '/touch-points',
    scopes: ['read'],
    tag: 'Touch points',
    summary: 'Touch points by due time, filtered by customer, order and status',
    query: z.strictObject({
      customerId: id.optional(),
      orderId: id.optional(),
      status: z.enum(TOUCH_POINT_STATUSES).optional(),
      limit: listLimit.optional(),
    }),
    answer: {
      status: 200,
      description: 'at most `limit` (default 100) touch points',
      schema: listOf(touchPointResource),
    },
    handle: async ({ query }, { deps }) => {
      const touchPoints = await deps.commands.touchPoints.list({
        ...(query.customerId ? { customerId: query.customerId } : {}),
        ...(query.orderId ? { orderId: query.orderId } : {}),
        ...(query.status ? { status: query.status } : {}),
        limit: query.limit,
      });
      return ok({ items: touchPoints.map(presentTouchPoint) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/touch-points/:id',
    scopes: ['read'],
    tag: 'Touch points',
    summary: 'A touch point',
    params: byId,
    answer: { status: 200, description: 'the touch point', schema: touchPointResource },
    errors: [404],
    handle: async ({ params }, { deps }) => {
      const touchPoint = await deps.commands.touchPoints.get(params.id);
      if (!touchPoint) throw notFound();
      return ok(presentTouchPoint(touchPoint));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/touch-points/:id',
    scopes: ['write'],
    tag: 'Touch points',
    summary: 'Move a scheduled touch point to another time',
    description: 'Policies still apply when it comes due (quiet hours, caps, consent).',
    params: byId,
    body: moveTouchPointInput,
    answer: { status: 200, description: 'the moved touch point', schema: touchPointResource },
    errors: [404, 409],
    handle: async ({ params, body }, { deps }) =>
      ok(presentTouchPoint(changed(await deps.commands.touchPoints.move(params.id, Date.parse(body.dueAt))))),
  }),
  defineRoute({
    method: 'POST',
    path: '/touch-points/:id/cancel',
    scopes: ['write'],
    tag: 'Touch points',
    summary: 'Cancel a scheduled touch point',
    params: byId,
    body: cancelTouchPointInput,
    answer: { status: 200, description: 'the cancelled touch point', schema: touchPointResource },
    errors: [404, 409],
    handle: async ({ params, body }, { deps }) =>
      ok(presentTouchPoint(changed(await deps.commands.touchPoints.cancel(params.id, body.reason ?? null)))),
  }),
  defineRoute({
    method: 'POST',
    path: '/touch-points/:id/send-now',
    scopes: ['write'],
    tag: 'Touch points',
    summary: 'Make a scheduled touch point due now and wake the dispatcher',
    description: 'It still passes the policies: in quiet hours, say, it is deferred to the end of them.',
    params: byId,
    answer: { status: 200, description: 'the touch point, due now', schema: touchPointResource },
    errors: [404, 409],
    handle: async ({ params }, { deps }) =>
      ok(presentTouchPoint(changed(await deps.commands.touchPoints.sendNow(params.id)))),
  }),
];
