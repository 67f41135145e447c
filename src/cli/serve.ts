// `aftercare serve [--demo]`: the long-running process. The composition root opens the store and
// builds the worker and the HTTP server; this command starts them, logs, and stops gracefully on
// SIGINT/SIGTERM. With --demo it also generates a shop's worth of orders in a fresh ./data/demo
// and feeds them in as a fast virtual clock passes.
import { rm, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DomainEvent } from '../core/domain.js';
import { toLocalIso } from '../core/localTime.js';
import { compose } from '../app/compose.js';
import { loadConfig, type Config } from '../config.js';
import { goLiveProblems, type GoLiveProblem } from '../config/goLive.js';
import { redactUrl } from '../config/redact.js';
import { ScaledClock, SystemClock, type Clock } from '../engine/clock.js';
import { DEFAULT_LEASE_MS } from '../engine/worker.js';
import { collectCsvEvents } from '../integrations/csv/collect.js';
import { formatRowError } from '../integrations/csv/rowError.js';
import { isHoldout } from '../core/holdout.js';
import { baseStepKey } from '../core/renewalCycle.js';
import { sampleStoriesDir } from '../config/stories.js';
import { writeDemoCsv } from '../integrations/demo/csv.js';
import { DEMO_EFFECT } from '../integrations/demo/effect.js';
import { generateDemoOrders, type DemoOrder } from '../integrations/demo/generate.js';
import { eventCondition, orderIn } from '../integrations/demo/worlds.js';
import { processMetrics } from '../http/metrics.js';
import { DASHBOARD_PREFIX } from '../http/dashboard/routes.js';
import type { UserCommands } from '../engine/commands/users.js';
import { DemoFeeder, type DemoWorlds } from './demoFeeder.js';
import { DemoRespondent } from './demoRespondent.js';
import { createLogger, outcomeLogger, shutdownSignal } from './logging.js';
import { EXIT_OK } from './exit.js';
import { demoSecret, requireSecret } from './secret.js';

export interface ServeOptions {
  demo?: boolean;
  /** Demo clock: virtual seconds per real second. */
  speed: number;
  /** Demo orders to generate. */
  orders: number;
  seed: string;
}

const DEMO_DIR = join('data', 'demo');
/** Outside the demo folder, which each demo starts by emptying: its links outlive a restart. */
const DEMO_SECRET_FILE = join('data', 'demo-secret');
const HOUR = 3_600_000;

/**
 * The worker's timing on the demo clock, where a real second is `speed` clock seconds: look
 * often so touch points go out on time, and keep the lease at a minute of real time. A lease
 * of a clock minute would end within milliseconds of a claim, and the dispatcher starts no
 * send on a lease that has run out: batches would be handed back instead of sent.
 */
export function demoWorkerTiming(speed: number): { idleMs: number; leaseMs: number } {
  return { idleMs: 100, leaseMs: DEFAULT_LEASE_MS * speed };
}

/**
 * The demo runs on its own data, whatever the environment points at, and never on real SMTP; it
 * signs its links with the configured secret, or one of its own.
 */
async function demoEnv(env: NodeJS.ProcessEnv): Promise<Record<string, string | undefined>> {
  return {
    ...env,
    AFTERCARE_SECRET: env.AFTERCARE_SECRET?.trim()
      ? env.AFTERCARE_SECRET
      : await demoSecret(DEMO_SECRET_FILE),
    AFTERCARE_DATA_DIR: DEMO_DIR,
    AFTERCARE_DB: join(DEMO_DIR, 'aftercare.db'),
    SMTP_URL: undefined,
    // The demo shop sells in nine currencies: fixed, illustrative rates into its USD base, so
    // "large order" steps work for every region (a real shop sets its own; never fetched).
    AFTERCARE_FX_RATES: env.AFTERCARE_FX_RATES?.trim() ? env.AFTERCARE_FX_RATES : DEMO_FX_RATES,
    // The demo's story steps tell the made-up sample stories, unless a library is configured.
    AFTERCARE_STORIES_DIR: env.AFTERCARE_STORIES_DIR?.trim() ? env.AFTERCARE_STORIES_DIR : sampleStoriesDir(),
  };
}

/** Illustrative rates into USD for the demo's currencies (late 2026 orders of magnitude). */
const DEMO_FX_RATES = 'EUR=1.08,GBP=1.27,CAD=0.73,AUD=0.66,NZD=0.6,JPY=0.0067,INR=0.012,BRL=0.19';

/** Back-filled history: this many days before the demo's own orders, and this many orders per demo order. */
const HISTORY_DAYS = 240;
const HISTORY_ORDERS_PER_ORDER = 6;

