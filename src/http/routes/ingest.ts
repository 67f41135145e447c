// Orders and events in. Each becomes a domain event with the provider's id and goes through the
// ingest command (the same intake as CSV imports and webhooks): a fact sent again, in parallel or
// out of order, is a duplicate and changes nothing. Answers hold ids and counts only (nothing
// personal is kept with an Idempotency-Key).
import { z } from 'zod';
import type { DomainEvent } from '../../core/domain.js';
import { ingestOutcome, type IngestReport } from '../../engine/commands/ingest.js';
import type { IntakeRejection } from '../../engine/intake.js';
import { AftercareError } from '../../errors.js';
import type { IntakeResult } from '../../store/ports/intake.js';
import { presentIngest } from '../present.js';
import { defineRoute, type Answer, type ApiDeps } from '../route.js';
import { eventBatchInput, eventInput, orderInput } from '../schemas/inputs.js';
import { ingestResponse } from '../schemas/resources.js';
import { domainEvent, orderPlacedEvent } from '../toEvents.js';
import { parseInput } from '../validate.js';

async function ingest(deps: ApiDeps, events: DomainEvent[]): Promise<IngestReport> {
  const report = await deps.commands.ingest.events(events);
  deps.metrics.recordIngest('api', report.accepted, report.duplicates, report.rejected);
  return report;
}

/** Where a rejection points, for the one-event answer. */
const REJECTIONS: Record<
  IntakeRejection,
  {
    code: 'AFTERCARE_E_NOT_FOUND' | 'AFTERCARE_E_INPUT_INVALID' | 'AFTERCARE_E_ERASED';
    field: string;
    message: string;
  }
> = {
  unknown_order: {
    code: 'AFTERCARE_E_NOT_FOUND',
    field: 'orderId',
    message:
      'the order is unknown and the event does not say whose it is (send the order first, or customer)',
  },
  unknown_customer: {
    code: 'AFTERCARE_E_NOT_FOUND',
    field: 'customerId',
    message: 'the customer is unknown and the event does not say who it is (send customer.email)',
  },
  missing_order_id: { code: 'AFTERCARE_E_INPUT_INVALID', field: 'orderId', message: 'is required' },
  invalid_time: { code: 'AFTERCARE_E_INPUT_INVALID', field: 'at', message: 'is not a valid time' },
  erased: {
    code: 'AFTERCARE_E_ERASED',
    field: 'customer',
    message: 'is a person who was erased (GDPR); nothing about them is taken in again',
  },
  implausible_time: {
    code: 'AFTERCARE_E_INPUT_INVALID',
    field: 'at',
    message: "is before 2000 or more than a year ahead of the server's clock",
  },
  reserved_id: {
    code: 'AFTERCARE_E_INPUT_INVALID',
    field: 'id',
    message: 'must not end with ":contact" (kept for the events Aftercare records itself)',
  },
  implausible_order_time: {
    code: 'AFTERCARE_E_INPUT_INVALID',
    field: 'order',
    message:
      "holds a time before 2000, or a placed, shipped or delivered time more than a year ahead of the server's clock, or a promise or renewal more than 5 years ahead",
  },
};

/** One event: 201 when applied, 200 when it was seen before, an error when it cannot apply. */
function singleAnswer(result: IntakeResult): Answer {
  const outcome = ingestOutcome(result);
  if (outcome.status === 'rejected') {
    const known = (outcome.why === null ? null : REJECTIONS[outcome.why]) ?? {
      code: 'AFTERCARE_E_INPUT_INVALID' as const,
      field: '(body)',
      message: 'cannot be applied',
    };
    throw new AftercareError(known.code, `${known.field}: ${known.message}`, {
      in: 'body',
      field: known.field,
      reason: outcome.reason,
    });
  }
  return { status: outcome.status === 'duplicate' ? 200 : 201, body: { results: [presentIngest(result)] } };
}

const ANSWERS = {
  answer: { status: 201, description: 'applied: the order or event is new', schema: ingestResponse },
  also: [
    {
      status: 200,
      description:
        'already seen (same id): nothing changed; a batch always answers 200 with a status per event',
      schema: ingestResponse,
    },
  ],
} as const;

export const ingestRoutes = [
  defineRoute({
    method: 'POST',
    path: '/orders',
    scopes: ['write'],
    tag: 'Ingest',
    summary: 'An order was placed',
    description:
      'Creates the customer (or merges what is new about them), the order, and its plan of touch points. ' +
      'Idempotent by order id (or `eventId`): the same order sent again changes nothing.',
    body: orderInput,
    ...ANSWERS,
    errors: [404, 422],
    handle: async ({ body }, { deps }) =>
      singleAnswer((await ingest(deps, [orderPlacedEvent(body)])).results[0]!),
  }),
  defineRoute({
    method: 'POST',
    path: '/events',
    scopes: ['write'],
    tag: 'Ingest',
    summary:
      'Something happened: shipped, delayed, delivered, returned, cancelled, a reply, a survey answer...',
    description:
      'One event, or `{"events": [...]}` (up to 500, applied in order in one transaction). ' +
      'Idempotent by event id. An event about an order not seen yet creates it when it names the customer.',
    body: z.unknown(),
    bodyDoc: z.union([eventInput, eventBatchInput]),
    ...ANSWERS,
    errors: [404, 422],
    handle: async ({ body }, { deps }) => {
      if (typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body) {
        const batch = parseInput(eventBatchInput, body, 'body');
        const { results } = await ingest(deps, batch.events.map(domainEvent));
        return { status: 200, body: { results: results.map(presentIngest) } };
      }
      const event = parseInput(eventInput, body, 'body');
      return singleAnswer((await ingest(deps, [domainEvent(event)])).results[0]!);
    },
  }),
];
