// The dispatcher: claim due touch points with a lease, decide (pure policies), render, send,
// and record each outcome fenced by its attempt number. The same code runs in production, in
// tests and in `simulate`; only the Clock and the channels differ.
import type { Millis, Purpose, TouchPoint } from '../core/domain.js';
import type { Playbook, Step } from '../core/playbook/types.js';
import type { BusinessInfo } from '../core/business.js';
import type { Decision, PolicyConfig } from '../core/policy/types.js';
import { decide } from '../core/policy/decide.js';
import { resolveZone } from '../core/localTime.js';
import { reason } from '../core/reasons.js';
import type { ConsentStore } from '../store/ports/consent.js';
import type { AttemptOutcome, ClaimedTouchPoint, DispatchQueue } from '../store/ports/queue.js';
import { ChannelError, type ChannelErrorKind } from '../channels/port.js';
import type { ChannelRouter } from '../channels/router.js';
import { templateContext, type TemplateRenderer } from '../templates/render.js';
import type { Clock } from './clock.js';
import { DEFAULT_RETRY_POLICY, retryDecision, type RetryPolicy } from './retry.js';
import { buildMessage, domainOf, linksFor } from './message.js';

export interface DispatcherOptions {
  queue: DispatchQueue;
  consent: ConsentStore;
  clock: Clock;
  channels: ChannelRouter;
  renderer: TemplateRenderer;
  playbooks: readonly Playbook[];
  policy: PolicyConfig;
  business: BusinessInfo;
  publicUrl: string;
  workerId: string;
  batchSize?: number;
  leaseMs?: Millis;
  /**
   * Sends in flight at once within a batch. Each send is recorded as soon as it returns, so this
   * is also the most a crash can ever resend (each resend with the same Message-ID). Default 1.
   */
  concurrency?: number;
  retry?: RetryPolicy;
  /** Longest real-time sleep between polls when nothing is due (new work also wakes it). */
  idleMs?: number;
  random?: () => number;
  /** Told about every recorded outcome (logs, the demo's console, simulate's capture). */
  onOutcome?: (report: OutcomeReport) => void;
  onError?: (error: unknown) => void;
}

export interface OutcomeReport {
  touchPoint: TouchPoint;
  outcome: AttemptOutcome;
  /** Whether the store accepted it (false: a newer attempt owns the touch point). */
  applied: boolean;
  subject: string | null;
}

export interface BatchStats {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  cancelled: number;
  retried: number;
  /** Outcomes the store refused because the lease was lost meanwhile (fencing). */
  stale: number;
  /** Sends not started because the lease had (nearly) run out before their turn: handed back. */
  expired: number;
}

/** Per-batch notes kept beside the outcomes: subjects for reports, which reschedules are retries. */
interface BatchScratch {
  subjects: Map<string, string>;
  retried: Set<string>;
  /** Sends recorded as they returned, and whether the store accepted each (fencing). */
  recorded: Map<string, boolean>;
  /** Touch points handed back unsent because the lease ran out before their turn. */
  expired: Set<string>;
  sends: GroupRecorder;
}

/**
 * Group commit for send outcomes: an outcome handed in while a write is under way joins the
 * next write, so concurrent sends share round trips while each caller still waits until its
 * own outcome is stored. Resolves whether the store accepted it (all of a write, or none of it
 * is reported accepted when fencing refused some: the store counts, it does not name).
 */
class GroupRecorder {
  private pending: {
    outcome: AttemptOutcome;
    done: (applied: boolean) => void;
    fail: (e: unknown) => void;
  }[] = [];
  private writing = false;

  constructor(private readonly queue: DispatchQueue) {}

  record(outcome: AttemptOutcome): Promise<boolean> {
    return new Promise((done, fail) => {
      this.pending.push({ outcome, done, fail });
      if (!this.writing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const group = this.pending;
      this.pending = [];
      try {
        const applied = await this.queue.recordOutcomes(group.map((entry) => entry.outcome));
        for (const entry of group) entry.done(applied === group.length);
      } catch (error) {
        for (const entry of group) entry.fail(error);
      }
    }
    this.writing = false;
  }
}

const MESSAGE_CHANNELS = new Set(['email', 'sms']);

export class Dispatcher {
  private readonly playbooks = new Map<string, Playbook>();
  private readonly steps = new Map<string, Map<string, Step>>();
  private readonly batchSize: number;
  private readonly leaseMs: Millis;
  /** How long before its lease ends a claim is no longer sent: a send must not outlive it. */
  private readonly leaseMargin: Millis;
  private readonly concurrency: number;
  private readonly retry: RetryPolicy;
  private readonly idleMs: number;
  private readonly random: () => number;
  private readonly messageDomain: string;
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  /** A wake() that came while the loop was busy: the next sleep returns at once. */
  private wakePending = false;

