// The deal's input and resource as the API takes and shows them (routes/deals.ts): one input for
// every source (the API, CSV files, CRM webhooks mapped to it).
import { z } from 'zod';
import { DEAL_STAGES, MEETING_STATES } from '../../core/deals/deal.js';
import { CHANNELS, PURPOSES, SALE_KINDS, SEGMENTS } from '../../core/domain.js';
import { id, isoTime, mailbox, maybe, text, zone } from './common.js';

const time = z.string().describe('ISO 8601 time in UTC');
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code like EUR')
  .transform((code) => code.toUpperCase());
const name = text(200).trim().min(1, 'must not be empty');

export const dealInput = z.strictObject({
  source: maybe(text(50).describe('where the deal comes from (hubspot, pipedrive); with externalId')),
  externalId: maybe(id.describe("the source's own id: the same source and id update the deal")),
  company: name,
  domain: maybe(
    text(253)
      .regex(/^[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'must be a mail domain like nordlicht.example')
      .describe("the company's mail domain; default: the contact's (unless free mail)"),
  ),
  contact: z.strictObject({
    email: mailbox,
    name,
    phone: maybe(text(50)),
    locale: maybe(text(35).describe('de, fr-CA...: the language of the proposal pages')),
    timeZone: maybe(zone),
  }),
  owner: maybe(text(200).describe('the salesperson who owns the deal')),
  expectedCloseAt: isoTime,
  value: z.strictObject({ amount: z.number().min(0).max(1e12), currency }),
  segment: z.enum(SEGMENTS),
  kind: maybe(z.enum(SALE_KINDS).describe('goods ship; a service or software starts (default goods)')),
  leadDays: maybe(
    z
      .number()
      .int()
      .min(0)
      .max(365)
      .describe('days from the close until it is in hand or starts (goods 7, else 0)'),
  ),
  products: z.array(text(200)).max(100),
  stage: maybe(z.enum(DEAL_STAGES)),
});

export const dealPatchInput = z
  .strictObject({
    stage: z.enum(DEAL_STAGES).optional(),
    expectedCloseAt: isoTime.optional(),
    owner: maybe(text(200)),
    meetings: z
      .array(z.strictObject({ step: id, at: isoTime }))
      .max(50)
      .optional()
      .describe('agreed times for proposed meetings, by step key'),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'name at least one field to change');

const meetingResource = z.object({
  playbook: z.string(),
  step: z.string(),
  channel: z.enum(['task:meeting', 'task:call']),
  at: time,
  objective: z.string(),
  state: z.enum(MEETING_STATES),
});

const previewStepResource = z.object({
  playbook: z.string(),
  step: z.string(),
  channel: z.enum(CHANNELS),
  purpose: z.enum(PURPOSES),
  dueAt: time,
  description: z.string().nullable(),
  conditional: z.boolean().describe('depends on what the customer does later: shown, never promised'),
});

export const dealResource = z.object({
  id: z.string(),
  source: z.string().nullable(),
  externalId: z.string().nullable(),
  company: z.string(),
  domain: z.string().nullable(),
  contact: z.object({
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    locale: z.string().nullable(),
    timeZone: z.string().nullable(),
  }),
  owner: z.string().nullable(),
  expectedCloseAt: time,
  value: z.object({ amount: z.number(), currency: z.string() }),
  segment: z.enum(SEGMENTS),
  kind: z.enum(SALE_KINDS),
  leadDays: z.number().int(),
  products: z.array(z.string()),
  stage: z.enum(DEAL_STAGES),
  meetings: z
    .array(meetingResource)
    .describe('the check-up meetings and calls proposed, at the agreed times'),
  promised: z.array(
    z.object({ playbook: z.string(), step: z.string(), state: z.enum(['promised', 'planned', 'broken']) }),
  ),
  sharedAt: time.nullable().describe('when its plan was first handed out or opened'),
  orderId: z.string().nullable(),
  customerId: z.string().nullable(),
  closedAt: time.nullable(),
  createdAt: time,
  updatedAt: time,
});

export const dealWithPlanResource = dealResource.extend({
  plan: z.object({
    playbooks: z.array(z.object({ name: z.string(), version: z.number().int() })),
    steps: z.array(previewStepResource),
  }),
});

export const proposalLinksResource = z.object({
  plan: z.string().describe('the proposed plan page, for the prospect'),
  calendar: z.string().describe('the proposed meetings as an .ics file'),
  onePager: z.string().describe('a printable one-page summary to attach'),
  expiresAt: time,
});

const sharedPlanGroup = z.object({
  customers: z.number().int(),
  renewable: z.number().int(),
  renewed: z.number().int(),
  renewalRate: z.number().nullable(),
  npsAnswers: z.number().int(),
  nps: z.number().nullable(),
});

/** The report's deals section (core/measuring/sharedPlans.ts). */
export const sharedPlansResource = z
  .object({
    shared: sharedPlanGroup,
    notShared: sharedPlanGroup,
    kind: z.literal('descriptive'),
    note: z.string(),
  })
  .describe(
    'deal customers whose plan was shared before closing against the others: descriptive, not a lift',
  );
