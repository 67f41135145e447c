// The composition root: the one place a process is put together. From a validated Config it
// builds the store, the playbooks and their template renderer, the channels, the intake, the
// application commands, the worker and the HTTP server; every `aftercare` command, the HTTP tests
// and the benchmarks get their parts here, so no two processes are wired differently.
import { digestJob } from '../engine/list/digest.js';
import type { ListMailDeps } from '../engine/list/mail.js';
import type { FastifyInstance } from 'fastify';
import { configuredChannels } from '../channels/configured.js';
import { CountingChannel } from '../channels/counting.js';
import { Outbox } from '../channels/outbox.js';
import { measureFoldJob } from '../engine/measureFold.js';
import { ChannelRouter } from '../channels/router.js';
import { TaskChannel } from '../channels/task.js';
import type { DomainEvent } from '../core/domain.js';
import type { Playbook } from '../core/playbook/types.js';
import type { Config } from '../config.js';
import { SystemClock, type Clock } from '../engine/clock.js';
import {
  createCommands,
  createStoreCommands,
  type Commands,
  type StoreCommandDeps,
  type StoreCommands,
} from '../engine/commands/commands.js';
import { Intake, makeIntakeReducer } from '../engine/intake.js';
import { escalationJob, type EscalationWarning } from '../engine/listening/escalation.js';
import { Listener } from '../engine/listening/listener.js';
import { ladderRules } from '../core/listening/ladder.js';
import { configuredNotifier } from '../channels/notify.js';
import { LinkTokens } from '../engine/links/token.js';
import { messageComposer } from '../engine/dispatch/compose.js';
import { dealSink } from '../integrations/crm/dealSink.js';
import { PlaybookRegistry } from '../engine/playbookRegistry.js';
import { runSimulation, type SimulationInput, type SimulationResult } from '../engine/simulation.js';
import { startWorker, type WorkerEvents, type WorkerHandle, type WorkerTuning } from '../engine/worker.js';
import { buildApp, type AppDeps } from '../http/app.js';
import {
  startInboundSmtp,
  type InboundSmtp,
  type InboundSmtpLog,
} from '../integrations/replies/smtpListener.js';
import type { Metrics } from '../http/metrics.js';
import { startHttpServer, type HttpServer } from '../http/server.js';
import { openMemoryStore } from '../store/memory/store.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import type { TemplateRenderer } from '../templates/render.js';
import type { InteractionCatalogue } from '../core/measuring/interactions.js';
import { loadInteractions } from './interactions.js';
import { loadPlaybooks } from './playbooks.js';

export interface ComposeOptions {
  /** Default: the system clock. The demo passes a scaled clock, tests a virtual one. */
  clock?: Clock;
  /** An open store to use instead of opening `config.db` (tests); its opener closes it. */
  store?: Store;
  /** The clock of people's sessions; default: the system clock (also in the demo). */
  wallClock?: Clock;
  /** Told whenever the dispatcher is woken (tests count wake-ups). */
  onWake?: () => void;
  /**
   * Create the database when `config.db` names none (default). Commands that only read or manage
   * keys pass false: a mistyped AFTERCARE_DB then fails, naming the path, and creates nothing.
   */
  create?: boolean;
}

/** What `keys`, `status` and `migrate` need: the store, migrated, and the commands over it. */
export interface StoreApp {
  readonly config: Readonly<Config>;
  readonly clock: Clock;
  readonly store: Store;
  readonly commands: StoreCommands;
  close(): Promise<void>;
}

export interface HttpOptions {
  logger: AppDeps['logger'];
  /** Default: the process's metrics. */
  metrics?: Metrics;
}

