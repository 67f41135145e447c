// Reading customers and what Aftercare holds about them: find by e-mail, their orders, their
// timeline of events and their touch points, and single orders. The customer commands read; this
// file parses the request and presents the answer (an unknown customer is a 404).
import { z } from 'zod';
import { EVENT_TYPES, TOUCH_POINT_STATUSES } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import { presentCustomer, presentEvent, presentOrder, presentTouchPoint } from '../present.js';
import { defineRoute, ok } from '../route.js';
import { id, listLimit } from '../schemas/common.js';
import { customerResource, eventResource, orderResource, touchPointResource } from '../schemas/resources.js';

export const byId = z.strictObject({ id });

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item) });
}

export function customerNotFound(): AftercareError {
  return new AftercareError('AFTERCARE_E_NOT_FOUND', 'no customer with this id', { in: 'path', field: 'id' });
}

/** What a command found for a customer; an unknown customer (null) is a 404. */
function found<T>(value: T | null): T {
  if (value === null) throw customerNotFound();
  return value;
}

/** `?type=a,b` or `?type=a&type=b`. */
const eventTypes = z
  .union([z.string(), z.array(z.string())])
  .transform((raw) => (Array.isArray(raw) ? raw : [raw]).flatMap((part) => part.split(',')).filter(Boolean))
  .pipe(z.array(z.enum(EVENT_TYPES)).max(EVENT_TYPES.length));

export const customerRoutes = [
  defineRoute({
    method: 'GET',
    path: '/customers',
    scopes: ['read'],
    tag: 'Customers',
    summary: 'Find a customer by e-mail address',
    query: z.strictObject({ email: z.string().min(3).max(254) }),
    answer: { status: 200, description: 'the customer', schema: customerResource },
    errors: [404],
    handle: async ({ query }, { deps }) => {
      const customer = await deps.commands.customers.findByEmail(query.email);
      if (!customer) {
        throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'no customer with this e-mail address', {
          in: 'query',
          field: 'email',
        });
      }
      return ok(presentCustomer(customer));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/customers/:id',
    scopes: ['read'],
    tag: 'Customers',
    summary: 'A customer',
    params: byId,
    answer: { status: 200, description: 'the customer', schema: customerResource },
    errors: [404],
    handle: async ({ params }, { deps }) =>
      ok(presentCustomer(found(await deps.commands.customers.get(params.id)))),
  }),
  defineRoute({
    method: 'GET',
    path: '/customers/:id/orders',
    scopes: ['read'],
    tag: 'Customers',
    summary: "A customer's orders, oldest first",
    params: byId,
    answer: { status: 200, description: 'the orders', schema: listOf(orderResource) },
    errors: [404],
    handle: async ({ params }, { deps }) =>
      ok({ items: found(await deps.commands.customers.orders(params.id)).map(presentOrder) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/customers/:id/events',
    scopes: ['read'],
    tag: 'Customers',
    summary: "A customer's timeline of events, oldest first",
    params: byId,
    query: z.strictObject({ type: eventTypes.optional() }),
    answer: { status: 200, description: 'the events', schema: listOf(eventResource) },
    errors: [404],
    handle: async ({ params, query }, { deps }) =>
      ok({ items: found(await deps.commands.customers.timeline(params.id, query.type)).map(presentEvent) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/customers/:id/touch-points',
    scopes: ['read'],
    tag: 'Customers',
    summary: "A customer's touch points (planned, sent, skipped...), by due time",
    params: byId,
    query: z.strictObject({ status: z.enum(TOUCH_POINT_STATUSES).optional(), limit: listLimit.optional() }),
    answer: { status: 200, description: 'the touch points', schema: listOf(touchPointResource) },
    errors: [404],
    handle: async ({ params, query }, { deps }) => {
      const touchPoints = await deps.commands.customers.touchPoints(params.id, {
        ...(query.status ? { status: query.status } : {}),
        limit: query.limit,
      });
      return ok({ items: found(touchPoints).map(presentTouchPoint) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/orders/:id',
    scopes: ['read'],
    tag: 'Customers',
    summary: 'An order',
    params: byId,
    answer: { status: 200, description: 'the order', schema: orderResource },
    errors: [404],
    handle: async ({ params }, { deps }) => {
      const order = await deps.commands.customers.order(params.id);
      if (!order)
        throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'no order with this id', {
          in: 'path',
          field: 'id',
        });
      return ok(presentOrder(order));
    },
  }),
];
