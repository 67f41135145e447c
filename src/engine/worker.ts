// The worker loop: the dispatcher running in the background, woken by the store's "new due work"
// notices instead of polling, the cluster-wide periodic jobs, and a graceful stop. Many workers
// may share one PostgreSQL store; claims with leases keep them from doing work twice. Its parts
// come from the composition root (app/compose.ts), for `serve` and `worker` alike.
import type { BusinessInfo } from '../core/business.js';
import type { GiftCatalogue } from '../core/gifts.js';
import type { OfferCatalogue } from '../core/offers/offer.js';
import type { Story } from '../core/stories/story.js';
import type { ChannelRouter } from '../channels/router.js';
import type { Millis } from '../core/domain.js';
import type { PolicyConfig } from '../core/policy/types.js';
import type { ExpiredLease } from '../store/ports/queue.js';
import type { Store } from '../store/store.js';
import { SystemClock, type Clock } from './clock.js';
import type { StepResolver } from './dispatch/compose.js';
import { Dispatcher, type OutcomeReport } from './dispatcher.js';
import { Waker, listenerJob, type HearingReport, type Listener } from './listening/listener.js';
import type { LinkTokens } from './links/token.js';
import { PeriodicRunner, leaseSweepJob, type PeriodicJob, type PeriodicReport } from './periodic.js';

export interface WorkerTuning {
  batchSize?: number;
  leaseMs?: Millis;
  concurrency?: number;
  /** Sends that may be out without their outcome recorded (the most a crash can repeat). */
  maxUnrecorded?: number;
  /** Longest sleep between polls; long by default when the store announces new work. */
  idleMs?: number;
  sweepEveryMs?: Millis;
  /** A claim is swept back once its lease has been over for this long; default one lease. */
  sweepGraceMs?: Millis;
  /** How often the listener looks for unheard events no wake-up announced (default 5 s). */
  listenEveryMs?: Millis;
}

export interface WorkerEvents {
  onOutcome?: (report: OutcomeReport) => void;
  onSwept?: (leases: ExpiredLease[]) => void;
  onError?: (where: string, error: unknown) => void;
}

export interface WorkerParts extends WorkerTuning, WorkerEvents {
  store: Store;
  channels: ChannelRouter;
  /** Each touch point's step, from the playbook version it was planned under. */
  steps: StepResolver;
  policy: PolicyConfig;
  business: BusinessInfo;
  publicUrl: string;
  /** Seals the links in messages (the composition root's, from AFTERCARE_SECRET). */
  linkTokens?: LinkTokens;
  workerId: string;
  clock?: Clock;
  /** More periodic jobs run beside the lease sweep (escalation, temperature: later issues). */
  jobs?: PeriodicJob[];
  /** Hears what customers said: run periodically (under the cluster lock) and on wakeListener(). */
  listener?: Listener;
  /** What gift tasks suggest (AFTERCARE_GIFTS_FILE). */
  gifts?: GiftCatalogue | null;
  /** Insider offers (AFTERCARE_OFFERS_FILE); none: offer steps carry no code. */
  offers?: OfferCatalogue | null;
  /** The customer stories story steps tell (AFTERCARE_STORIES_DIR); none: story steps are skipped. */
  stories?: readonly Story[];
}

export interface WorkerStats {
  sent: number;
  skipped: number;
  failed: number;
  cancelled: number;
  rescheduled: number;
  /** Outcomes the store refused because another attempt owned the touch point (fencing). */
  stale: number;
  swept: number;
  wakeUps: number;
  errors: number;
}

export interface WorkerHandle {
  readonly dispatcher: Dispatcher;
  readonly stats: Readonly<WorkerStats>;
  /** New events may wait to be heard: run the listener soon (under the cluster lock). */
  wakeListener(): void;
  /**
   * Run one periodic job now (under the cluster lock) instead of at its next tick: what an operator
   * or a test on a virtual clock does when the clock has jumped. Null for a job the worker lacks.
   */
  runJob(name: string): Promise<PeriodicReport | null>;
  /** Finish the batch in hand, stop the jobs and the wake-ups; the caller closes store and channels. */
  stop(): Promise<WorkerStats>;
}

/** How long a claim is held before another worker may take it over (clock time). */
export const DEFAULT_LEASE_MS: Millis = 60_000;
/** Polling only backs up the notices (and catches rescheduled rows coming due). */
const IDLE_WITH_NOTICES = 5_000;
const IDLE_WITHOUT_NOTICES = 1_000;
const LISTEN_EVERY_MS = 5_000;

