// What clients send to the API: orders, events (one or a batch), and the small bodies of the
// touch point and task actions. Field names are camelCase, times ISO 8601 with an offset.
// Unknown fields are refused by name, so a typo never passes silently.
import { z } from 'zod';
import {
  INPUT_EVENT_TYPES,
  ORDER_EVENT_TYPES,
  RENEWAL_PERIODS,
  SALE_KINDS,
  SEGMENTS,
  SURVEYS,
} from '../../core/domain.js';
import { TASK_OUTCOMES } from '../../core/listening/types.js';
import { EXCEPTION_KINDS, isExceptionKind } from '../../core/shipmentException.js';
import { id, isoTime, jsonObject, mailbox, maybe, text, zone } from './common.js';

export const customerInput = z
  .strictObject({
    id: maybe(id).describe("the provider's customer id; else the e-mail address identifies the customer"),
    email: maybe(mailbox),
    firstName: maybe(text(200)),
    lastName: maybe(text(200)),
    phone: maybe(text(50)),
    timezone: maybe(zone),
    locale: maybe(text(35)),
    segment: maybe(z.enum(SEGMENTS)),
    attributes: maybe(jsonObject),
  })
  .describe('who the customer is; at least an id or an e-mail address for a new customer');

export const lineItemInput = z.strictObject({
  sku: maybe(text(200)),
  productName: maybe(text(500)),
  category: maybe(text(200)),
  quantity: z.number().int('must be a whole number').min(1).max(1_000_000).default(1),
  price: maybe(z.number().min(0).max(1e12)),
});

export const shipmentInput = z.strictObject({
  id: maybe(id).describe('the shipment (parcel) id; events without one apply to every open shipment'),
  carrier: maybe(text(100)),
  trackingNumber: maybe(text(200)),
  trackingUrl: maybe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000)),
  shippedAt: maybe(isoTime),
  deliveredAt: maybe(isoTime),
});

export const shippingAddressInput = z.strictObject({
  name: maybe(text(200)),
  company: maybe(text(200)),
  line1: maybe(text(300)),
  line2: maybe(text(300)),
  city: maybe(text(200)),
  region: maybe(text(200)),
  postalCode: maybe(text(40)),
  country: maybe(text(100)),
  phone: maybe(text(50)),
});

const orderNumber = text(100).describe('the number the customer knows the order by, e.g. #1042');

const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code like EUR')
  .transform((code) => code.toUpperCase());

/** Order fields any order event may carry (a new promise, a corrected total...). */
export const orderFieldsInput = z.strictObject({
  placedAt: maybe(isoTime),
  number: maybe(orderNumber),
  shippingAddress: maybe(shippingAddressInput),
  currency: maybe(currency),
  total: maybe(z.number().min(0).max(1e12)),
  segment: maybe(z.enum(SEGMENTS)),
  items: maybe(z.array(lineItemInput).max(1000, 'must hold at most 1000 items')),
  promisedDeliveryAt: maybe(isoTime),
  renewalAt: maybe(isoTime),
  kind: maybe(z.enum(SALE_KINDS)),
  renewalPeriod: maybe(z.enum(RENEWAL_PERIODS)),
  startedAt: maybe(isoTime),
  attributes: maybe(jsonObject),
});

/** POST /orders: an order was placed. Sending it again (any number of times) changes nothing. */
export const orderInput = z
  .strictObject({
    id: id.describe("the provider's order id"),
    eventId: maybe(id).describe("the provider's id for this fact; default `order.placed:<id>`"),
    placedAt: isoTime,
    number: maybe(orderNumber),
    shippingAddress: maybe(shippingAddressInput),
    customer: customerInput,
    currency: maybe(currency),
    total: maybe(z.number().min(0).max(1e12)),
    segment: maybe(z.enum(SEGMENTS)),
    items: maybe(z.array(lineItemInput).max(1000, 'must hold at most 1000 items')),
    promisedDeliveryAt: maybe(isoTime),
    renewalAt: maybe(isoTime),
    kind: maybe(z.enum(SALE_KINDS)).describe(
      'goods ship; a service begins, software is activated (`startedAt`)',
    ),
    renewalPeriod: maybe(z.enum(RENEWAL_PERIODS)),
    startedAt: maybe(isoTime).describe('when the service began or the software was activated'),
    attributes: maybe(jsonObject),
  })
  .superRefine((order, ctx) => {
    if (!order.customer.id && !order.customer.email) {
      ctx.addIssue({
        code: 'custom',
        path: ['customer', 'email'],
        message: 'is required when customer.id is not given',
      });
    }
  });
