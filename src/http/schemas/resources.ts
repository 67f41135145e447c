// What the API answers with, as zod schemas: the OpenAPI document is generated from them, and
// present.ts builds its objects against their types, so the two cannot drift apart.
import { REASON_CODES, type ReasonCode } from '../../core/reasons.js';
import { z } from 'zod';
import {
  CONCERN_SOURCES,
  CONCERN_STATUSES,
  OPTIONAL_CHANNELS,
  SEVERITIES,
  TOPICS,
} from '../../core/listening/types.js';
import {
  CHANNELS,
  EVENT_TYPES,
  FOLLOW_UP_MOMENTS,
  MOMENTS,
  PURPOSES,
  SEGMENTS,
  SURVEYS,
  TASK_KINDS,
  TOUCH_POINT_STATUSES,
} from '../../core/domain.js';

const time = z.string().describe('ISO 8601 time in UTC');
const nullableTime = time.nullable();
const json = z.record(z.string(), z.unknown());
const TASK_STATUSES = ['open', 'claimed', 'done', 'cancelled'] as const;

export const customerResource = z.object({
  id: z.string(),
  email: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string().nullable(),
  timezone: z.string().nullable(),
  locale: z.string().nullable(),
  segment: z.enum(SEGMENTS),
  holdout: z.boolean().describe('in the control group: receives transactional messages only'),
  temperature: z
    .number()
    .describe('0..100, 50 = neutral; derived from what the customer said and what happened to them'),
  temperatureReasons: z
    .array(
      z.object({
        delta: z.number().describe('how much this moved the temperature'),
        why: z.string().describe('in words a rep can read out, e.g. "shipment 3 days late"'),
        at: time,
      }),
    )
    .describe('why the temperature is what it is, oldest first'),
  openConcerns: z.number().int().describe('concerns not resolved yet; offers, education and surveys wait'),
  awaitingPersonSince: nullableTime.describe(
    'a reply came in that no person has handled yet: automation waits',
  ),
  lastNps: z.number().int().nullable().describe('the latest NPS score the customer gave'),
  engagedAt: nullableTime.describe('the last time the customer answered, replied or chose preferences'),
  preferences: z.object({
    topicsOff: z.array(z.enum(TOPICS)),
    channelsOff: z.array(z.enum(OPTIONAL_CHANNELS)),
    pausedUntil: nullableTime,
  }),
  unsubscribedAt: nullableTime,
  emailBouncedAt: nullableTime,
  attributes: json,
  createdAt: time,
});

export const lineItemResource = z.object({
  sku: z.string().nullable(),
  productName: z.string().nullable(),
  category: z.string().nullable(),
  quantity: z.number(),
  price: z.number().nullable(),
});

export const shipmentResource = z.object({
  id: z.string(),
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  trackingUrl: z.string().nullable(),
  shippedAt: nullableTime,
  deliveredAt: nullableTime,
  status: z.enum(['pending', 'in_transit', 'out_for_delivery', 'delayed', 'delivered', 'exception']),
});

export const shippingAddressResource = z.object({
  name: z.string().nullable(),
  company: z.string().nullable(),
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
});

export const orderResource = z.object({
  id: z.string(),
  customerId: z.string(),
  number: z.string().nullable().describe('the number the customer knows the order by (#1042), if any'),
  shippingAddress: shippingAddressResource.nullable(),
  placedAt: time,
  currency: z.string(),
  total: z.number(),
  segment: z.enum(SEGMENTS),
  items: z.array(lineItemResource),
  shipments: z.array(shipmentResource),
  moments: z.partialRecord(z.enum(MOMENTS), time).describe('lifecycle moments known so far'),
  attributes: json,
  updatedAt: time,
});

export const eventResource = z.object({
  id: z.string(),
  customerId: z.string(),
  orderId: z.string().nullable(),
  type: z.enum(EVENT_TYPES),
  at: time,
  data: json,
  receivedAt: time,
});

export const enrollmentResource = z.object({
  id: z.string(),
  customerId: z.string(),
  orderId: z.string(),
  playbook: z.string(),
  playbookVersion: z.number().int(),
  holdout: z.boolean(),
  status: z.enum(['active', 'ended']),
  endedReason: z.string().nullable(),
  enrolledAt: time,
});

