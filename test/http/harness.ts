// A real app for route tests: a SQLite store in a temp folder, the built-in playbooks, a virtual
// clock, fresh metrics, an API key, and the app itself (requests go through app.inject()).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { compose, type App } from '../../src/app/compose.js';
import { createEmailChannel } from '../../src/channels/email.js';
import type { Channel } from '../../src/channels/port.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { TaskChannel } from '../../src/channels/task.js';
import type { Playbook } from '../../src/core/playbook/types.js';
import { loadConfig, type Config } from '../../src/config.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { newApiKey } from '../../src/engine/commands/apiKeyTokens.js';
import { Dispatcher, type DispatcherOptions, type OutcomeReport } from '../../src/engine/dispatcher.js';
import type { Intake } from '../../src/engine/intake.js';
import { Metrics } from '../../src/http/metrics.js';
import type { Store } from '../../src/store/store.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { TEST_PG_URL, uniqueSchema } from '../reliability/server.js';
import type { TemplateRenderer } from '../../src/templates/render.js';

export const T0 = Date.UTC(2026, 5, 1, 12, 0, 0); // Monday 2026-06-01 12:00 UTC
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export interface TestApp {
  app: FastifyInstance;
  /** The process as the composition root built it (commands, intake, playbooks...). */
  composed: App;
  store: Store;
  clock: VirtualClock;
  config: Readonly<Config>;
  metrics: Metrics;
  renderer: TemplateRenderer;
  playbooks: readonly Playbook[];
  intake: Intake;
  dir: string;
  /** A valid API key and its Authorization header. */
  key: string;
  auth: { authorization: string };
  wakeUps: number;
  /** app.inject with the key already set (unless headers say otherwise). */
  call(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The app on SQLite (a file in the temp folder), or on PostgreSQL in a schema of its own. */
export async function openTestApp(
  env: Record<string, string> = {},
  options: { store?: 'sqlite' | 'postgres' } = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-http-'));
  const config = loadConfig({
    AFTERCARE_DATA_DIR: dir,
    AFTERCARE_HOLDOUT: '0',
    AFTERCARE_LOG_LEVEL: 'silent',
    ...env,
  });
  let dropSchema: (() => Promise<void>) | null = null;
  let store: Store;
  if (options.store === 'postgres') {
    const pg = await openPostgresStore(TEST_PG_URL, { schema: uniqueSchema('http'), poolSize: 8 });
    dropSchema = () => pg.dropSchema();
    store = pg;
  } else {
    store = await openSqliteStore(join(dir, 'aftercare.db'));
  }
  const clock = new VirtualClock(T0);
  const metrics = new Metrics({ processMetrics: false });
  const state = { wakeUps: 0 };
  // The same wiring as `serve`, on this store and clock; the store stays the harness's to close.
  const composed = await compose(config, {
    store,
    clock,
    onWake: () => {
      state.wakeUps += 1;
    },
  });
  const created = newApiKey('test', T0);
  await store.access.createApiKey(created.record);
  const app = await composed.buildHttp({ logger: false, metrics });
  const auth = { authorization: `Bearer ${created.key}` };
  return {
    app,
    composed,
    store,
    clock,
    config,
    metrics,
    renderer: composed.renderer,
    playbooks: composed.playbooks,
    intake: composed.intake,
    dir,
    key: created.key,
    auth,
    get wakeUps() {
      return state.wakeUps;
    },
    call: (options) => app.inject({ ...options, headers: { ...auth, ...options.headers } }),
    close: async () => {
      await app.close();
      await composed.close();
      await dropSchema?.();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A valid order body; `overrides` replace top-level fields. */
export function orderBody(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    placedAt: new Date(T0).toISOString(),
    customer: {
      email: 'ada.lovelace@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0018',
      timezone: 'Europe/London',
    },
    currency: 'GBP',
    total: 129.5,
    items: [{ sku: 'LAMP-1', productName: 'Desk lamp', quantity: 1, price: 129.5 }],
    ...overrides,
  };
}

/**
 * The production dispatcher on the app's store and clock: e-mail to `smtpUrl` or the outbox,
 * tasks to the store. Outcomes are collected (and fed to the app's metrics). `more`: the
 * optional features a test turns on (insider offers).
 */
export function dispatcherFor(
  t: TestApp,
  smtpUrl: string | null = null,
  more: Pick<DispatcherOptions, 'offers'> = {},
): { dispatcher: Dispatcher; outcomes: OutcomeReport[]; channels: ChannelRouter } {
  const outcomes: OutcomeReport[] = [];
  const email: Channel = createEmailChannel({
    smtpUrl,
    outboxDir: t.config.outboxDir,
    from: t.config.emailFrom,
  });
  const channels = new ChannelRouter([email, new TaskChannel(t.store.tasks, () => t.clock.now())]);
  const dispatcher = new Dispatcher({
    queue: t.store.queue,
    consent: t.store.consent,
    clock: t.clock,
    channels,
    renderer: t.renderer,
    playbooks: t.playbooks,
    policy: t.config.policy,
    business: t.config.business,
    publicUrl: t.config.publicUrl,
    // The app's own link secret, so the links in what it sends open on its pages.
    linkTokens: t.composed.linkTokens,
    workerId: 'test',
    ...more,
    onOutcome: (report) => {
      outcomes.push(report);
      t.metrics.recordOutcome(report);
    },
  });
  return { dispatcher, outcomes, channels };
}
