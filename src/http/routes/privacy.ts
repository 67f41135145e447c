// GDPR: export everything held about a customer, or erase it. Erasure runs in the store (one
// transaction, leaving ids, times and a hashed suppression entry, see store/accessPort.ts) and
// then removes the .eml copies the outbox kept of messages to them (named by touch point id).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { outboxFileName } from '../../channels/outbox.js';
import {
  presentCustomer,
  presentEnrollment,
  presentEvent,
  presentOrder,
  presentTask,
  presentTouchPoint,
  isoOrNull,
} from '../present.js';
import { defineRoute, ok } from '../route.js';
import { customerExport, erasureResponse } from '../schemas/resources.js';
import { byId, customerNotFound } from './customers.js';

/** Removes the outbox files of these touch points; returns how many existed. */
async function removeOutboxFiles(dir: string, touchPointIds: readonly string[]): Promise<number> {
  let removed = 0;
  for (const touchPointId of touchPointIds) {
    try {
      await rm(join(dir, outboxFileName(touchPointId)));
      removed += 1;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return removed;
}

export const privacyRoutes = [
  defineRoute({
    method: 'GET',
    path: '/customers/:id/export',
    tag: 'Privacy',
    summary: 'Everything held about a customer, as JSON (GDPR access and portability)',
    params: byId,
    answer: { status: 200, description: 'the customer and every row about them', schema: customerExport },
    errors: [404],
    handle: async ({ params }, { deps, reply }) => {
      const held = await deps.store.privacy.exportCustomer(params.id);
      if (!held) throw customerNotFound();
      reply.header('content-disposition', 'attachment; filename="customer-export.json"');
      return ok({
        exportedAt: isoOrNull(deps.clock.now()),
        customer: presentCustomer(held.customer),
        orders: held.orders.map(presentOrder),
        enrollments: held.enrollments.map(presentEnrollment),
        events: held.events.map(presentEvent),
        touchPoints: held.touchPoints.map(presentTouchPoint),
        tasks: held.tasks.map(presentTask),
      });
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/customers/:id',
    tag: 'Privacy',
    summary: "Erase a customer's personal data everywhere (GDPR erasure)",
    description:
      'Contact details, attributes, event data, order items and shipments, task scripts and notes, and the ' +
      'outbox copies of messages are removed; pending touch points and tasks are cancelled. Ids and times ' +
      'stay (so a replayed provider event is still recognised), and the e-mail address stays only as a ' +
      'hash on the suppression list, so the person is never mailed again. Erasing again is harmless.',
    params: byId,
    answer: { status: 200, description: 'what was erased', schema: erasureResponse },
    errors: [404],
    handle: async ({ params }, { deps, request }) => {
      const at = deps.clock.now();
      const report = await deps.store.privacy.eraseCustomer(params.id, at);
      if (!report) throw customerNotFound();
      const outboxFilesRemoved = await removeOutboxFiles(deps.config.outboxDir, report.touchPointIds);
      request.log.info({ customer: report.customerId, outboxFilesRemoved }, 'customer erased');
      return ok({
        customerId: report.customerId,
        erasedAt: isoOrNull(at),
        suppressed: report.suppressed,
        orders: report.orders,
        events: report.events,
        tasks: report.tasks,
        cancelledTouchPoints: report.cancelledTouchPoints,
        outboxFilesRemoved,
      });
    },
  }),
];