/**
 * Demo orders written as CSV into the demo folder (to look at), then read back like any import.
 * The files hold what customers of either group would do; the feeder passes on what theirs does.
 */
async function demoEvents(
  options: ServeOptions,
  start: number,
  config: Readonly<Config>,
  log: Logger,
): Promise<{ events: DomainEvent[]; orders: Map<string, DemoOrder> }> {
  const ordersFile = join(DEMO_DIR, 'orders.csv');
  const eventsFile = join(DEMO_DIR, 'events.csv');
  // Eight months of back-filled history (so repeat purchases within 90 and 180 days can be
  // judged), a couple of days of recent orders, then a few days of orders still to come.
  const orders = [
    ...generateDemoOrders({
      orders: options.orders,
      seed: options.seed,
      start,
      pastDays: 2,
      futureDays: 5,
      history: { days: HISTORY_DAYS, orders: options.orders * HISTORY_ORDERS_PER_ORDER },
    }),
  ];
  await writeDemoCsv(orders, ordersFile, eventsFile, 'both');
  const csv = await collectCsvEvents({
    orders: ordersFile,
    events: eventsFile,
    defaultTimezone: config.policy.defaultTimezone,
  });
  for (const error of csv.errors) log.warn(formatRowError(error));
  // Answers come from the customers answering the surveys really sent to them (demoRespondent.ts),
  // not from the files' answers, which no sent survey asked for.
  const events = csv.events.filter((e) => e.type !== 'survey.answered').sort((a, b) => a.at - b.at);
  return { events, orders: new Map(orders.map((o) => [o.orderId, o])) };
}

/** The demo's two worlds over its orders: an event's group, a customer's group as intake draws it. */
function demoWorlds(orders: ReadonlyMap<string, DemoOrder>, config: Readonly<Config>): DemoWorlds {
  return {
    conditionOf: (event) => {
      const order = event.orderId ? orders.get(event.orderId) : undefined;
      return order === undefined ? null : eventCondition(order, event.type);
    },
    groupOf: (customerId) =>
      isHoldout(customerId, config.holdoutShare, config.holdoutSalt) ? 'holdout' : 'treatment',
  };
}