export const touchPointResource = z.object({
  id: z.string(),
  enrollmentId: z.string(),
  customerId: z.string(),
  orderId: z.string(),
  playbook: z.string(),
  playbookVersion: z.number().int(),
  stepKey: z.string(),
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  holdout: z.boolean(),
  dueAt: time,
  status: z.enum(TOUCH_POINT_STATUSES),
  attempt: z.number().int(),
  leaseUntil: nullableTime,
  reason: z
    .enum(REASON_CODES as [ReasonCode, ...ReasonCode[]])
    .nullable()
    .describe('why it was skipped, cancelled or failed, or last deferred: a code listed in docs/policies.md'),
  reasonDetail: z
    .string()
    .nullable()
    .describe('what the code alone does not say: the moment that ended the program, an error text, a note'),
  outcomeAt: nullableTime,
  createdAt: time,
});

/** A task's state without its texts: what action answers carry (they may be kept for replays). */
export const taskStateResource = z.object({
  id: z.string(),
  touchPointId: z.string(),
  customerId: z.string(),
  orderId: z.string().nullable().describe('null for work about the customer rather than one order'),
  concernId: z.string().nullable().describe('the concern this work is about, if any'),
  kind: z.enum(TASK_KINDS),
  status: z.enum(TASK_STATUSES),
  owner: z.string().nullable(),
  dueAt: time,
  createdAt: time,
  completedAt: nullableTime,
});

export const taskResource = taskStateResource.extend({
  title: z.string(),
  script: z.string().describe('the rendered brief for the person doing the work'),
  outcome: z.string().nullable(),
  notes: z.string().nullable(),
});

export const ingestResult = z.object({
  id: z.string().describe('the event id'),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  reason: z.string().nullable().describe('why a rejected event was not applied'),
  customerId: z.string().nullable(),
  orderId: z.string().nullable(),
  planned: z.number().int().describe('touch points planned by this event'),
  cancelled: z.number().int().describe('touch points this event cancelled'),
});

export const ingestResponse = z.object({ results: z.array(ingestResult) });

export const stepResource = z.object({
  key: z.string(),
  description: z.string().nullable(),
  timing: z.object({
    moment: z
      .enum([...MOMENTS, ...FOLLOW_UP_MOMENTS])
      .describe(
        'an order moment, or for a follow-up step what the customer did (answered, replied, concern_opened, concern_resolved)',
      ),
    offset: z.string().describe('ISO 8601 duration after (negative: before) the moment'),
    atLocal: z.string().nullable().describe('HH:MM in the customer zone, or null'),
  }),
  channel: z.enum(CHANNELS),
  template: z.string(),
  purpose: z.enum(PURPOSES),
  when: z.unknown().nullable().describe('condition, as in the YAML'),
  cancelOn: z.array(z.enum(MOMENTS)),
  survey: z.enum(SURVEYS).nullable(),
  owner: z.string().nullable(),
  measurement: z
    .boolean()
    .describe('a measurement survey: the holdout group is asked too (AFTERCARE_MEASUREMENT)'),
});

export const playbookSummary = z.object({
  name: z.string(),
  version: z.number().int(),
  description: z.string().nullable(),
  exitOn: z.array(z.enum(MOMENTS)),
  steps: z.number().int(),
});

export const playbookResource = playbookSummary.extend({
  returnWindow: z.string().describe('ISO 8601 duration'),
  delayGrace: z.string(),
  staleAfter: z.string(),
  steps: z.array(stepResource),
});

export const playbookIssue = z.object({
  line: z.number().int(),
  column: z.number().int(),
  field: z.string().describe('e.g. steps[3].timing.after; empty for YAML syntax errors'),
  message: z.string(),
});

export const validationResult = z.object({
  valid: z.boolean(),
  issues: z.array(playbookIssue),
  playbook: playbookSummary.nullable(),
});

