// The /api/v1 plugin: JSON (and YAML for playbook checks) bodies hashed as received, the OpenAPI
// document, then, for every other route, in this order: the per-address limit, the Bearer key,
// the per-key limit, Idempotency-Key handling, and the routes themselves.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AftercareError } from '../errors.js';
import { authenticate } from './auth.js';
import { idempotencyCheck, idempotencyRecord } from './idempotency.js';
import { openApiDocument } from './openapi.js';
import { limitBy } from './rateLimits.js';
import { registerRoutes, type ApiDeps, type ApiRoute } from './route.js';
import { concernRoutes } from './routes/concerns.js';
import { customerRoutes } from './routes/customers.js';
import { dealRoutes } from './routes/deals.js';
import { gapRoutes } from './routes/gaps.js';
import { ingestRoutes } from './routes/ingest.js';
import { mailingListRoutes } from './routes/mailingList.js';
import { playbookRoutes, YAML_TYPES } from './routes/playbooks.js';
import { privacyRoutes } from './routes/privacy.js';
import { reportRoutes } from './routes/reports.js';
import { taskRoutes } from './routes/tasks.js';
import { touchPointRoutes } from './routes/touchPoints.js';

export const API_PREFIX = '/api/v1';

/** Every route of the API, in the order the OpenAPI document lists them. */
export const API_ROUTES: readonly ApiRoute[] = [
  ...ingestRoutes,
  ...customerRoutes,
  ...touchPointRoutes,
  ...taskRoutes,
  ...concernRoutes,
  ...playbookRoutes,
  ...privacyRoutes,
  ...reportRoutes,
  ...gapRoutes,
  ...mailingListRoutes,
  ...dealRoutes,
];

function hashBody(request: FastifyRequest, body: string): void {
  request.bodyHash = createHash('sha256').update(body, 'utf8').digest('hex');
}

function notJson(reason: string): AftercareError {
  return new AftercareError('AFTERCARE_E_INPUT_INVALID', `(body): ${reason}`, {
    in: 'body',
    field: '(body)',
  });
}

function bodyParsers(app: FastifyInstance): void {
  // Fastify's own JSON parser (prototype poisoning refused), wrapped so that the raw text is
  // hashed first and every failure is a 400 that repeats nothing of the input.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    hashBody(request, text);
    if (text.trim() === '') return done(notJson('the body is empty; send a JSON object'));
    try {
      void parseJson(request, text, (error, value) =>
        error ? done(notJson('the body is not valid JSON')) : done(null, value),
      );
    } catch {
      done(notJson('the body is not valid JSON'));
    }
  });
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    hashBody(request, text);
    done(null, text);
  });
}

export const apiRoutes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  bodyParsers(app);
  const { http } = deps.config;
  app.addHook(
    'onRequest',
    limitBy(app, 'address', http.ipRateLimit, (request) => request.ip),
  );

  const document = openApiDocument(API_ROUTES, API_PREFIX);
  app.get('/openapi.json', (_request, reply) => reply.send(document));

  await app.register((secured, _options, done) => {
    secured.addHook('onRequest', authenticate(deps.commands.apiKeys));
    secured.addHook(
      'onRequest',
      limitBy(secured, 'key', http.keyRateLimit, (request) => request.apiKey?.id ?? request.ip),
    );
    secured.addHook('preHandler', idempotencyCheck(deps.idempotency, deps.clock));
    secured.addHook('onSend', idempotencyRecord(deps.idempotency, deps.clock));
    registerRoutes(secured, API_ROUTES, deps);
    done();
  });
};