function warnGoLive(log: Logger, problems: readonly GoLiveProblem[]): void {
  for (const { severity, variable, problem, fix } of problems) {
    log.warn(
      { goLive: severity, variable, fix },
      `GO-LIVE ${severity.toUpperCase()}: ${variable} ${problem}`,
    );
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  if (errors > 0) {
    log.warn(
      { goLive: 'summary', errors, warnings: problems.length - errors },
      `GO-LIVE: ${errors} problem(s) would hurt customers; \`aftercare doctor\` lists them with what to do`,
    );
  }
}

/** The demo's people: an owner and a rep, each with a password generated now and printed once. */
export const DEMO_USERS = [
  { email: 'owner@demo.aftercare.test', role: 'owner', name: 'Olivia Owner' },
  { email: 'rep@demo.aftercare.test', role: 'rep', name: 'Ravi Rep' },
] as const;

async function createDemoUsers(
  users: UserCommands,
): Promise<{ email: string; role: string; password: string }[]> {
  const logins: { email: string; role: string; password: string }[] = [];
  for (const person of DEMO_USERS) {
    const created = await users.create({ email: person.email, role: person.role, name: person.name });
    if (created.ok && created.generatedPassword !== null) {
      logins.push({ email: person.email, role: person.role, password: created.generatedPassword });
    }
  }
  return logins;
}

export async function serveCommand(options: ServeOptions): Promise<number> {
  if (options.demo) {
    await rm(DEMO_DIR, { recursive: true, force: true });
    await mkdir(DEMO_DIR, { recursive: true });
  }
  const config = loadConfig(options.demo ? await demoEnv(process.env) : process.env);
  requireSecret(config, 'serve');
  const log = createLogger(config.logLevel);
  // The demo is meant to run on demo settings; anything else hears every go-live problem, loudly.
  if (!options.demo) warnGoLive(log, goLiveProblems(config));
  const start = Date.now();
  const clock: Clock = options.demo ? new ScaledClock(start, options.speed) : new SystemClock();
  const app = await compose(config, { clock });
  const zone = config.policy.defaultTimezone;
  const logOutcome = outcomeLogger(log, clock, zone);
  let respondent: DemoRespondent | null = null;
  const worker = await app
    .startWorker({
      ...(options.demo ? demoWorkerTiming(options.speed) : {}),
      onOutcome: (report) => {
        logOutcome(report);
        processMetrics.recordOutcome(report);
        respondent?.heard(report);
      },
      onError: (where, error) => log.error({ where, err: error }, 'worker error'),
    })
    .catch(async (error: unknown) => {
      await app.close();
      throw error;
    });
  // The API and webhooks in the same process; new events wake the dispatcher at once.
  const http = await app.startHttp({ logger: log }).catch(async (error: unknown) => {
    await worker.stop();
    await app.close();
    throw error;
  });
  const inboundSmtp = await app.startInboundSmtp(log).catch(async (error: unknown) => {
    await http.close();
    await worker.stop();
    await app.close();
    throw error;
  });
  if (inboundSmtp !== null)
    log.info({ host: inboundSmtp.host, port: inboundSmtp.port }, 'listening for replies over SMTP');
  const demoLogins = options.demo ? await createDemoUsers(app.commands.users) : [];
  log.info(
    {
      db: redactUrl(config.db),
      playbooks: app.playbooks.map((p) => `${p.name}@${p.version}`),
      outbox: config.smtpUrl ? null : config.outboxDir,
      http: http.address,
    },
    `aftercare is running; API at ${http.address}/api/v1; Ctrl+C stops it`,
  );
  // Printed plainly, not only logged: the first thing a person trying the demo needs. On stderr,
  // so stdout stays one JSON log line per line for whatever collects the logs.
  process.stderr.write(`\nDashboard: ${http.address}${DASHBOARD_PREFIX}/\n`);
  for (const login of demoLogins) {
    process.stderr.write(`  demo ${login.role}: ${login.email}  password: ${login.password}\n`);
  }
  if (demoLogins.length > 0) {
    process.stderr.write('  (demo only: made fresh for this demo database, which the next demo empties)\n\n');
  }

  let feeder: DemoFeeder | null = null;
  if (options.demo) {
    const { events, orders } = await demoEvents(options, start, config, log);
    log.info(
      { effect: DEMO_EFFECT },
      'demo: the simulated customers have an effect built in (src/integrations/demo/effect.ts): holdout customers return and cancel more, buy again less and answer lower; the report should find it',
    );
    respondent = new DemoRespondent({
      ingest: (batch) => app.commands.ingest.events(batch),
      clock,
      speed: options.speed,
      seed: options.seed,
      surveyOf: (tp) =>
        app.playbooks
          .find((p) => p.name === tp.playbook)
          ?.steps.find((step) => step.key === baseStepKey(tp.stepKey))?.survey ?? null,
      troubled: (orderId, group) => {
        const order = orders.get(orderId);
        const lived = order === undefined ? null : orderIn(order, group);
        return lived !== null && (lived.delayedAt !== null || lived.returnedAt !== null);
      },
      onError: (error) => log.error({ err: error }, 'demo answer error'),
    });
    log.info(
      { orders: options.orders, events: events.length, speed: options.speed, folder: DEMO_DIR },
      `demo: ${events.length} events from ${options.orders} orders arrive as the clock runs ${options.speed}x (1 s = ${(options.speed / 3600).toFixed(2)} h)`,
    );
    feeder = new DemoFeeder({
      events,
      // The ingest command wakes the dispatcher when touch points may be due.
      ingest: async (batch) => (await app.commands.ingest.events(batch)).results,
      clock,
      speed: options.speed,
      onFed: (batch, results) => {
        const planned = results.reduce((sum, r) => sum + r.planned, 0);
        const byType = new Map<string, number>();
        for (const event of batch) byType.set(event.type, (byType.get(event.type) ?? 0) + 1);
        const what = [...byType].map(([type, n]) => `${n} ${type}`).join(', ');
        log.info(
          { virtualTime: toLocalIso(clock.now(), zone), events: batch.length, planned },
          `arrived: ${what} (${planned} touch points planned)`,
        );
      },
      onDone: () =>
        log.info(
          { virtualTime: toLocalIso(clock.now(), zone) },
          'demo: every event has arrived; touch points keep coming due',
        ),
      onError: (error) => log.error({ err: error }, 'demo feeder error'),
      worlds: demoWorlds(orders, config),
    });
    feeder.start();
  }

  const signal = await shutdownSignal(log);
  log.info({ signal }, 'stopping');
  await inboundSmtp?.close();
  await http.close();
  await feeder?.stop();
  respondent?.stop();
  const stats = await worker.stop();
  await app.close();
  log.info(
    { stats, virtualHours: options.demo ? Math.round((clock.now() - start) / HOUR) : undefined },
    'stopped',
  );
  return EXIT_OK;
}
