// Operations endpoints, without authentication: /healthz (the process answers), /readyz (the
// store answers, within two seconds) and /metrics (Prometheus text format).
import type { FastifyPluginCallback } from 'fastify';
import type { Store } from '../store/store.js';
import { errorBody } from './errors.js';
import type { Metrics } from './metrics.js';

const READY_TIMEOUT_MS = 2000;

export interface HealthDeps {
  store: Store;
  metrics: Metrics;
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export const healthRoutes: FastifyPluginCallback<HealthDeps> = (app, { store, metrics }, done) => {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      // The cheapest query every store answers from an index.
      await withTimeout(store.queue.nextDueAt(), READY_TIMEOUT_MS);
      return { status: 'ready', store: store.dialect };
    } catch (error) {
      request.log.warn({ err: error }, 'not ready: the store does not answer');
      return reply.code(503).send(errorBody('AFTERCARE_E_STORE', 'the store is unavailable'));
    }
  });

  app.get('/metrics', async (request, reply) => {
    const { contentType, text } = await metrics.scrape();
    return reply.type(contentType).send(text);
  });
  done();
};
