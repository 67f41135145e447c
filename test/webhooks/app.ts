// A real webhook server for tests: the webhook plugin in a bare Fastify instance over a SQLite
// store (temp file), the intake with the built-in reassure playbook, and a virtual clock. The
// plugin's inbox drain runs as in `serve`; `drained()` waits until it has applied everything.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { loadConfig, type Config } from '../../src/config.js';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { Intake, makeIntakeReducer } from '../../src/engine/intake.js';
import { Metrics } from '../../src/http/metrics.js';
import type { WebhookDrainTuning } from '../../src/http/webhooks/drain.js';
import { webhookRoutes } from '../../src/http/webhooks/index.js';
import { signShopify } from '../../src/integrations/shopify/signature.js';
import { signStripe } from '../../src/integrations/stripe/signature.js';
import { signAfterShip } from '../../src/integrations/tracking/signature.js';
import type { DealChangeSink } from '../../src/integrations/crm/dealChange.js';
import { signHubSpotV3 } from '../../src/integrations/crm/hubspot/signature.js';
import { pipedriveAuthorization } from '../../src/integrations/crm/pipedrive/auth.js';
import type { InboxStore } from '../../src/store/ports/inbox.js';
import type { Store } from '../../src/store/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { TemplateRenderer } from '../../src/templates/render.js';

export const SECRETS = {
  SHOPIFY_WEBHOOK_SECRET: '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',
  STRIPE_WEBHOOK_SECRET: 'whsec_test_5c1f8e2a9b7d4c6e0f3a1b2c4d6e8f0a',
  TRACKING_WEBHOOK_SECRET: 'aftership-webhook-secret-9f8e7d6c',
  STANDARD_WEBHOOK_SECRET: 'whsec_' + Buffer.alloc(32, 9).toString('base64'),
} as const;

/** The CRM webhooks' credentials (their routes also need a deals sink: WorldOptions.deals). */
export const CRM_SECRETS = {
  AFTERCARE_HUBSPOT_CLIENT_SECRET: '6f0c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f',
  AFTERCARE_PIPEDRIVE_WEBHOOK_USER: 'aftercare-deals',
  AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD: 'pd-hook-3b9f1c7e5a2d',
} as const;

/** The URL HubSpot calls, by default: AFTERCARE_PUBLIC_URL's default and the route. */
export const HUBSPOT_URI = 'http://localhost:8080/webhooks/hubspot';

/** 2026-06-01T14:31:00Z: a minute after the fixtures' orders were placed. */
export const NOW = Date.parse('2026-06-01T14:31:00Z');