/** A whole process: playbooks loaded and checked, intake, every command, worker and HTTP on demand. */
export interface App extends StoreApp {
  readonly commands: Commands;
  readonly playbooks: readonly Playbook[];
  readonly renderer: TemplateRenderer;
  readonly intake: Intake;
  /** Hears what customers said (unheard events): the worker runs it, commands wait for it. */
  readonly listener: Listener;
  /** Seals and opens the tokens of customers' links: AFTERCARE_SECRET, or a random one (tests). */
  readonly linkTokens: LinkTokens;
  /** Wakes this process's dispatcher and listener, if it runs a worker: new work may be due now. */
  wake(): void;
  /** The configured channels, made on first use and closed by close(). */
  channels(): ChannelRouter;
  startWorker(options?: WorkerTuning & WorkerEvents): Promise<WorkerHandle>;
  /** The HTTP app, not listening (tests inject requests). */
  buildHttp(options: HttpOptions): Promise<FastifyInstance>;
  /** The HTTP app listening on AFTERCARE_HOST:AFTERCARE_PORT. */
  startHttp(options: HttpOptions): Promise<HttpServer>;
  /** The reply listener on AFTERCARE_INBOUND_SMTP_HOST:PORT; null when no port is set. */
  startInboundSmtp(log: InboundSmtpLog): Promise<InboundSmtp | null>;
}

interface Base {
  config: Readonly<Config>;
  clock: Clock;
  store: Store;
  deps: StoreCommandDeps;
  /** Points the commands' wake-ups at a dispatcher once one runs. */
  wakeTo: (target: () => void) => void;
  closeStore: () => Promise<void>;
}

async function openBase(config: Readonly<Config>, options: ComposeOptions): Promise<Base> {
  const clock = options.clock ?? new SystemClock();
  const store = options.store ?? (await openStore(config.db, { create: options.create !== false }));
  const ownStore = options.store === undefined;
  try {
    await store.migrate();
  } catch (error) {
    if (ownStore) await store.close();
    throw error;
  }
  let target = (): void => undefined;
  let catalogue: Promise<InteractionCatalogue | null> | undefined;
  const outbox = new Outbox(config.outboxDir);
  return {
    config,
    clock,
    store,
    deps: {
      store,
      clock,
      // Erasure removes the outbox copies even when SMTP is set now: they may predate it.
      sentCopies: { remove: (ids) => outbox.remove(ids) },
      offers: config.offers,
      reportMaxLagMs: config.reportMaxLagMs,
      wake: () => {
        options.onWake?.();
        target();
      },
      // Read once, when a gap command first asks; a failed read is tried again next time.
      people: {
        clock: options.wallClock ?? new SystemClock(),
        lifetimes: { idleMs: config.dashboard.sessionIdleMs, absoluteMs: config.dashboard.sessionMaxMs },
        defaultTimeZone: config.policy.defaultTimezone,
      },
      interactions: () =>
        (catalogue ??= loadInteractions(config).catch((error: unknown) => {
          catalogue = undefined;
          throw error;
        })),
    },
    wakeTo: (next) => (target = next),
    closeStore: () => (ownStore ? store.close() : Promise.resolve()),
  };
}

/** The store at `config.db` (opened and migrated) and the commands that need nothing else. */
export async function composeStore(
  config: Readonly<Config>,
  options: ComposeOptions = {},
): Promise<StoreApp> {
  const base = await openBase(config, options);
  return {
    config,
    clock: base.clock,
    store: base.store,
    commands: createStoreCommands(base.deps),
    close: base.closeStore,
  };
}

function intakeFor(config: Readonly<Config>, store: Store, versions: PlaybookRegistry, clock: Clock): Intake {
  return new Intake(
    store.intake,
    makeIntakeReducer({
      playbooks: versions.current,
      versions,
      defaultTimezone: config.policy.defaultTimezone,
      currency: config.policy.currency,
      onMissingRate: (currency, orderId) =>
        process.emitWarning(
          `order ${orderId} is in ${currency}, which AFTERCARE_FX_RATES has no rate for: conditions on ` +
            `order.total_base are not met for ${currency} orders until one is set (base ${config.policy.currency.base})`,
          'AftercareWarning',
        ),
      holdoutShare: config.holdoutShare,
      holdoutSalt: config.holdoutSalt,
      now: () => clock.now(),
    }),
    undefined,
    versions,
    store.offers,
  );
}

