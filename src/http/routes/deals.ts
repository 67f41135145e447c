// Deals: create or update one, list them (a rep's: by owner, with the proposed meetings), read one
// with the plan its order will get, change its stage or expected close and agreed meeting times,
// and hand out its proposal links. The rules are the deal commands'; a deal an order closed or
// that was lost is a 409 for changes.
import { z } from 'zod';
import { DEAL_STAGES, type Deal } from '../../core/deals/deal.js';
import type { DealPreview } from '../../core/deals/preview.js';
import type { DealChange } from '../../engine/commands/deals.js';
import { AftercareError } from '../../errors.js';
import { iso } from '../present.js';
import { defineRoute, ok } from '../route.js';
import { listLimit } from '../schemas/common.js';
import {
  dealInput,
  dealPatchInput,
  dealResource,
  dealWithPlanResource,
  proposalLinksResource,
} from '../schemas/deals.js';
import { byId, listOf } from './customers.js';

const nullableIso = (at: number | null): string | null => (at === null ? null : iso(at));

export function presentDeal(d: Deal): z.input<typeof dealResource> {
  return {
    ...d,
    expectedCloseAt: iso(d.expectedCloseAt),
    meetings: d.meetings.map((m) => ({ ...m, at: iso(m.at) })),
    sharedAt: nullableIso(d.sharedAt),
    closedAt: nullableIso(d.closedAt),
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
  };
}

function presentPlan(preview: DealPreview) {
  return {
    playbooks: preview.playbooks,
    steps: preview.steps.map((s) => ({
      playbook: s.touchPoint.playbook,
      step: s.step.key,
      channel: s.step.channel,
      purpose: s.step.purpose,
      dueAt: iso(s.touchPoint.dueAt),
      description: s.step.description,
      conditional: s.conditional,
    })),
  };
}

function notFound(): AftercareError {
  return new AftercareError('AFTERCARE_E_NOT_FOUND', 'no deal with this id', { in: 'path', field: 'id' });
}

function changed(change: DealChange): Deal {
  if (change.ok) return change.deal;
  if (change.why === 'not_found') throw notFound();
  const { current } = change;
  throw new AftercareError(
    'AFTERCARE_E_CONFLICT',
    current.orderId !== null
      ? 'an order closed this deal: its plan is the customer’s now'
      : 'the deal is lost: its plan has ended',
    { stage: current.stage, orderId: current.orderId },
  );
}

export const dealRoutes = [
  defineRoute({
    method: 'POST',
    path: '/deals',
    scopes: ['write'],
    tag: 'Deals',
    summary: 'Create a deal (or update the one with the same source and externalId)',
    description:
      'The deal gets the plan its order will get, planned from the expected close in the contact’s time zone, ' +
      'with its check-up meetings and calls proposed.',
    body: dealInput,
    answer: { status: 201, description: 'the new deal with its plan', schema: dealWithPlanResource },
    also: [
      {
        status: 200,
        description: 'the deal was known (same source and externalId): updated',
        schema: dealWithPlanResource,
      },
    ],
    handle: async ({ body }, { deps }) => {
      const { deal, created } = await deps.commands.deals.upsert({
        ...body,
        expectedCloseAt: Date.parse(body.expectedCloseAt),
      });
      const plan = presentPlan(deps.commands.deals.preview(deal));
      return ok({ ...presentDeal(deal), plan }, created ? 201 : 200);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/deals',
    scopes: ['read'],
    tag: 'Deals',
    summary: 'Deals by expected close: a rep’s (owner), by stage, or those still waiting for their order',
    query: z.strictObject({
      owner: z.string().min(1).max(200).optional(),
      stage: z.enum(DEAL_STAGES).optional(),
      waiting: z
        .enum(['true', 'false'])
        .optional()
        .describe('true: only deals no order has closed (not lost)'),
      limit: listLimit.optional(),
    }),
    answer: { status: 200, description: 'at most `limit` (default 100) deals', schema: listOf(dealResource) },
    handle: async ({ query }, { deps }) => {
      const deals = await deps.commands.deals.list({
        ...(query.owner ? { owner: query.owner } : {}),
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.waiting === 'true' ? { waiting: true } : {}),
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      });
      return ok({ items: deals.map(presentDeal) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/deals/:id',
    scopes: ['read'],
    tag: 'Deals',
    summary: 'A deal with the plan its order will get',
    params: byId,
    answer: { status: 200, description: 'the deal and its plan', schema: dealWithPlanResource },
    errors: [404],
    handle: async ({ params }, { deps }) => {
      const deal = await deps.commands.deals.get(params.id);
      if (!deal) throw notFound();
      return ok({ ...presentDeal(deal), plan: presentPlan(deps.commands.deals.preview(deal)) });
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/deals/:id',
    scopes: ['write'],
    tag: 'Deals',
    summary: 'Change a deal’s stage, expected close, owner or agreed meeting times',
    description:
      'A new expected close moves the proposed meetings no time was agreed for. `lost` ends the plan ' +
      'silently: nothing is sent to anyone, and the proposal’s pages say it is no longer open.',
    params: byId,
    body: dealPatchInput,
    answer: { status: 200, description: 'the deal as it is now', schema: dealResource },
    errors: [404, 409],
    handle: async ({ params, body }, { deps }) => {
      const deal = changed(
        await deps.commands.deals.update(params.id, {
          ...(body.stage !== undefined ? { stage: body.stage } : {}),
          ...(body.expectedCloseAt !== undefined
            ? { expectedCloseAt: Date.parse(body.expectedCloseAt) }
            : {}),
          ...(body.owner !== undefined ? { owner: body.owner } : {}),
          ...(body.meetings !== undefined
            ? { meetings: body.meetings.map((m) => ({ step: m.step, at: Date.parse(m.at) })) }
            : {}),
        }),
      );
      return ok(presentDeal(deal));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/deals/:id/share',
    scopes: ['write'],
    tag: 'Deals',
    summary: 'The proposal’s links for the prospect: plan page, meetings (.ics), one-pager',
    description: 'Handing them out marks the plan as shared before the close (the report compares).',
    params: byId,
    answer: { status: 200, description: 'signed links', schema: proposalLinksResource },
    errors: [404, 409],
    handle: async ({ params }, { deps }) => {
      const shared = await deps.commands.deals.share(params.id);
      if (!shared.ok) changed(shared);
      if (!shared.ok) throw notFound();
      return ok({ ...shared.links, expiresAt: iso(shared.links.expiresAt) });
    },
  }),
];
