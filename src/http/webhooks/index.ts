// The webhook endpoints (POST /shopify, /stripe, /tracking, /standard under the prefix buildApp
// gives them). Each request: raw bytes -> signature check -> JSON -> provider mapping -> intake.
// Bad input is answered 4xx, never 5xx; a topic Aftercare does not use is accepted and ignored.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import type { Clock } from '../../engine/clock.js';
import type { Intake } from '../../engine/intake.js';
import { ERROR_CODES } from '../../errors.js';
import { asRequestError, errorBody } from '../errors.js';
import { IntakeBatcher } from './batcher.js';
import { SOURCES, WEBHOOK_SOURCES, type WebhookSource, type WebhookSourceName } from './sources.js';

export interface WebhookDeps {
  config: Readonly<Config>;
  intake: Intake;
  clock: Clock;
  /** Called after events were ingested (to wake the dispatcher early). */
  onIntake?: () => void;
  /** Counts per source for metrics: events accepted, duplicates dropped, events rejected by intake. */
  onIngest?: (source: WebhookSourceName, accepted: number, duplicates: number, rejected: number) => void;
}

export const webhookRoutes: FastifyPluginAsync<WebhookDeps> = (app, deps) => {
  // Encapsulated: only these routes read bodies as raw bytes, whatever the content type, because
  // the signature is over the bytes exactly as sent.
  const bodyLimit = deps.config.http.bodyLimitBytes;
  const batcher = new IntakeBatcher(deps.intake);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, done) => {
    done(null, body);
  });

  // The API's answers for what Fastify refuses (413, bad content) and for faults, so a webhook
  // sender gets the same error body whether or not buildApp wraps these routes.
  app.setErrorHandler((error: unknown, request, reply) => {
    const known = asRequestError(error);
    if (known !== null)
      return reply.code(known.status).send(errorBody(known.code, known.message, known.details));
    request.log.error({ err: error }, 'webhook failed');
    return reply.code(500).send(errorBody('AFTERCARE_E_INTERNAL', ERROR_CODES.AFTERCARE_E_INTERNAL.message));
  });

  for (const name of WEBHOOK_SOURCES) {
    const source = SOURCES[name];
    app.post(`/${name}`, { bodyLimit }, (request, reply) => receive(source, deps, batcher, request, reply));
  }
  return Promise.resolve();
};

async function receive(
  source: WebhookSource,
  deps: WebhookDeps,
  batcher: IntakeBatcher,
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
    case 'events': {
      const results = await batcher.ingest(mapped.events);
      const duplicates = results.filter((result) => result.duplicate).length;
      const rejected = results.filter((result) => result.rejected !== null);
      const accepted = results.length - duplicates - rejected.length;
      deps.onIngest?.(source.name, accepted, duplicates, rejected.length);
      if (accepted > 0) deps.onIntake?.();
      for (const result of rejected) {
        request.log.info(
          { source: source.name, event: result.eventId, reason: result.rejected },
          'webhook event rejected',
        );
      }
      return reply.code(200).send({
        received: true,
        events: results.map((result) => ({
          id: result.eventId,
          status: result.duplicate ? 'duplicate' : result.rejected !== null ? 'rejected' : 'accepted',
          ...(result.rejected !== null ? { reason: result.rejected } : {}),
          ...(result.orderId !== null ? { order_id: result.orderId } : {}),
        })),
      });
    }
  }
}