/**
 * Everything a process runs with. The playbooks are loaded (and any problem reported) before the
 * store is opened, so a typo in a playbook never touches the store.
 */
export async function compose(config: Readonly<Config>, options: ComposeOptions = {}): Promise<App> {
  const { playbooks, renderer } = await loadPlaybooks(config.playbooks);
  const base = await openBase(config, options);
  const { store, clock } = base;
  // Each configured version is recorded with its templates; a changed playbook that kept its
  // version number stops start-up here (touch points are pinned to the version that planned them).
  let versions: PlaybookRegistry;
  try {
    versions = await PlaybookRegistry.open({ store: store.playbooks, playbooks, renderer, now: clock.now() });
  } catch (error) {
    await base.closeStore();
    throw error;
  }
  const intake = intakeFor(config, store, versions, clock);
  // Follow-ups the listener plans are told to this process's dispatcher once a worker runs here.
  let followUpPlanned = (): void => {};
  const listener = new Listener({
    store: store.listening,
    clock,
    businessHours: config.policy.businessHours,
    defaultTimezone: config.policy.defaultTimezone,
    rules: ladderRules(config.escalation.ladder),
    playbooks: versions.current,
    onPlanned: () => followUpPlanned(),
  });
  const linkTokens = linkTokensFor(config);
  let channels: ChannelRouter | null = null;
  const channelsOnce = (): ChannelRouter =>
    (channels ??= configuredChannels(config, store, () => clock.now()));
  // The mailing list's mails go straight to the e-mail channel (they are no playbook's touch points).
  const listMail: ListMailDeps = {
    linkTokens,
    publicUrl: config.publicUrl,
    business: config.business,
    email: () => channelsOnce().get('email') ?? null,
  };
  const commands = createCommands({
    ...base.deps,
    intake,
    playbooks,
    templates: renderer,
    listener,
    listMail,
    // The dashboard's simulation: `aftercare simulate`'s engine over these playbooks, bounded.
    simulate: ({ events, days, playbooks: chosen, deadline }) =>
      runSimulation({
        events,
        days,
        playbooks: [...chosen],
        renderer,
        config,
        ...simulationParts(),
        overBudget: () => Date.now() > deadline,
      }),
    proposals: {
      linkTokens,
      publicUrl: config.publicUrl,
      defaultTimezone: config.policy.defaultTimezone,
      currency: config.policy.currency,
    },
    // The outbox shows a sent message from its .eml copy, else composed again as the dispatcher
    // did; its links are sealed with a throwaway secret, so nothing in a preview opens as the customer.
    sentMessages: {
      copies: new Outbox(config.outboxDir),
      render: {
        steps: versions.steps(),
        compose: messageComposer({
          business: config.business,
          publicUrl: config.publicUrl,
          defaultTimezone: config.policy.defaultTimezone,
          linkTokens: LinkTokens.ephemeral(),
          gifts: { catalogue: config.gifts, fx: config.policy.currency },
          tips: config.policy.tips,
        }),
        offers: { catalogue: config.offers, codes: store.offers },
        stories: { library: config.stories.stories, told: store.stories },
      },
    },
  });
  const httpDeps = (http: HttpOptions): AppDeps => ({
    config,
    store,
    intake,
    clock,
    commands,
    logger: http.logger,
    onIntake: base.deps.wake,
    linkTokens,
    steps: versions.steps(),
    // CRM webhooks (HubSpot, Pipedrive) change deals through the deals command.
    deals: dealSink(commands.deals, { defaultTimezone: config.policy.defaultTimezone }),
    ...(http.metrics ? { metrics: http.metrics } : {}),
  });
  return {
    config,
    clock,
    store,
    commands,
    playbooks,
    renderer,
    intake,
    listener,
    linkTokens,
    wake: base.deps.wake,
    channels: channelsOnce,
    async startWorker(tuning = {}) {
      const worker = await startWorker({
        ...tuning,
        store,
        channels: channelsOnce(),
        steps: versions.steps(),
        maxUnrecorded: tuning.maxUnrecorded ?? config.dispatch.maxUnrecorded,
        policy: config.policy,
        business: config.business,
        publicUrl: config.publicUrl,
        linkTokens,
        gifts: config.gifts,
        offers: config.offers,
        stories: config.stories.stories,
        workerId: config.workerId,
        clock,
        listener,
        jobs: [
          digestJob({
            list: store.mailingList,
            reads: store.reads,
            consent: store.consent,
            queue: store.queue,
            mail: listMail,
            policy: config.policy,
            digestEveryMs: config.mailingList.digestEveryMs,
            checkEveryMs: config.mailingList.checkEveryMs,
          }),
          escalationJob({
            store: store.listening,
            ladder: config.escalation.ladder,
            notifier: configuredNotifier(config, channelsOnce().get('email') ?? null),
            onWarning: (warning) => tuning.onError?.('escalation', new Error(describeWarning(warning))),
          }),
          // Deals whose orders arrived are closed, and their agreed meetings kept (engine/commands/deals.ts).
          { name: 'deals', everyMs: 30_000, run: () => commands.deals.reconcile() },
          // The report's stored days follow the writes that changed them (engine/measureFold.ts).
          measureFoldJob(store.measuring),
        ],
      });
      base.wakeTo(() => {
        worker.dispatcher.wake();
        worker.wakeListener();
      });
      followUpPlanned = () => worker.dispatcher.wake();
      return worker;
    },
    buildHttp: (http) => buildApp(httpDeps(http)),
    startHttp: (http) => startHttpServer(httpDeps(http)),
    startInboundSmtp: async (log) => {
      const smtp = config.replies.smtp;
      if (smtp === null) return null;
      // Replies wait in the inbox; the webhook plugin's drain (in every `serve`) matches them.
      return startInboundSmtp({
        ...smtp,
        maxBytes: config.replies.maxBytes,
        inbox: store.inbox,
        now: () => clock.now(),
        log,
      });
    },
    async close() {
      try {
        await channels?.close();
      } finally {
        await base.closeStore();
      }
    },
  };
}