export interface WebhookWorld {
  app: FastifyInstance;
  store: Store;
  clock: VirtualClock;
  config: Readonly<Config>;
  metrics: Metrics;
  /** The real intake (the drain may run a wrapped one). */
  intake: Intake;
  /** How often the plugin woke the dispatcher. */
  intakeCalls: { count: number };
  /** Log lines of level warn and above, parsed. */
  logs: Record<string, unknown>[];
  /** Resolves once the inbox is empty: every acknowledged event went through intake. */
  drained(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Wraps what the drain runs events through (to hold, count or fail intake). */
  intake?: (real: Intake) => Pick<Intake, 'ingest'>;
  /** Wraps the inbox the plugin and its drain use. */
  inbox?: (real: InboxStore) => InboxStore;
  drain?: WebhookDrainTuning;
  /** Where the drain hands CRM deal changes; without it the CRM routes answer 404. */
  deals?: DealChangeSink;
}

export async function webhookWorld(
  env: Record<string, string> = SECRETS,
  options: WorldOptions = {},
): Promise<WebhookWorld> {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-webhooks-'));
  const config = loadConfig({ AFTERCARE_HOLDOUT: '0', ...env });
  const store = await openSqliteStore(join(dir, 'aftercare.db'));
  await store.migrate();
  const playbook = await loadPlaybookFile(
    builtinPlaybookPath('reassure'),
    new TemplateRenderer({ dirs: [] }),
  );
  const clock = new VirtualClock(NOW);
  const intake = new Intake(
    store.intake,
    makeIntakeReducer({
      playbooks: [playbook],
      defaultTimezone: 'UTC',
      holdoutShare: 0,
      holdoutSalt: 'test',
      now: () => clock.now(),
    }),
  );
  const intakeCalls = { count: 0 };
  const logs: Record<string, unknown>[] = [];
  const logger: FastifyBaseLogger = pino(
    { level: 'warn' },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const metrics = new Metrics({ processMetrics: false });
  const inbox = options.inbox ? options.inbox(store.inbox) : store.inbox;
  const app = Fastify({ loggerInstance: logger });
  await app.register(webhookRoutes, {
    prefix: '/webhooks',
    config,
    clock,
    inbox,
    intake: options.intake ? options.intake(intake) : intake,
    metrics,
    ...(options.drain ? { drain: options.drain } : {}),
    ...(options.deals ? { deals: options.deals } : {}),
    onIntake: () => {
      intakeCalls.count += 1;
    },
  });
  await app.ready();
  return {
    app,
    store,
    clock,
    config,
    metrics,
    intake,
    intakeCalls,
    logs,
    drained: (timeoutMs = 10_000) => inboxEmpty(store.inbox, timeoutMs),
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls the inbox until it is empty (acknowledged entries are gone only after their intake). */
export async function inboxEmpty(inbox: InboxStore, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await inbox.inboxDepth()) > 0) {
    if (Date.now() > deadline) throw new Error(`the inbox still holds entries after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** aftercare_ingest_events_total for one source and result. */
export async function ingestCount(metrics: Metrics, source: string, result: string): Promise<number> {
  const metric = await metrics.registry.getSingleMetric('aftercare_ingest_events_total')?.get();
  const sample = metric?.values.find((v) => v.labels.source === source && v.labels.result === result);
  return sample?.value ?? 0;
}

type Headers = Record<string, string>;

export function shopifyHeaders(
  body: Buffer | string,
  topic: string,
  webhookId: string,
  secret: string = SECRETS.SHOPIFY_WEBHOOK_SECRET,
): Headers {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-webhook-id': webhookId,
    'x-shopify-shop-domain': 'northwind-goods.myshopify.com',
    'x-shopify-api-version': '2026-04',
    'x-shopify-hmac-sha256': signShopify(body, secret),
  };
}

export function stripeHeaders(
  body: Buffer | string,
  now: number,
  secret: string = SECRETS.STRIPE_WEBHOOK_SECRET,
): Headers {
  return {
    'content-type': 'application/json; charset=utf-8',
    'stripe-signature': signStripe(body, secret, now),
  };
}

export function afterShipHeaders(
  body: Buffer | string,
  secret: string = SECRETS.TRACKING_WEBHOOK_SECRET,
): Headers {
  return { 'content-type': 'application/json', 'aftership-hmac-sha256': signAfterShip(body, secret) };
}

export function standardHeaders(
  body: Buffer | string,
  id: string,
  now: number,
  secret: string = SECRETS.STANDARD_WEBHOOK_SECRET,
): Headers {
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(now / 1000)),
    'webhook-signature': new Webhook(secret).sign(id, new Date(now), body.toString()),
  };
}

export function hubspotHeaders(
  body: Buffer | string,
  at: number,
  uri: string = HUBSPOT_URI,
  secret: string = CRM_SECRETS.AFTERCARE_HUBSPOT_CLIENT_SECRET,
): Headers {
  return { 'content-type': 'application/json', ...signHubSpotV3(body, secret, uri, at) };
}

export function pipedriveHeaders(
  user: string = CRM_SECRETS.AFTERCARE_PIPEDRIVE_WEBHOOK_USER,
  password: string = CRM_SECRETS.AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD,
): Headers {
  return { 'content-type': 'application/json', authorization: pipedriveAuthorization(user, password) };
}