export async function startWorker(parts: WorkerParts): Promise<WorkerHandle> {
  const { store } = parts;
  const clock = parts.clock ?? new SystemClock();
  const leaseMs = parts.leaseMs ?? DEFAULT_LEASE_MS;
  const stats: WorkerStats = {
    sent: 0,
    skipped: 0,
    failed: 0,
    cancelled: 0,
    rescheduled: 0,
    stale: 0,
    swept: 0,
    wakeUps: 0,
    errors: 0,
  };
  const dispatcher = new Dispatcher({
    queue: store.queue,
    consent: store.consent,
    clock,
    channels: parts.channels,
    steps: parts.steps,
    policy: parts.policy,
    business: parts.business,
    publicUrl: parts.publicUrl,
    gifts: parts.gifts ?? null,
    offers: parts.offers
      ? {
          catalogue: parts.offers,
          store: store.offers,
          // An empty pool skips every later offer: an error line names it, so an operator imports more.
          onExhausted: (offer, touchPointId) =>
            parts.onError?.(
              'offers',
              new Error(
                `offer ${offer.id} has no codes left (touch point ${touchPointId} skipped offer_codes_exhausted); import more with aftercare offers codes import`,
              ),
            ),
        }
      : null,
    stories: { library: parts.stories ?? [], told: store.stories },
    ...(parts.linkTokens ? { linkTokens: parts.linkTokens } : {}),
    workerId: parts.workerId,
    batchSize: parts.batchSize,
    leaseMs,
    concurrency: parts.concurrency,
    maxUnrecorded: parts.maxUnrecorded,
    idleMs: parts.idleMs ?? (store.cluster ? IDLE_WITH_NOTICES : IDLE_WITHOUT_NOTICES),
    onOutcome: (report) => {
      if (!report.applied) stats.stale += 1;
      else if (report.outcome.kind === 'rescheduled') stats.rescheduled += 1;
      else stats[report.outcome.kind] += 1;
      parts.onOutcome?.(report);
    },
    onError: (error) => {
      stats.errors += 1;
      parts.onError?.('dispatch', error);
    },
  });

  let unsubscribe: (() => Promise<void>) | null = null;
  if (store.cluster) {
    unsubscribe = await store.cluster.onDueWork(() => {
      stats.wakeUps += 1;
      // A notice that lands while the dispatcher is busy is kept and honoured at its next sleep.
      dispatcher.wake();
    });
  }

  const listening = parts.listener
    ? listenerJob(parts.listener, parts.listenEveryMs ?? LISTEN_EVERY_MS)
    : null;
  const jobs: PeriodicJob[] = [
    ...(listening ? [listening] : []),
    leaseSweepJob({
      queue: store.queue,
      everyMs: parts.sweepEveryMs ?? Math.max(1_000, leaseMs / 2),
      graceMs: parts.sweepGraceMs ?? leaseMs,
    }),
    ...(parts.jobs ?? []),
  ];
  const periodic = new PeriodicRunner({
    cluster: store.cluster,
    clock,
    jobs,
    onRun: (report) => {
      if (report.job === 'listener' && report.ran) {
        // A customer whose events could not be heard is retried next round; say so each time.
        for (const failure of (report.result as HearingReport).failures) {
          stats.errors += 1;
          parts.onError?.(`listener: customer ${failure.customerId}`, failure.error);
        }
      }
      if (report.job !== 'lease-sweep' || !report.ran) return;
      const swept = report.result as ExpiredLease[];
      if (swept.length === 0) return;
      stats.swept += swept.length;
      parts.onSwept?.(swept);
      dispatcher.wake();
    },
    onError: (job, error) => {
      stats.errors += 1;
      parts.onError?.(job, error);
    },
  });

  const listenerWaker = new Waker(
    () => (listening ? periodic.runNow(listening) : Promise.resolve()),
    (error) => {
      stats.errors += 1;
      parts.onError?.('listener', error);
    },
  );

  dispatcher.start();
  periodic.start();

  let stopping: Promise<WorkerStats> | null = null;
  return {
    dispatcher,
    stats,
    wakeListener: () => {
      if (listening && !stopping) listenerWaker.wake();
    },
    runJob: async (name) => {
      const job = jobs.find((j) => j.name === name);
      return job === undefined ? null : periodic.runNow(job);
    },
    stop: () => {
      stopping ??= (async () => {
        await periodic.stop();
        await listenerWaker.idle();
        await dispatcher.stop();
        await unsubscribe?.().catch((error: unknown) => parts.onError?.('listen', error));
        return { ...stats };
      })();
      return stopping;
    },
  };
}