function describeWarning(warning: EscalationWarning): string {
  const failed = warning.failures.map((f) => `${f.target}: ${f.code} ${f.message}`).join('; ');
  const what = warning.outcome === 'held_back' ? 'held back, tried again next sweep' : 'climbed anyway';
  return `escalation notice for ${warning.concernId} (level ${warning.level}) not delivered, ${what}: ${failed}`;
}

/**
 * The configured link secret; without one (tests, and processes that send nothing: `serve` and
 * `worker` refuse to start without it) a random secret whose links die with the process.
 */
export function linkTokensFor(config: Readonly<Config>): LinkTokens {
  const { current, previous, linkLifetimes } = config.secrets;
  return current === null
    ? LinkTokens.ephemeral(linkLifetimes)
    : new LinkTokens({ current, previous }, linkLifetimes);
}

/** `simulate`: the playbooks, and runs of the production engine on a fresh store each time. */
export interface Simulator {
  readonly playbooks: readonly Playbook[];
  run(events: DomainEvent[], days: number): Promise<SimulationResult>;
}

/** What a simulation runs on: a fresh store in memory, channels that send nothing (tasks are kept). */
export function simulationParts(): Pick<SimulationInput, 'openStore' | 'channels'> {
  return {
    // A fixed install key: customers' ids, and so their holdout draws, are the same every run.
    openStore: () => openMemoryStore({ installKey: 'aftercare-simulation' }),
    channels: (store, now) => new ChannelRouter([new CountingChannel(), new TaskChannel(store.tasks, now)]),
  };
}

/** `refs`: the playbooks to simulate (default: the configured ones). Nothing is sent, nothing kept. */
export async function composeSimulation(
  config: Readonly<Config>,
  refs: readonly string[] = config.playbooks,
): Promise<Simulator> {
  const { playbooks, renderer } = await loadPlaybooks(refs);
  return {
    playbooks,
    run: (events, days) => runSimulation({ events, playbooks, renderer, days, config, ...simulationParts() }),
  };
}