  constructor(private readonly options: DispatcherOptions) {
    for (const playbook of options.playbooks) {
      this.playbooks.set(playbook.name, playbook);
      this.steps.set(playbook.name, new Map(playbook.steps.map((step) => [step.key, step])));
    }
    this.batchSize = options.batchSize ?? 500;
    this.leaseMs = options.leaseMs ?? 60_000;
    this.leaseMargin = Math.min(this.leaseMs / 10, 5_000);
    this.concurrency = options.concurrency ?? 1;
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.idleMs = options.idleMs ?? 1000;
    this.random = options.random ?? Math.random;
    this.messageDomain = domainOf(options.business.fromEmail);
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
    if (claimed.length === 0) return stats;

    const decisions = await this.decideAll(claimed, now);
    const scratch: BatchScratch = {
      subjects: new Map(),
      retried: new Set(),
      recorded: new Map(),
      expired: new Set(),
      sends: new GroupRecorder(queue),
    };
    const outcomes = await this.executeAll(claimed, decisions, now, scratch);
    // Sends were recorded one by one as they returned; everything else (skips, defers, cancels,
    // retries) has no outside effect and is recorded together here.
    const rest = outcomes.filter((outcome) => !scratch.recorded.has(outcome.id));
    const restApplied = rest.length > 0 ? await queue.recordOutcomes(rest) : 0;
    const applied = restApplied + [...scratch.recorded.values()].filter(Boolean).length;
    stats.stale = outcomes.length - applied;
    for (const outcome of outcomes) this.count(stats, outcome, scratch);
    if (this.options.onOutcome) {
      // Per send the store says whether it applied; for the rest it says how many, so a partly
      // stale remainder is reported as stale as a whole (rare: a lost lease).
      const restAllApplied = restApplied === rest.length;
      outcomes.forEach((outcome, i) => {
        const touchPoint = claimed[i]!.touchPoint;
        this.options.onOutcome!({
          touchPoint,
          outcome,
          applied: scratch.recorded.get(outcome.id) ?? restAllApplied,
          subject: scratch.subjects.get(touchPoint.id) ?? null,
        });
      });
    }
    return stats;
  }

  /** Process batches until nothing is due at the clock's current time. */
  async runUntilIdle(): Promise<BatchStats> {
    const total = emptyBatchStats();
    for (;;) {
      const stats = await this.runOnce();
      for (const key of Object.keys(total) as (keyof BatchStats)[]) total[key] += stats[key];
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

  private async decideAll(claimed: ClaimedTouchPoint[], now: Millis): Promise<Decision[]> {
    const { queue, consent, policy } = this.options;
    const customerIds = [...new Set(claimed.map((c) => c.customer.id))];
    const emails = [
      ...new Set(claimed.flatMap((c) => (c.customer.email ? [c.customer.email.toLowerCase()] : []))),
    ];
    const [recent, suppressed] = await Promise.all([
      queue.recentNonTransactional(customerIds, now - policy.frequencyCap.windowMs),
      emails.length > 0 ? consent.suppressed(emails) : Promise.resolve(new Set<string>()),
    ]);
    return claimed.map(({ touchPoint, customer, order, enrollment }) => {
      const step = this.steps.get(touchPoint.playbook)?.get(touchPoint.stepKey) ?? null;
      const sends = recent.get(customer.id) ?? [];
      const decision = decide(
        {
          now,
          touchPoint,
          step,
          customer,
          order,
          enrollment,
          recentNonTransactional: sends,
          suppressed: customer.email !== null && suppressed.has(customer.email.toLowerCase()),
          playbook: this.playbooks.get(touchPoint.playbook) ?? null,
        },
        policy,
      );
      // Count this send against the cap for the rest of the batch, so one batch cannot
      // overshoot a customer's limit.
      if (decision.kind === 'send' && countsAgainstCap(touchPoint)) {
        sends.push(now);
        recent.set(customer.id, sends);
      }
      return decision;
    });
  }

  private async executeAll(
    claimed: ClaimedTouchPoint[],
    decisions: Decision[],
    now: Millis,
    scratch: BatchScratch,
  ): Promise<AttemptOutcome[]> {
    const outcomes = new Array<AttemptOutcome>(claimed.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < claimed.length) {
        const i = next++;
        outcomes[i] = await this.execute(claimed[i]!, decisions[i]!, now, scratch);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, claimed.length) }, worker));
    return outcomes;
  }

