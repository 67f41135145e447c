// The engine's inbox drain as the webhook plugin runs it: built from the configuration, started
// when the app is ready and stopped when it closes (so every `serve` process drains, with no
// wiring of its own). Intake's verdicts go to the metrics and the log, and accepted events wake
// the dispatcher.
import type { FastifyBaseLogger } from 'fastify';
import type { InboxConfig } from '../../config/inbox.js';
import { InboxDrain, type DrainedBatch, type InboxDrainOptions } from '../../engine/inboxDrain.js';
import type { Intake, IntakeRejection } from '../../engine/intake.js';
import { UNMATCHED_REPLY } from '../../integrations/replies/match.js';
import type { InboxEntry, InboxStore } from '../../store/ports/inbox.js';
import type { Metrics } from '../metrics.js';

export interface WebhookDrainDeps {
  inbox: InboxStore;
  intake: Pick<Intake, 'ingest'>;
  config: InboxConfig;
  log: FastifyBaseLogger;
  metrics?: Metrics;
  /** Events were accepted: new work may be due now. */
  onIntake?: () => void;
  tuning?: WebhookDrainTuning;
}

/** What tests may change beyond the configuration. */
export type WebhookDrainTuning = Pick<InboxDrainOptions, 'leaseMs' | 'pollMs' | 'now' | 'stopDrainMs'>;

/** Error lines name at most this many event ids. */
const IDS_LOGGED = 10;

export function webhookDrain(deps: WebhookDrainDeps): InboxDrain {
  const { log, metrics } = deps;
  metrics?.watchInbox(() => deps.inbox.inboxDepth());
  return new InboxDrain({
    ...deps.tuning,
    inbox: deps.inbox,
    intake: deps.intake,
    batchSize: deps.config.batchSize,
    maxWaitMs: deps.config.maxWaitMs,
    onApplied: (batch) => {
      metrics?.recordInboxLag(batch.lagMs);
      if (report(batch, log, metrics) > 0) deps.onIntake?.();
    },
    onIdle: () => metrics?.recordInboxLag(0),
    onError: (error, entries) => {
      log.error(
        { err: error, entries: entries.length, events: ids(entries) },
        entries.length === 0
          ? 'webhook inbox could not be read'
          : 'webhook events could not be applied; they are retried when their lease ends',
      );
    },
  });
}

const ERASED: IntakeRejection = 'erased';

/** Counts per source and logs each rejection; returns how many events were accepted. */
function report(batch: DrainedBatch, log: FastifyBaseLogger, metrics: Metrics | undefined): number {
  const counts = new Map<string, { accepted: number; duplicates: number; rejected: number }>();
  let accepted = 0;
  batch.results.forEach((result, index) => {
    const source = batch.entries[index]?.source ?? 'unknown';
    const count = counts.get(source) ?? { accepted: 0, duplicates: 0, rejected: 0 };
    counts.set(source, count);
    if (result.duplicate) {
      count.duplicates += 1;
    } else if (result.rejected === UNMATCHED_REPLY) {
      // Mail from someone we do not know (or about nothing we sent): expected, not an error.
      count.rejected += 1;
      log.info({ source, event: result.eventId }, 'inbound reply matched no customer; dropped');
    } else if (result.rejected === ERASED) {
      // A provider replaying what it holds about someone erased: expected, and logged with
      // nothing that says whom (intake left the customer and order out of the result).
      count.rejected += 1;
      log.info(
        { source, event: result.eventId, reason: ERASED },
        'webhook event about an erased person; dropped',
      );
    } else if (result.rejected !== null) {
      count.rejected += 1;
      // The sender was answered 200 before intake ran; this line is where a rejection shows.
      log.error(
        { source, event: result.eventId, reason: result.rejected, order: result.orderId },
        'webhook event rejected by intake',
      );
    } else {
      count.accepted += 1;
      accepted += 1;
    }
  });
  for (const [source, count] of counts)
    metrics?.recordIngest(source, count.accepted, count.duplicates, count.rejected);
  return accepted;
}

function ids(entries: InboxEntry[]): string[] {
  return entries.slice(0, IDS_LOGGED).map((entry) => entry.event.id);
}
