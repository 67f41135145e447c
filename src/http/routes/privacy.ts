// GDPR: export everything held about a customer, or erase it. What erasure removes (the store's
// rows and the outbox copies of messages to them) is the privacy commands' to decide; this file
// answers with what was exported or erased.
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

export const privacyRoutes = [
  defineRoute({
    method: 'GET',
    path: '/customers/:id/export',
    scopes: ['privacy'],
    tag: 'Privacy',
    summary: 'Everything held about a customer, as JSON (GDPR access and portability)',
    params: byId,
    answer: { status: 200, description: 'the customer and every row about them', schema: customerExport },
    errors: [404],
    handle: async ({ params }, { deps, reply }) => {
      const held = await deps.commands.privacy.exportCustomer(params.id);
      if (!held) throw customerNotFound();
      reply.header('content-disposition', 'attachment; filename="customer-export.json"');
      return ok({
        exportedAt: isoOrNull(held.exportedAt),
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
    scopes: ['privacy'],
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
      const erasure = await deps.commands.privacy.eraseCustomer(params.id);
      if (!erasure.ok) throw customerNotFound();
      const { report, sentCopiesRemoved: outboxFilesRemoved } = erasure;
      request.log.info({ customer: report.customerId, outboxFilesRemoved }, 'customer erased');
      return ok({
        customerId: report.customerId,
        erasedAt: isoOrNull(erasure.erasedAt),
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
