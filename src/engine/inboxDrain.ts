// The inbox drain: webhooks are acknowledged once their events are appended to the store's
// inbox; this takes those entries in large batches under a lease, runs each batch through the
// engine's Intake (one transaction), reports what intake said, and forgets the entries once that
// committed. Several processes may drain one inbox: a lease keeps two drains off one entry, and
// a crash between intake and ack only repeats an intake, which event ids make harmless.
import { systemNow } from './clock.js';
import { performance } from 'node:perf_hooks';
import type { Millis } from '../core/domain.js';
import { AftercareError } from '../errors.js';
import type { InboxEntry, InboxStore } from '../store/ports/inbox.js';
import type { IntakeResult } from '../store/ports/intake.js';
import type { Intake } from './intake.js';

export interface DrainedBatch {
  entries: InboxEntry[];
  /** Intake's verdict on each entry's event, in the same order. */
  results: IntakeResult[];
  /** From the receipt of the batch's oldest entry to the commit of its intake. */
  lagMs: Millis;
}

export interface InboxDrainOptions {
  inbox: InboxStore;
  intake: Pick<Intake, 'ingest'>;
  /** Entries taken and applied in one intake call at most. */
  batchSize: number;
  /** The longest an entry appended in this process waits for a fuller batch. */
  maxWaitMs: Millis;
  /** How long taken entries are held from other drains. */
  leaseMs?: Millis;
  /** How often an idle drain looks for entries it was not told about (other processes, a crash). */
  pollMs?: Millis;
  /** On stop, how long the drain keeps applying what is waiting before it leaves the rest. */
  stopDrainMs?: Millis;
  /** Time for leases, receipts and lag (default: the wall clock); timers always run on real time. */
  now?: () => Millis;
  /** A batch's intake committed (called before its entries are acknowledged). */
  onApplied?: (batch: DrainedBatch) => void;
  /** The drain found nothing to take. */
  onIdle?: () => void;
  /** Taking, applying or acknowledging failed; `entries` are the ones concerned. */
  onError?: (error: unknown, entries: InboxEntry[]) => void;
}

/** Long enough for any batch to commit; failed entries are retried when it ends. */
export const DEFAULT_INBOX_LEASE_MS: Millis = 30_000;
const DEFAULT_POLL_MS = 1_000;
const DEFAULT_STOP_DRAIN_MS = 5_000;
/** After a failure, the drain waits this long before it takes again (a store that is down). */
const FAILURE_PAUSE_MS = 1_000;

export class InboxDrain {
  private readonly leaseMs: Millis;
  private readonly pollMs: Millis;
  private readonly now: () => Millis;
  private running: Promise<void> | null = null;
  private stopping = false;
  /** Entries appended in this process and not yet taken (as far as this drain knows). */
  private pending = 0;
  /** performance.now() of the oldest of those. */
  private pendingSince: number | null = null;
  private sleeping: { until: number; timer: NodeJS.Timeout; resolve: () => void } | null = null;

  constructor(private readonly options: InboxDrainOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_INBOX_LEASE_MS;
    this.pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.now = options.now ?? systemNow;
  }

  start(): void {
    if (this.running !== null) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** `count` entries were appended in this process: they are applied within the longest wait. */
  appended(count: number): void {
    if (count <= 0) return;
    this.pending += count;
    this.pendingSince ??= performance.now();
    if (this.pending >= this.options.batchSize) this.wake();
    else this.wakeBy(this.pendingSince + this.options.maxWaitMs);
  }

  /** Finishes the batch in hand, applies what is waiting (for a few seconds at most), then stops. */
  async stop(): Promise<void> {
    const running = this.running;
    if (running === null) return;
    this.stopping = true;
    this.wake();
    await running;
    this.running = null;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const outcome = await this.once();
      if (this.stopping) break;
      if (outcome === 'full' && (this.pending === 0 || this.pending >= this.options.batchSize)) {
        // A backlog (left by a stop, a crash or another process) or another full batch: go on, once
        // the requests that arrived meanwhile were answered. Entries appended here during the
        // batch otherwise wait as usual, so that they make a large batch rather than a small one.
        await new Promise<void>((resolve) => setImmediate(resolve));
      } else if (outcome === 'failed') {
        await this.sleep(FAILURE_PAUSE_MS);
      } else {
        await this.sleep(this.waitMs());
      }
    }
    // What was acknowledged before the stop is applied now rather than on the next start.
    const deadline = performance.now() + (this.options.stopDrainMs ?? DEFAULT_STOP_DRAIN_MS);
    while (performance.now() < deadline && (await this.once()) === 'full');
  }