export const concernResource = z.object({
  id: z.string(),
  customerId: z.string(),
  orderId: z.string().nullable(),
  source: z
    .enum(CONCERN_SOURCES)
    .describe('what opened it: a low score, a reply, a shipment, a return, a task outcome, the API'),
  severity: z.enum(SEVERITIES),
  summary: z.string().describe('what happened, in a sentence a rep can read out'),
  status: z.enum(CONCERN_STATUSES),
  level: z.number().int().describe('the escalation ladder level it is at (0 = first owner)'),
  owner: z.string().nullable().describe("the level's name, or the person who acknowledged it"),
  openedAt: time,
  acknowledgedAt: nullableTime,
  resolvedAt: nullableTime,
  resolution: z.string().nullable(),
  escalations: z
    .array(z.object({ level: z.number().int(), at: time }))
    .describe('each climb, when its SLA passed'),
  nextEscalationAt: nullableTime.describe(
    'when it climbs next if nobody acts; null once resolved or at the top',
  ),
  sourceEventId: z.string(),
});

export const customerExport = z.object({
  exportedAt: time,
  customer: customerResource,
  orders: z.array(orderResource),
  enrollments: z.array(enrollmentResource),
  events: z.array(eventResource),
  touchPoints: z.array(touchPointResource),
  messagesSent: z
    .array(
      z.object({
        touchPointId: z.string(),
        orderId: z.string(),
        step: z.string(),
        channel: z.string(),
        purpose: z.string(),
        sentAt: time,
      }),
    )
    .describe('every message sent to them (touch points sent), oldest first; the text is not kept'),
  surveyAnswers: z
    .array(
      z.object({
        eventId: z.string(),
        orderId: z.string().nullable(),
        at: time,
        survey: z.string(),
        score: z.number(),
        comment: z.string().nullable(),
      }),
    )
    .describe('their survey answers, oldest first'),
  suppressions: z
    .array(z.object({ reason: z.string(), createdAt: time }))
    .describe('the suppression list entry for their address (unsubscribed, bounced, complained)'),
  tasks: z.array(taskResource),
  concerns: z.array(concernResource),
  mailingList: z
    .array(
      z.object({
        email: z.string(),
        status: z.enum(['pending', 'confirmed', 'unsubscribed']),
        requestedAt: time,
        requestSource: z.string(),
        requestIp: z.string().nullable(),
        consent: z
          .object({
            confirmedAt: time,
            confirmIp: z.string().nullable(),
            confirmUserAgent: z.string().nullable(),
            wording: z.string().describe('what they agreed to, as the confirm page showed it'),
          })
          .nullable()
          .describe('the proof of consent: null until the sign-up is confirmed'),
        unsubscribedAt: time.nullable(),
        unsubscribeSource: z.string().nullable(),
        lastDigestAt: time.nullable(),
      }),
    )
    .describe('their mailing list sign-ups (by customer id or address), with the proof of consent'),
});

export const erasureResponse = z.object({
  customerId: z.string(),
  erasedAt: time,
  suppressed: z.boolean().describe('the e-mail address is on the suppression list, as a hash'),
  orders: z.number().int(),
  events: z.number().int(),
  tasks: z.number().int(),
  cancelledTouchPoints: z.number().int(),
  outboxFilesRemoved: z.number().int(),
  listSubscriptionsRemoved: z.number().int().describe('mailing list sign-ups removed'),
  tombstones: z
    .number()
    .int()
    .describe('keyed hashes kept of their id, address and phone; intake refuses them from now on'),
  waitingCopies: z
    .number()
    .int()
    .describe('webhook inbox entries and Idempotency-Key answers that named them, removed'),
});

export const errorResponse = z.object({
  error: z.object({
    code: z.string().describe('AFTERCARE_E_* (docs/errors.md)'),
    message: z.string(),
    details: json.describe('field, in, issues[] for invalid input'),
  }),
});

export type CustomerResource = z.input<typeof customerResource>;
export type OrderResource = z.input<typeof orderResource>;
export type EventResource = z.input<typeof eventResource>;
export type EnrollmentResource = z.input<typeof enrollmentResource>;
export type TouchPointResource = z.input<typeof touchPointResource>;
export type TaskStateResource = z.input<typeof taskStateResource>;
export type TaskResource = z.input<typeof taskResource>;
export type ConcernResource = z.input<typeof concernResource>;
export type IngestResult = z.input<typeof ingestResult>;
export type PlaybookSummary = z.input<typeof playbookSummary>;
export type PlaybookResource = z.input<typeof playbookResource>;
