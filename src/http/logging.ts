// Logging of the HTTP layer: pino JSON lines with no secrets and no personal data beyond ids.
// Authorization headers and e-mail addresses are redacted wherever they appear in a log object,
// and each request is logged once, by route pattern (so no query string, e-mail or id from a URL).
import {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyServerOptions,
} from 'fastify';
import type { LogLevel } from '../config.js';
import type { Metrics } from './metrics.js';

export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'request.headers.authorization',
  'headers["idempotency-key"]',
  'email',
  '*.email',
  '*.*.email',
  'customer.email',
  ...['phone', 'firstName', 'lastName', 'subject', 'title'].flatMap((key) => [key, `*.${key}`]),
  'body',
  'req.body',
];

const REDACT = { paths: REDACT_PATHS, censor: '[redacted]' };

/** Fastify's logging options for a ready pino logger, a fresh one (true) or none (false). */
export function loggerOptions(
  logger: FastifyBaseLogger | boolean,
  level: LogLevel,
): Pick<FastifyServerOptions, 'logger' | 'loggerInstance' | 'logController'> {
  // Fastify's own request lines are replaced by logRequests' single line.
  const logController = new LogController({ disableRequestLogging: true });
  if (logger === false) return { logger: false, logController };
  if (logger === true) return { logger: { level, redact: REDACT }, logController };
  return { loggerInstance: logger.child({ component: 'http' }, { redact: REDACT }), logController };
}

/** One line per request (debug for health checks and scrapes), and its duration as a metric. */
export function logRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    // The pattern, never the URL: a URL may carry an e-mail (?email=) and unmatched ones are unbounded.
    const route = request.routeOptions.url ?? 'unmatched';
    const ms = reply.elapsedTime;
    metrics.recordRequest(request.method, route, reply.statusCode, ms / 1000);
    const quiet = route === '/healthz' || route === '/readyz' || route === '/metrics';
    const fields = {
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(ms * 10) / 10,
      ...(request.apiKey ? { key: request.apiKey.id } : {}),
    };
    if (quiet) request.log.debug(fields, 'request');
    else request.log.info(fields, 'request');
  });
}
