// Prometheus metrics (prom-client): what came in (ingest), the webhook inbox (depth at scrape
// time, lag of the latest batch), what the dispatcher did with due touch points (sent, skipped by
// reason, failed, lag from due to sent), the queue as the store counts it at scrape time, and the
// HTTP requests. Labels carry ids of nothing: no customer, order or touch point ever becomes a
// label. docs/api.md lists every metric.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ChannelName } from '../core/domain.js';
import type { OutcomeReport } from '../engine/dispatcher.js';
import type { Reason } from '../core/reasons.js';
import type { StatusCounts } from '../store/ports/reads.js';

/** Seconds from due to sent: a second to three days (quiet hours and caps defer by hours). */
const LAG_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 3 * 3600, 12 * 3600, 86_400, 3 * 86_400];
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Reasons are a closed set in the policies; anything else (free text) is folded into one label. */
/** Reason codes are a closed list (core/reasons.ts), so they make bounded metric labels. */
function reasonLabel(reason: Reason): string {
  return reason.code;
}

export type QueueCounter = () => Promise<StatusCounts>;
export type InboxCounter = () => Promise<number>;

export class Metrics {
  readonly registry = new Registry();
  private queueCounter: QueueCounter | null = null;
  private inboxCounter: InboxCounter | null = null;

  private readonly ingest = new Counter({
    name: 'aftercare_ingest_events_total',
    help: 'Events received, by source (api, shopify, stripe, tracking, standard, csv) and result',
    labelNames: ['source', 'result'] as const,
    registers: [this.registry],
  });
  private readonly due = new Counter({
    name: 'aftercare_touch_points_due_total',
    help: 'Due touch points the dispatcher took up (each attempt, deferrals and retries included)',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  private readonly sent = new Counter({
    name: 'aftercare_touch_points_sent_total',
    help: 'Touch points sent',
    labelNames: ['channel', 'purpose'] as const,
    registers: [this.registry],
  });
  private readonly skipped = new Counter({
    name: 'aftercare_touch_points_skipped_total',
    help: 'Touch points skipped by a policy, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly deferred = new Counter({
    name: 'aftercare_touch_points_deferred_total',
    help: 'Touch points put back to a later time (quiet hours, caps, business hours, retries), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly failed = new Counter({
    name: 'aftercare_touch_points_failed_total',
    help: 'Touch points that failed for good',
    labelNames: ['channel', 'reason'] as const,
    registers: [this.registry],
  });
  private readonly cancelled = new Counter({
    name: 'aftercare_touch_points_cancelled_total',
    help: 'Touch points cancelled by the dispatcher (program ended, step removed), by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly lag = new Histogram({
    name: 'aftercare_send_lag_seconds',
    help: 'Time from a touch point being due to it being sent',
    labelNames: ['channel'] as const,
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  private readonly inboxLag = new Gauge({
    name: 'aftercare_inbox_lag_seconds',
    help: 'From receipt to intake of the oldest webhook event in the latest inbox batch (0 once the inbox was found empty)',
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: 'aftercare_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    // A store that does not answer leaves the gauges empty; the scrape itself still succeeds.
    const counts = (): Promise<StatusCounts | null> =>
      (this.queueCounter?.() ?? Promise.resolve(null)).catch(() => null);
    // One store query per scrape serves both gauges.
    let pending: Promise<StatusCounts | null> | null = null;
    const shared = (): Promise<StatusCounts | null> => {
      pending ??= counts().finally(() => {
        pending = null;
      });
      return pending;
    };
    new Gauge({
      name: 'aftercare_queue_touch_points',
      help: 'Touch points in the store by status (scheduled and claimed are the queue)',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const found = await shared();
        this.reset();
        if (found) for (const [status, n] of Object.entries(found.touchPoints)) this.set({ status }, n);
      },
    });
    new Gauge({
      name: 'aftercare_queue_tasks',
      help: 'Tasks for people in the store by status',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const found = await shared();
        this.reset();
        if (found) for (const [status, n] of Object.entries(found.tasks)) this.set({ status }, n);
      },
    });
    const inboxCount = (): Promise<number | null> =>
      (this.inboxCounter?.() ?? Promise.resolve(null)).catch(() => null);
    new Gauge({
      name: 'aftercare_inbox_entries',
      help: 'Webhook events acknowledged and not yet through intake (held by a drain or not)',
      registers: [this.registry],
      async collect() {
        // NaN, not 0, while the store does not answer: an empty inbox is a claim it cannot make.
        this.set((await inboxCount()) ?? NaN);
      },
    });
    if (options.processMetrics !== false)
      collectDefaultMetrics({ register: this.registry, prefix: 'aftercare_' });
  }

  /** Where the queue gauges read their counts at scrape time (the app's store). */
  watchQueue(counter: QueueCounter): void {
    this.queueCounter = counter;
  }

  /** Where the inbox gauge reads its depth at scrape time (the app's store). */
  watchInbox(counter: InboxCounter): void {
    this.inboxCounter = counter;
  }

  /** The inbox drain applied a batch whose oldest event was received `lagMs` before. */
  recordInboxLag(lagMs: number): void {
    this.inboxLag.set(lagMs / 1000);
  }

  recordIngest(source: string, accepted: number, duplicates: number, rejected = 0): void {
    if (accepted > 0) this.ingest.inc({ source, result: 'accepted' }, accepted);
    if (duplicates > 0) this.ingest.inc({ source, result: 'duplicate' }, duplicates);
    if (rejected > 0) this.ingest.inc({ source, result: 'rejected' }, rejected);
  }

  /** The dispatcher's onOutcome hook. Outcomes the store refused (a stale attempt) count nowhere. */
  recordOutcome(report: OutcomeReport): void {
    if (!report.applied) return;
    const { touchPoint, outcome } = report;
    const channel: ChannelName = touchPoint.channel;
    this.due.inc({ channel });
    switch (outcome.kind) {
      case 'sent':
        this.sent.inc({ channel, purpose: touchPoint.purpose });
        this.lag.observe({ channel }, Math.max(0, outcome.at - touchPoint.dueAt) / 1000);
        return;
      case 'skipped':
        this.skipped.inc({ reason: reasonLabel(outcome.reason) });
        return;
      case 'rescheduled':
        this.deferred.inc({ reason: reasonLabel(outcome.reason) });
        return;
      case 'failed':
        this.failed.inc({ channel, reason: reasonLabel(outcome.reason) });
        return;
      case 'cancelled':
        this.cancelled.inc({ reason: reasonLabel(outcome.reason) });
        return;
    }
  }

  recordRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  /** The exposition text and its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}

/** The process's metrics: `aftercare serve` exposes these, the dispatcher and webhooks feed them. */
export const processMetrics = new Metrics();

/** For the webhooks plugin and other ingest paths: events accepted and duplicates, per source. */
export function recordIngest(source: string, accepted: number, duplicates: number, rejected = 0): void {
  processMetrics.recordIngest(source, accepted, duplicates, rejected);
}
