// What one dispatcher batch did, counted by outcome; summed across batches by runUntilIdle.
import type { AttemptOutcome } from '../../store/ports/queue.js';

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

export function emptyBatchStats(): BatchStats {
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

export function addStats(total: BatchStats, more: BatchStats): void {
  for (const key of Object.keys(total) as (keyof BatchStats)[]) total[key] += more[key];
}

/** Counts one outcome; a reschedule is a retry, a lease hand-back or a policy's deferral. */
export function countOutcome(stats: BatchStats, outcome: AttemptOutcome): void {
  switch (outcome.kind) {
    case 'sent':
      stats.sent += 1;
      return;
    case 'skipped':
      stats.skipped += 1;
      return;
    case 'failed':
      stats.failed += 1;
      return;
    case 'cancelled':
      stats.cancelled += 1;
      return;
    case 'rescheduled':
      if (outcome.reason.code === 'retry') stats.retried += 1;
      else if (outcome.reason.code === 'lease_expired') stats.expired += 1;
      else stats.deferred += 1;
      return;
  }
}
