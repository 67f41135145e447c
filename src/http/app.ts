// The HTTP application `aftercare serve` runs: the signed webhooks under /webhooks, and beside
// them everything a browser may read (health, readiness and metrics, the JSON API under
// /api/v1, every 404) with security headers and one error handler (bad input is a 4xx, never a
// 500). Built from its dependencies, so tests run the very same app in-process with inject().
import helmet from '@fastify/helmet';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Clock } from '../engine/clock.js';
import type { Commands } from '../engine/commands/commands.js';
import type { StepResolver } from '../engine/dispatch/compose.js';
import type { Intake } from '../engine/intake.js';
import type { LinkTokens } from '../engine/links/token.js';
import type { DealChangeSink } from '../integrations/crm/dealChange.js';
import type { Store } from '../store/store.js';
import { API_PREFIX, apiRoutes } from './api.js';
import { frameworkErrors, installErrorHandling } from './errors.js';
import { healthRoutes } from './health.js';
import { loggerOptions, logRequests } from './logging.js';
import { processMetrics, type Metrics } from './metrics.js';
import { registerRateLimiting } from './rateLimits.js';
import { decorateRequests } from './request.js';
import { publicPages } from './public/index.js';
import { dashboard } from './dashboard/index.js';
import { DASHBOARD_PREFIX } from './dashboard/routes.js';
import { webhookRoutes } from './webhooks/index.js';

export interface AppDeps {
  config: Readonly<Config>;
  /** For readiness, queue metrics and Idempotency-Key records; API routes use `commands`. */
  store: Store;
  intake: Intake;
  clock: Clock;
  /** The application commands the API's routes call. */
  commands: Commands;
  logger: FastifyBaseLogger | boolean;
  /** Wakes the dispatcher: new or moved work may be due now. */
  onIntake?: () => void;
  /** Default: the process's metrics (what /metrics shows in `aftercare serve`). */
  metrics?: Metrics;
  /** Opens the tokens of customers' links (the public pages). */
  linkTokens: LinkTokens;
  /** Each touch point's step from the version that planned it (the public pages' surveys). */
  steps: StepResolver;
  /** Where deal changes from the CRM webhooks go; without it /webhooks/hubspot and /pipedrive are 404. */
  deals?: DealChangeSink;
}

/** Expired Idempotency-Key records are deleted this often. */
const PURGE_EVERY_MS = 10 * 60_000;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const metrics = deps.metrics ?? processMetrics;
  const root = Fastify({
    ...loggerOptions(deps.logger, config.logLevel),
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    // Ids such as touch points' (`playbook:order:step`) are longer than Fastify's default of 100.
    routerOptions: { maxParamLength: 1000 },
    // A client that trickles its request is cut off instead of holding a connection forever.
    requestTimeout: 30_000,
    return503OnClosing: true,
    frameworkErrors,
  });
  decorateRequests(root);
  logRequests(root, metrics);
  // Webhooks sit outside the browser-facing scope: no browser reads a provider's answer, so they
  // pay for no security headers (helmet builds its middleware on every request it runs for).
  await root.register(webhookRoutes, {
    prefix: '/webhooks',
    config,
    clock: deps.clock,
    inbox: deps.store.inbox,
    intake: deps.intake,
    replies: deps.store.reads,
    metrics,
    ...(deps.onIntake ? { onIntake: deps.onIntake } : {}),
    ...(deps.deals ? { deals: deps.deals } : {}),
  });
  await root.register((app) => browserFacing(app, deps, metrics));
  return root;
}

/**
 * Everything a browser may read, under the security headers of helmet: health, metrics, the API,
 * the customers' public pages (public/), and every 404, webhook paths included.
 */
async function browserFacing(app: FastifyInstance, deps: AppDeps, metrics: Metrics): Promise<void> {
  const { config } = deps;
  await app.register(helmet, { global: true });
  installErrorHandling(app);
  await registerRateLimiting(app);
  metrics.watchQueue(() => deps.store.reads.counts());

  await app.register(healthRoutes, { store: deps.store, metrics });
  await app.register(apiRoutes, {
    prefix: API_PREFIX,
    config,
    commands: deps.commands,
    idempotency: deps.store.access,
    clock: deps.clock,
    metrics,
  });
  await app.register(publicPages, {
    config,
    clock: deps.clock,
    commands: deps.commands,
    linkTokens: deps.linkTokens,
    steps: deps.steps,
  });

  // The dashboard: its own scope holds the cookie, CSRF and form plugins (docs/dashboard.md).
  await app.register((scope) => dashboard(scope, { config, commands: deps.commands, clock: deps.clock }), {
    prefix: DASHBOARD_PREFIX,
  });
  // Ended sessions are deleted with the expired Idempotency-Key records.
  const purge = setInterval(() => {
    deps.commands.sessions.purge().catch((error: unknown) => {
      app.log.warn({ err: error }, 'could not purge ended dashboard sessions');
    });
    deps.store.access.purgeIdempotency(deps.clock.now()).catch((error: unknown) => {
      app.log.warn({ err: error }, 'could not purge expired Idempotency-Key records');
    });
  }, PURGE_EVERY_MS);
  purge.unref();
  app.addHook('onClose', (_instance, done) => {
    clearInterval(purge);
    done();
  });
}
