// GDPR: export everything held about a customer, or erase it. What erasure removes (the store's
// rows and the outbox copies of messages to them) is the privacy commands' to decide; this file
// answers with what was exported or erased.
import { surveyAnswerOf } from '../../core/listening/openers.js';
import type { StoredEvent, TouchPoint } from '../../core/domain.js';
import type { CustomerDataExport } from '../../engine/commands/privacy.js';
import {
  iso,
  presentConcern,
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

/** The messages sent to the customer, oldest first (what was sent, not the text: it is not kept). */
function presentMessagesSent(touchPoints: readonly TouchPoint[]) {
  return touchPoints
    .filter((t) => t.status === 'sent' && t.outcomeAt !== null)
    .sort((a, b) => a.outcomeAt! - b.outcomeAt! || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((t) => ({
      touchPointId: t.id,
      orderId: t.orderId,
      step: t.stepKey,
      channel: t.channel,
      purpose: t.purpose,
      sentAt: iso(t.outcomeAt!),
    }));
}

/** Their survey answers, in the order of the timeline. */
function presentSurveyAnswers(events: readonly StoredEvent[]) {
  const answers = [];
  for (const e of events) {
    if (e.type !== 'survey.answered') continue;
    const answer = surveyAnswerOf(e.data);
    if (answer === null) continue;
    const comment = typeof e.data.comment === 'string' ? e.data.comment : null;
    answers.push({
      eventId: e.id,
      orderId: e.orderId,
      at: iso(e.at),
      survey: answer.survey,
      score: answer.score,
      comment,
    });
  }
  return answers;
}

/**
 * Everything held about a customer as the API answers it (and the dashboard's download): ISO
 * times, the messages sent and the survey answers read out of the touch points and events.
 */
export function presentCustomerExport(held: CustomerDataExport) {
  return {
    exportedAt: isoOrNull(held.exportedAt),
    customer: presentCustomer(held.customer),
    orders: held.orders.map(presentOrder),
    enrollments: held.enrollments.map(presentEnrollment),
    events: held.events.map(presentEvent),
    touchPoints: held.touchPoints.map(presentTouchPoint),
    messagesSent: presentMessagesSent(held.touchPoints),
    surveyAnswers: presentSurveyAnswers(held.events),
    suppressions: held.suppressions.map((s) => ({ reason: s.reason, createdAt: iso(s.createdAt) })),
    tasks: held.tasks.map(presentTask),
    concerns: held.concerns.map(presentConcern),
    mailingList: held.mailingList.map((s) => ({
      email: s.email,
      status: s.status,
      requestedAt: iso(s.requestedAt),
      requestSource: s.requestSource,
      requestIp: s.requestIp,
      consent:
        s.consent === null
          ? null
          : {
              confirmedAt: iso(s.consent.confirmedAt),
              confirmIp: s.consent.confirmIp,
              confirmUserAgent: s.consent.confirmUserAgent,
              wording: s.consent.wording,
            },
      unsubscribedAt: isoOrNull(s.unsubscribedAt),
      unsubscribeSource: s.unsubscribeSource,
      lastDigestAt: isoOrNull(s.lastDigestAt),
    })),
  };
}

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
      // Personal data: no cache along the way may keep a copy.
      reply.header('cache-control', 'no-store');
      return ok(presentCustomerExport(held));
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
    handle: async ({ params }, { deps, request, reply }) => {
      reply.header('cache-control', 'no-store');
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
        listSubscriptionsRemoved: erasure.listSubscriptionsRemoved,
        tombstones: report.tombstones,
        waitingCopies: report.waitingCopies,
      });
    },
  }),
];
