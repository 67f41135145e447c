// The dispatcher: claim due touch points with a lease, decide (pure policies), render, send,
// and record outcomes fenced by their attempt number (dispatch/batch.ts). The same code runs in
// production, in tests and in `simulate`; only the Clock, the store and the channels differ.
import type { BusinessInfo } from '../core/business.js';
import type { GiftCatalogue } from '../core/gifts.js';
import type { Millis } from '../core/domain.js';
import type { Playbook } from '../core/playbook/types.js';
import type { PolicyConfig } from '../core/policy/types.js';
import type { ChannelRouter } from '../channels/router.js';
import type { Story } from '../core/stories/story.js';
import type { ConsentStore } from '../store/ports/consent.js';
import type { StoryStore } from '../store/ports/stories.js';
import type { DispatchQueue } from '../store/ports/queue.js';
import { TemplateRenderer } from '../templates/render.js';
import type { Clock } from './clock.js';
import { dispatchBatch, type OutcomeReport } from './dispatch/batch.js';
import type { DispatchOffers } from './dispatch/offer.js';
import { messageComposer, type StepResolver } from './dispatch/compose.js';
import { addStats, emptyBatchStats, type BatchStats } from './dispatch/stats.js';
import { LinkTokens } from './links/token.js';
import { PlaybookRegistry } from './playbookRegistry.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';

export type { BatchStats } from './dispatch/stats.js';
export type { OutcomeReport } from './dispatch/batch.js';

/** Sends that may be out without their outcome recorded, by default: also the most a crash can repeat. */
export const DEFAULT_MAX_UNRECORDED = 50;

export interface DispatcherOptions {
  queue: DispatchQueue;
  consent: ConsentStore;
  clock: Clock;
  channels: ChannelRouter;
  /**
   * The step of each touch point, from the playbook version it was planned under. Without it,
   * steps are looked up by name in `playbooks` and rendered with `renderer`.
   */
  steps?: StepResolver;
  playbooks?: readonly Playbook[];
  renderer?: TemplateRenderer;
  policy: PolicyConfig;
  business: BusinessInfo;
  publicUrl: string;
  /** Seals the links in messages; default: a random secret of this dispatcher's own (tests, simulate). */
  linkTokens?: LinkTokens;
  workerId: string;
  batchSize?: number;
  leaseMs?: Millis;
  /** Sends in flight at once within a batch. Default 1. */
  concurrency?: number;
  /**
   * At most this many sends are out without their outcome recorded: outcomes are written once
   * per this many sends (and at the end of each batch), so a crash can repeat at most this many
   * messages, each with the same Message-ID. Default 50.
   */
  maxUnrecorded?: number;
  /** Render only subjects (the simulator shows nothing else). */
  subjectOnly?: boolean;
  /** The gift catalogue gift tasks suggest from (AFTERCARE_GIFTS_FILE); none: no suggestions. */
  gifts?: GiftCatalogue | null;
  /** Insider offers: their catalogue and code store (AFTERCARE_OFFERS_FILE). */
  offers?: DispatchOffers | null;
  /**
   * The customer stories story steps tell (AFTERCARE_STORIES_DIR) and the store that remembers
   * who was told which; none: every story step is skipped (`no_story`).
   */
  stories?: { library: readonly Story[]; told: StoryStore } | null;
  retry?: RetryPolicy;
  /** Longest real-time sleep between polls when nothing is due (new work also wakes it). */
  idleMs?: number;
  random?: () => number;
  /** Told about every recorded outcome (logs, the demo's console, simulate's capture). */
  onOutcome?: (report: OutcomeReport) => void;
  onError?: (error: unknown) => void;
}

export class Dispatcher {
  private readonly batchSize: number;
  private readonly leaseMs: Millis;
  private readonly idleMs: number;
  private readonly batch: Parameters<typeof dispatchBatch>[0];
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** A wake() that came while the loop was busy: the next sleep returns at once. */
  private wakePending = false;

  constructor(private readonly options: DispatcherOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.idleMs = options.idleMs ?? 1000;
    const steps =
      options.steps ??
      PlaybookRegistry.fixed(
        options.playbooks ?? [],
        options.renderer ?? new TemplateRenderer({ dirs: [] }),
      ).steps();
    this.batch = {
      queue: options.queue,
      consent: options.consent,
      clock: options.clock,
      channels: options.channels,
      policy: options.policy,
      steps,
      compose: messageComposer({
        business: options.business,
        publicUrl: options.publicUrl,
        defaultTimezone: options.policy.defaultTimezone,
        linkTokens: options.linkTokens ?? LinkTokens.ephemeral(),
        subjectOnly: options.subjectOnly ?? false,
        gifts: options.gifts ? { catalogue: options.gifts, fx: options.policy.currency } : undefined,
        tips: options.policy.tips,
      }),
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      random: options.random ?? Math.random,
      leaseMs: this.leaseMs,
      worker: options.workerId,
      // How long before its lease ends a claim is no longer sent: a send must not outlive it.
      leaseMargin: Math.min(this.leaseMs / 10, 5_000),
      concurrency: Math.max(1, options.concurrency ?? 1),
      maxUnrecorded: Math.max(1, options.maxUnrecorded ?? DEFAULT_MAX_UNRECORDED),
      ...(options.offers ? { offers: options.offers } : {}),
      stories: options.stories ?? null,
      ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    };
  }

  /** Claim and process one batch of due touch points. */
  async runOnce(): Promise<BatchStats> {
    const { queue, clock } = this.options;
    const now = clock.now();
    const claimed = await queue.claimDue({
      now,
      limit: this.batchSize,
      leaseMs: this.leaseMs,
      worker: this.options.workerId,
    });
    const stats: BatchStats = { ...emptyBatchStats(), claimed: claimed.length };
    if (claimed.length > 0) await dispatchBatch(this.batch, claimed, now, stats);
    return stats;
  }

  /** Process batches until nothing is due at the clock's current time. */
  async runUntilIdle(): Promise<BatchStats> {
    const total = emptyBatchStats();
    for (;;) {
      const stats = await this.runOnce();
      addStats(total, stats);
      // A partial batch means nothing else was due: outcomes only ever move work later.
      if (stats.claimed < this.batchSize) return total;
    }
  }

  /** Run in the background until stop(): drain what is due, then sleep until the next due time or a wake(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
  }

  /** New work arrived (intake, a moved touch point): look now instead of at the next poll. */
  wake(): void {
    const wakeUp = this.wakeUp;
    this.wakeUp = null;
    if (wakeUp) wakeUp();
    else this.wakePending = true;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const stats = await this.runOnce();
        failures = 0;
        if (stats.claimed === this.batchSize) continue;
        const next = await this.options.queue.nextDueAt();
        const wait =
          next === null ? this.idleMs : Math.max(0, Math.min(this.idleMs, next - this.options.clock.now()));
        if (wait > 0) await this.sleep(wait);
      } catch (error) {
        // The store or a channel is down: keep the loop alive and back off; leases make sure
        // nothing claimed in the failed batch is lost.
        failures += 1;
        this.options.onError?.(error);
        await this.sleep(Math.min(30_000, 250 * 2 ** Math.min(failures, 7)));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakePending) {
      // New work was announced between the last look and this sleep: look again now.
      this.wakePending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