  /** Until the entries appended here make a full batch or the oldest has waited long enough. */
  private waitMs(): number {
    if (this.pending >= this.options.batchSize) return 0;
    if (this.pendingSince === null) return this.pollMs;
    return this.pendingSince + this.options.maxWaitMs - performance.now();
  }

  /** Takes and applies one batch. */
  private async once(): Promise<'full' | 'partial' | 'empty' | 'failed'> {
    const { batchSize } = this.options;
    const counted = this.pending;
    const takenAt = performance.now();
    const now = this.now();
    let entries: InboxEntry[];
    try {
      entries = await this.options.inbox.takeInbox(batchSize, now, now + this.leaseMs);
    } catch (error) {
      this.options.onError?.(error, []);
      return 'failed';
    }
    // A batch that is not full took everything that was free when it was taken: what was
    // appended before is covered, what was appended while taking still waits.
    this.pending = Math.max(0, this.pending - (entries.length < batchSize ? counted : entries.length));
    this.pendingSince = this.pending === 0 ? null : Math.min(this.pendingSince ?? takenAt, takenAt);
    if (entries.length === 0) {
      this.options.onIdle?.();
      return 'empty';
    }
    const applied = await this.apply(entries);
    if (!applied) return 'failed';
    return entries.length === batchSize ? 'full' : 'partial';
  }

  /** Runs entries through intake and acknowledges them; false when intake failed for some. */
  private async apply(entries: InboxEntry[]): Promise<boolean> {
    let results: IntakeResult[];
    try {
      results = await this.options.intake.ingest(entries.map((entry) => entry.event));
    } catch (error) {
      // The entries stay held until their lease ends, then any drain retries them.
      this.options.onError?.(error, entries);
      if (entries.length === 1 || isStoreUnavailable(error)) return false;
      // Not the store: something in the batch itself. One by one, the others still go through.
      let allApplied = true;
      for (const entry of entries) allApplied = (await this.apply([entry])) && allApplied;
      return allApplied;
    }
    let oldest = Infinity;
    for (const entry of entries) oldest = Math.min(oldest, entry.receivedAt);
    this.options.onApplied?.({ entries, results, lagMs: Math.max(0, this.now() - oldest) });
    try {
      await this.options.inbox.ackInbox(entries.map((entry) => entry.seq));
    } catch (error) {
      // Applied but still in the inbox: taken again after the lease, intake finds duplicates.
      this.options.onError?.(error, entries);
    }
    return true;
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const delay = Math.max(0, ms);
      const timer = setTimeout(() => this.wake(), delay);
      // A drain someone forgot to stop does not keep a process alive on its own.
      timer.unref();
      this.sleeping = { until: performance.now() + delay, timer, resolve };
    });
  }

  private wake(): void {
    const sleeping = this.sleeping;
    if (sleeping === null) return;
    this.sleeping = null;
    clearTimeout(sleeping.timer);
    sleeping.resolve();
  }

  /** Makes a sleep that would last past `at` end then instead. */
  private wakeBy(at: number): void {
    const sleeping = this.sleeping;
    if (sleeping === null || sleeping.until <= at) return;
    const delay = at - performance.now();
    if (delay <= 0) return this.wake();
    clearTimeout(sleeping.timer);
    sleeping.until = at;
    sleeping.timer = setTimeout(() => this.wake(), delay);
    sleeping.timer.unref();
  }
}

function isStoreUnavailable(error: unknown): boolean {
  return error instanceof AftercareError && error.code === 'AFTERCARE_E_STORE';
}
