// What the compact plans hold after an ingest, read with the store's own codec (records/plan.ts):
// steps still scheduled, steps skipped as stale when they were planned (they should not be, with
// recent data), and the rest. Benchmarks report it to show the work planned was real.
import { decodePlan } from '../src/store/records/plan.js';

export interface PlanTally {
  scheduled: number;
  skippedStale: number;
  skippedOther: number;
  cancelled: number;
  queued: number;
}

export function emptyTally(): PlanTally {
  return { scheduled: 0, skippedStale: 0, skippedOther: 0, cancelled: 0, queued: 0 };
}

/** Adds the entries of one encoded plan to `tally`. */
export function tallyPlan(tally: PlanTally, encoded: string): void {
  for (const entry of decodePlan(encoded)) {
    if (entry.status === 'skipped') {
      if (entry.reason?.code === 'stale') tally.skippedStale += 1;
      else tally.skippedOther += 1;
    } else tally[entry.status] += 1;
  }
}

/** Plan steps scheduled and due at or before `at`, by step key. */
export function dueSteps(plans: Iterable<string>, at: number): Record<string, number> {
  const byStep: Record<string, number> = {};
  for (const encoded of plans) {
    for (const entry of decodePlan(encoded)) {
      if (entry.status === 'scheduled' && entry.dueAt <= at)
        byStep[entry.step] = (byStep[entry.step] ?? 0) + 1;
    }
  }
  return byStep;
}

export function tallyTotal(t: PlanTally): number {
  return t.scheduled + t.skippedStale + t.skippedOther + t.cancelled + t.queued;
}