export type OrderInput = z.output<typeof orderInput>;

export const eventInput = z
  .strictObject({
    id: id.describe("the provider's unique id for this fact: an event seen before is ignored"),
    type: z.enum(INPUT_EVENT_TYPES),
    at: isoTime.describe('when it happened'),
    orderId: maybe(id),
    customerId: maybe(id),
    customer: maybe(customerInput),
    order: maybe(orderFieldsInput),
    shipment: maybe(shipmentInput),
    data: maybe(jsonObject).describe(
      'details (docs/listening.md): survey.answered {survey: csat|nps, score, comment, touchPointId}; ' +
        'reply.received {from, subject, text, sentiment: negative|neutral|positive}; ' +
        'concern.raised {severity: low|medium|high|critical, summary}; concern.resolved {concernId, resolution, by} ' +
        '(without concernId: every unresolved concern of the customer); shipment.delayed {reason, promisedDeliveryAt}; ' +
        'shipment.exception {exception: late|damaged|lost|failed_attempt|returned_to_sender, reason, promisedDeliveryAt}; ' +
        'order.returned {reason}; order.renewed {next_renewal_at} (without it, one renewalPeriod on); ' +
        'order.started and order.onboarded take none',
    ),
  })
  .superRefine((event, ctx) => {
    if (ORDER_EVENT_TYPES.has(event.type) && !event.orderId) {
      ctx.addIssue({ code: 'custom', path: ['orderId'], message: `is required for ${event.type}` });
    }
    if (!event.orderId && !event.customerId && !event.customer?.id && !event.customer?.email) {
      ctx.addIssue({
        code: 'custom',
        path: ['customerId'],
        message: 'is required when neither orderId nor customer.id nor customer.email is given',
      });
    }
    if (event.type === 'order.updated' && (event.order || event.shipment) && !event.order?.placedAt) {
      // Intake takes placedAt from order.updated; without it the order would move to the event time.
      ctx.addIssue({ code: 'custom', path: ['order', 'placedAt'], message: 'is required for order.updated' });
    }
    if (event.type === 'shipment.exception' || event.type === 'shipment.delayed') {
      const exception = event.data?.['exception'];
      if (
        event.type === 'shipment.exception'
          ? !isExceptionKind(exception)
          : exception !== undefined && !isExceptionKind(exception)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['data', 'exception'],
          message: `must be one of ${EXCEPTION_KINDS.join(', ')}`,
        });
      }
    }
    if (event.type === 'survey.answered') {
      const score = event.data?.['score'];
      if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 10) {
        ctx.addIssue({ code: 'custom', path: ['data', 'score'], message: 'must be a number from 0 to 10' });
      }
      const survey = event.data?.['survey'];
      if (survey !== undefined && !(SURVEYS as readonly unknown[]).includes(survey)) {
        ctx.addIssue({
          code: 'custom',
          path: ['data', 'survey'],
          message: `must be one of ${SURVEYS.join(', ')}`,
        });
      }
    }
  });
export type EventInput = z.output<typeof eventInput>;

export const MAX_BATCH = 500;

export const eventBatchInput = z.strictObject({
  events: z
    .array(eventInput)
    .min(1, 'must hold at least one event')
    .max(MAX_BATCH, `must hold at most ${MAX_BATCH} events`),
});

export const moveTouchPointInput = z.strictObject({ dueAt: isoTime });

export const cancelTouchPointInput = z.strictObject({ reason: maybe(text(200)) });

export const claimTaskInput = z.strictObject({ owner: z.string().trim().min(1).max(200) });

export const completeTaskInput = z.strictObject({
  outcome: z.enum(TASK_OUTCOMES, { error: `must be one of ${TASK_OUTCOMES.join(', ')}` }),
  notes: maybe(text(10_000)),
  /** Required with the outcome callback: when to call back. */
  callbackAt: isoTime.optional(),
});

export const validatePlaybookJson = z.strictObject({ yaml: z.string().max(1_000_000) });