  private async execute(
    claim: ClaimedTouchPoint,
    decision: Decision,
    now: Millis,
    scratch: BatchScratch,
  ): Promise<AttemptOutcome> {
    const { id, attempt } = claim.touchPoint;
    switch (decision.kind) {
      case 'skip':
        return { kind: 'skipped', id, attempt, at: now, reason: reason(decision.reason) };
      case 'cancel':
        return { kind: 'cancelled', id, attempt, at: now, reason: decision.reason };
      case 'defer':
        return {
          kind: 'rescheduled',
          id,
          attempt,
          dueAt: decision.until,
          reason: reason(decision.reason),
        };
      case 'send':
        return this.send(claim, now, scratch);
    }
  }

  private async send(claim: ClaimedTouchPoint, now: Millis, scratch: BatchScratch): Promise<AttemptOutcome> {
    const { touchPoint, customer, order } = claim;
    const { id, attempt } = touchPoint;
    const step = this.steps.get(touchPoint.playbook)?.get(touchPoint.stepKey);
    const channel = this.options.channels.get(touchPoint.channel);
    if (!step) return { kind: 'cancelled', id, attempt, at: now, reason: reason('step_removed') };
    // A worker that stalled (a long GC pause, a frozen VM, a slow channel earlier in the batch)
    // may no longer own this claim: another worker can have taken it over. Do not send on a
    // lease that has run out or is about to; hand the touch point back instead (the store
    // refuses that too if someone else owns it now).
    if (this.options.clock.now() >= now + this.leaseMs - this.leaseMargin) {
      scratch.expired.add(id);
      return { kind: 'rescheduled', id, attempt, dueAt: now, reason: reason('lease_expired') };
    }
    if (!channel)
      return {
        kind: 'failed',
        id,
        attempt,
        at: now,
        reason: reason('no_channel', `no channel configured for ${touchPoint.channel}`),
      };

    let message;
    try {
      const zone = resolveZone(customer.timezone, this.options.policy.defaultTimezone);
      const trackingUrl = order.shipments.find((s) => s.trackingUrl)?.trackingUrl ?? null;
      const links = linksFor(this.options.publicUrl, touchPoint, trackingUrl);
      const context = templateContext({
        customer,
        order,
        touchPoint,
        step,
        business: this.options.business,
        links,
        now,
        zone,
      });
      const rendered = this.options.renderer.render(step.template, context);
      message = buildMessage({
        touchPoint,
        step,
        customer,
        rendered,
        links,
        messageDomain: this.messageDomain,
        now,
      });
      scratch.subjects.set(id, rendered.subject || rendered.title);
    } catch (error) {
      // A template that cannot render will not render on a retry either.
      return { kind: 'failed', id, attempt, at: now, reason: reason('render_failed', describe(error)) };
    }

    let receipt;
    try {
      receipt = await channel.send(message);
    } catch (error) {
      const kind: ChannelErrorKind = error instanceof ChannelError ? error.kind : 'retryable';
      const retry = retryDecision(kind, attempt, this.retry, this.random);
      if (retry.retry) {
        scratch.retried.add(id);
        return {
          kind: 'rescheduled',
          id,
          attempt,
          dueAt: now + retry.delayMs,
          reason: reason('retry', describe(error)),
        };
      }
      return { kind: 'failed', id, attempt, at: now, reason: reason('send_failed', describe(error)) };
    }
    // Record a send before this slot takes the next touch point: a crash can then repeat only
    // the sends not yet recorded (at most `concurrency`, one by default), never a whole batch.
    const sent: AttemptOutcome = { kind: 'sent', id, attempt, at: now, providerId: receipt.providerId };
    scratch.recorded.set(id, await scratch.sends.record(sent));
    return sent;
  }

  private count(stats: BatchStats, outcome: AttemptOutcome, scratch: BatchScratch): void {
    switch (outcome.kind) {
      case 'sent':
        stats.sent += 1;
        break;
      case 'skipped':
        stats.skipped += 1;
        break;
      case 'failed':
        stats.failed += 1;
        break;
      case 'cancelled':
        stats.cancelled += 1;
        break;
      case 'rescheduled':
        if (scratch.retried.has(outcome.id)) stats.retried += 1;
        else if (scratch.expired.has(outcome.id)) stats.expired += 1;
        else stats.deferred += 1;
        break;
    }
  }
}

function emptyBatchStats(): BatchStats {
  return {
    claimed: 0,
    sent: 0,
    skipped: 0,
    deferred: 0,
    failed: 0,
    cancelled: 0,
    retried: 0,
    stale: 0,
    expired: 0,
  };
}

function countsAgainstCap(touchPoint: { purpose: Purpose; channel: string }): boolean {
  return touchPoint.purpose !== 'transactional' && MESSAGE_CHANNELS.has(touchPoint.channel);
}

function describe(error: unknown): string {
  if (error instanceof ChannelError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}
