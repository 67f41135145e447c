// The CRM webhooks for deals: POST /hubspot and /pipedrive under the webhook prefix. Like the
// shop webhooks: raw bytes -> the vendor's check -> JSON -> the mapper, to learn what is a deal's
// stage change and what cannot be read -> the verified events durably in the inbox -> the answer.
// The inbox drain maps them again and hands the changes to the DealChangeSink.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Millis } from '../../core/domain.js';
import { verifyHubSpot } from '../../integrations/crm/hubspot/signature.js';
import { mapHubSpotEvent } from '../../integrations/crm/hubspot/map.js';
import { crmInboxEvent } from '../../integrations/crm/inbox.js';
import type { CrmMapped } from '../../integrations/crm/mapped.js';
import type { CrmSource } from '../../integrations/crm/dealChange.js';
import { mapPipedriveEvent } from '../../integrations/crm/pipedrive/map.js';
import { verifyPipedrive } from '../../integrations/crm/pipedrive/auth.js';
import { parseJsonData } from '../../integrations/json.js';
import type { Verification } from '../../integrations/mapping.js';
import { list } from '../../integrations/payload.js';
import { errorBody } from '../errors.js';
import type { InboxDraft, InboxAppender } from './inboxAppender.js';
import type { WebhookDeps } from './index.js';

/** How one request's events were read: each kept one with its payload, each unreadable one. */
interface Read {
  kept: { mapped: Extract<CrmMapped, { kind: 'change' }>; payload: unknown }[];
  invalid: { field: string; problem: string }[];
  ignored: string[];
}

/** An answer names at most this many unreadable events (a body of 100,000 `{}` is no reason for a huge one). */
const PROBLEMS_NAMED = 20;

interface CrmRoute {
  source: CrmSource;
  /** Null: answered 404, naming what is missing. */
  unconfigured(deps: WebhookDeps): string | null;
  verify(request: FastifyRequest, raw: Buffer, deps: WebhookDeps): Verification;
  read(payload: unknown, deps: WebhookDeps, now: Millis): Read;
}

const HUBSPOT: CrmRoute = {
  source: 'hubspot',
  unconfigured: (deps) =>
    deps.config.crm.hubspot === null
      ? 'AFTERCARE_HUBSPOT_CLIENT_SECRET'
      : deps.deals
        ? null
        : 'a deals handler',
  verify(request, raw, deps) {
    const hubspot = deps.config.crm.hubspot!;
    // HubSpot signs the URL it called; behind a proxy that is the public one.
    const uri = hubspot.webhookUrl ?? `${deps.config.publicUrl}${request.url}`;
    return verifyHubSpot(
      raw,
      request.headers,
      { method: request.method, uri },
      hubspot.clientSecret,
      deps.clock.now(),
    );
  },
  read(payload, deps, now) {
    // HubSpot always sends an array; anything else is not a HubSpot delivery.
    if (!Array.isArray(payload)) return unreadable('body', 'is not an array of HubSpot events');
    const stages = deps.config.crm.hubspot!;
    return collect(
      list(payload).map((event) => ({ mapped: mapHubSpotEvent(event, stages, now), payload: event })),
      (index, field) => `[${index}]${field === '' ? '' : `.${field}`}`,
    );
  },
};

const PIPEDRIVE: CrmRoute = {
  source: 'pipedrive',
  unconfigured: (deps) =>
    deps.config.crm.pipedrive === null
      ? 'AFTERCARE_PIPEDRIVE_WEBHOOK_USER/PASSWORD'
      : deps.deals
        ? null
        : 'a deals handler',
  verify(request, _raw, deps) {
    const { user, password } = deps.config.crm.pipedrive!;
    return verifyPipedrive(request.headers, user, password);
  },
  read: (payload, _deps, now) =>
    collect([{ mapped: mapPipedriveEvent(payload, now), payload }], (_index, field) => field),
};

export function crmRoutes(app: FastifyInstance, deps: WebhookDeps, appender: InboxAppender): void {
  const bodyLimit = deps.config.http.bodyLimitBytes;
  for (const route of [HUBSPOT, PIPEDRIVE])
    app.post(`/${route.source}`, { bodyLimit }, (request, reply) =>
      receive(route, deps, appender, request, reply),
    );
}

async function receive(
  route: CrmRoute,
  deps: WebhookDeps,
  appender: InboxAppender,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const missing = route.unconfigured(deps);
  if (missing !== null)
    return reply
      .code(404)
      .send(errorBody('AFTERCARE_E_NOT_FOUND', `${route.source} webhooks are not configured (${missing})`));
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const verification = route.verify(request, raw, deps);
  if (!verification.ok) {
    request.log.warn({ source: route.source, reason: verification.reason }, 'webhook signature refused');
    // One answer for every failure, as for the shop webhooks.
    return reply
      .code(401)
      .send(errorBody('AFTERCARE_E_UNAUTHORIZED', 'the webhook signature is missing, wrong or expired'));
  }
  let payload: unknown;
  try {
    payload = parseJsonData(raw.toString('utf8'));
  } catch {
    return reply
      .code(400)
      .send(errorBody('AFTERCARE_E_INPUT_INVALID', 'the body is not JSON', { reason: 'malformed_json' }));
  }
  const now = deps.clock.now();
  const read = route.read(payload, deps, now);
  if (read.kept.length === 0) {
    const first = read.invalid[0];
    if (first !== undefined)
      return reply.code(400).send(
        errorBody('AFTERCARE_E_INPUT_INVALID', `${first.field} ${first.problem}`, {
          field: first.field,
          reason: 'unsupported_payload',
          ...(read.invalid.length > 1 ? { problems: read.invalid.slice(0, PROBLEMS_NAMED) } : {}),
        }),
      );
    const reason = read.ignored[0] ?? 'no events';
    request.log.info({ source: route.source, reason }, 'webhook ignored');
    return reply.code(202).send({ received: true, ignored: reason });
  }
  const drafts: InboxDraft[] = read.kept.map(({ mapped, payload: event }) => ({
    event: crmInboxEvent(mapped.change, event, now),
    source: route.source,
  }));
  // The readable events of a delivery are kept even when others in it are not.
  if (read.invalid.length > 0)
    request.log.warn(
      {
        source: route.source,
        problems: read.invalid.slice(0, PROBLEMS_NAMED),
        unreadable: read.invalid.length,
      },
      'webhook events unreadable; the others kept',
    );
  await appender.append(drafts);
  return reply.code(200).send({
    received: true,
    events: read.kept.map(({ mapped }) => ({
      id: mapped.change.id,
      status: 'queued',
      deal: mapped.change.externalId,
      stage: mapped.change.stage,
    })),
    ...(read.invalid.length > 0 ? { invalid: read.invalid.slice(0, PROBLEMS_NAMED) } : {}),
  });
}

function collect(
  items: { mapped: CrmMapped; payload: unknown }[],
  fieldOf: (index: number, field: string) => string,
): Read {
  const read: Read = { kept: [], invalid: [], ignored: [] };
  items.forEach(({ mapped, payload }, index) => {
    if (mapped.kind === 'change') read.kept.push({ mapped, payload });
    else if (mapped.kind === 'ignored') read.ignored.push(mapped.reason);
    else read.invalid.push({ field: fieldOf(index, mapped.field), problem: mapped.problem });
  });
  return read;
}

const unreadable = (field: string, problem: string): Read => ({
  kept: [],
  invalid: [{ field, problem }],
  ignored: [],
});
