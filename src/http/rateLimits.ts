// Rate limits on /api/v1, counted with @fastify/rate-limit's in-memory store: per client address
// before the key is checked (so guessing keys is slow), then per API key. Over the limit: 429
// AFTERCARE_E_RATE_LIMITED with Retry-After. Limits are per process.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type { RateLimit } from '../config/http.js';
import { AftercareError } from '../errors.js';

/** Registers the counting plugin once, on the root instance, without limiting any route by itself. */
export async function registerRateLimiting(app: FastifyInstance): Promise<void> {
  await app.register(rateLimit, { global: false, cache: 10_000 });
}

export function limitBy(
  app: FastifyInstance,
  name: 'address' | 'key',
  limit: RateLimit,
  keyOf: (request: FastifyRequest) => string,
): onRequestAsyncHookHandler {
  const check = app.createRateLimit({
    max: limit.max,
    timeWindow: limit.windowMs,
    keyGenerator: (request) => `${name}:${keyOf(request)}`,
  });
  return async (request, reply) => {
    const result = await check(request);
    if (result.isAllowed) return;
    reply.header('x-ratelimit-limit', result.max);
    reply.header('x-ratelimit-remaining', result.remaining);
    reply.header('x-ratelimit-reset', result.ttlInSeconds);
    if (!result.isExceeded) return;
    reply.header('retry-after', result.ttlInSeconds);
    throw new AftercareError(
      'AFTERCARE_E_RATE_LIMITED',
      `too many requests per ${name}; retry in ${result.ttlInSeconds} s`,
      {
        limit: name,
        retryAfterSeconds: result.ttlInSeconds,
      },
    );
  };
}
