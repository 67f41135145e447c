// The webhook endpoints (POST /shopify, /stripe, /tracking, /standard, and the CRMs' /hubspot and
// /pipedrive in crm.ts, under the prefix buildApp gives them). Each request: raw bytes ->
// signature check -> JSON -> provider mapping -> a durable append to the inbox, then the answer;
// intake runs afterwards, in large batches, in the inbox drain this plugin starts and stops with
// the app. Bad input is answered 4xx, never 5xx; a topic Aftercare does not use is accepted and
// ignored.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { systemNow, type Clock } from '../../engine/clock.js';
import type { Intake } from '../../engine/intake.js';
import { ERROR_CODES } from '../../errors.js';
import type { InboxStore } from '../../store/ports/inbox.js';
import { matchingReplies, type ReplyReads } from '../../integrations/replies/match.js';
import type { DealChangeSink } from '../../integrations/crm/dealChange.js';
import { applyingDealChanges } from '../../integrations/crm/drain.js';
import { asRequestError, errorBody } from '../errors.js';
import type { Metrics } from '../metrics.js';
import { webhookDrain, type WebhookDrainTuning } from './drain.js';
import { InboxAppender } from './inboxAppender.js';
import { inboundReplyRoutes } from './inbound.js';
import { crmRoutes } from './crm.js';
import { SOURCES, WEBHOOK_SOURCES, type WebhookSource } from './sources.js';

export interface WebhookDeps {
  config: Readonly<Config>;
  /** Signature timestamps are checked against it. */
  clock: Clock;
  /** Where acknowledged events wait for intake. */
  inbox: InboxStore;
  /** What the inbox drain runs them through. */
  intake: Pick<Intake, 'ingest'>;
  /** Called after the drain applied accepted events (to wake the dispatcher early). */
  onIntake?: () => void;
  /** Events by source and result, the inbox's depth and lag. */
  metrics?: Metrics;
  /** Leases, polling and the drain's wall clock (tests). */
  drain?: WebhookDrainTuning;
  /** Where the drain finds whose an inbound reply is; without it replies are not taken. */
  replies?: ReplyReads;
  /**
   * Where the drain hands deal changes from CRM webhooks (the deals command); without it
   * /hubspot and /pipedrive answer 404, since nothing would take what they acknowledge.
   */
  deals?: DealChangeSink;
}

export const webhookRoutes: FastifyPluginAsync<WebhookDeps> = (app, deps) => {
  // Encapsulated: only these routes read bodies as raw bytes, whatever the content type, because
  // the signature is over the bytes exactly as sent.
  const bodyLimit = deps.config.http.bodyLimitBytes;
  const drain = webhookDrain({
    inbox: deps.inbox,
    // Replies wait in the inbox without a customer; they are matched to one just before intake.
    // CRM deliveries are no domain events: they go to the deals sink instead.
    intake: applyingDealChanges(
      deps.replies ? matchingReplies(deps.intake, deps.replies) : deps.intake,
      deps.deals ?? null,
      deps.config.crm,
      () => deps.clock.now(),
    ),
    config: deps.config.inbox,
    log: app.log,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.onIntake ? { onIntake: deps.onIntake } : {}),
    ...(deps.drain ? { tuning: deps.drain } : {}),
  });
  const appender = new InboxAppender(deps.inbox, deps.drain?.now ?? systemNow, (count) =>
    drain.appended(count),
  );
  app.addHook('onReady', (done) => {
    drain.start();
    done();
  });
  // Runs once the server no longer takes requests, so every acknowledged append is in.
  app.addHook('onClose', (_instance, done) => {
    drain.stop().then(() => done(), done);
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    done(null, body);
  });

  // The API's answers for what Fastify refuses (413, bad content) and for faults, so a webhook
  // sender gets the same error body whether or not buildApp wraps these routes. A store that
  // cannot take the append is a 503 (AFTERCARE_E_STORE): the sender's retry will succeed.
  app.setErrorHandler((error: unknown, request, reply) => {
    const known = asRequestError(error);
    if (known !== null)
      return reply.code(known.status).send(errorBody(known.code, known.message, known.details));
    request.log.error({ err: error }, 'webhook failed');
    return reply.code(500).send(errorBody('AFTERCARE_E_INTERNAL', ERROR_CODES.AFTERCARE_E_INTERNAL.message));
  });

  for (const name of WEBHOOK_SOURCES) {
    const source = SOURCES[name];
    app.post(`/${name}`, { bodyLimit }, (request, reply) => receive(source, deps, appender, request, reply));
  }
  if (deps.replies) inboundReplyRoutes(app, deps, appender);
  crmRoutes(app, deps, appender);
  return Promise.resolve();
};

async function receive(
  source: WebhookSource,
  deps: WebhookDeps,
  appender: InboxAppender,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<unknown> {
  const secret = source.secret(deps.config);
  if (secret === null) {
    return reply
      .code(404)
      .send(
        errorBody('AFTERCARE_E_NOT_FOUND', `${source.name} webhooks are not configured (${source.variable})`),
      );
  }
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const verification = source.verify(raw, request.headers, secret, deps.clock.now());
  if (!verification.ok) {
    request.log.warn({ source: source.name, reason: verification.reason }, 'webhook signature refused');
    // One answer for every failure: the sender learns nothing about which part was wrong.
    return reply
      .code(401)
      .send(errorBody('AFTERCARE_E_UNAUTHORIZED', 'the webhook signature is missing, wrong or expired'));
  }
  let payload: unknown;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    // Includes bodies nested too deep for the parser (a RangeError): bad input all the same.
    return reply
      .code(400)
      .send(errorBody('AFTERCARE_E_INPUT_INVALID', 'the body is not JSON', { reason: 'malformed_json' }));
  }
  const mapped = source.map(request.headers, payload);
  switch (mapped.kind) {
    case 'invalid':
      return reply.code(400).send(
        errorBody('AFTERCARE_E_INPUT_INVALID', `${mapped.field} ${mapped.problem}`, {
          field: mapped.field,
          reason: 'unsupported_payload',
        }),
      );
    case 'ignored':
      request.log.info({ source: source.name, reason: mapped.reason }, 'webhook ignored');
      return reply.code(202).send({ received: true, ignored: mapped.reason });
    case 'events':
      // Durably in the inbox before the answer; intake's verdict (accepted, duplicate, rejected)
      // comes later, in the drain's metrics and log lines.
      await appender.append(mapped.events.map((event) => ({ event, source: source.name })));
      return reply.code(200).send({
        received: true,
        events: mapped.events.map((event) => ({
          id: event.id,
          status: 'queued',
          ...(event.orderId ? { order_id: event.orderId } : {}),
        })),
      });
  }
}
