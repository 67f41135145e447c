// Keeping the report's stored days current (store/sql/measuring.ts): a periodic job in every
// worker (the cluster lock lets one run it at a time) that counts the days writes have marked,
// a few at a time, for up to a time budget per tick, so on SQLite the one connection is never
// held long; and the same loop run to the end before a report from the command line.
import type { FoldResult, MeasuringStore } from '../store/ports/measuring.js';
import type { PeriodicJob } from './periodic.js';

/** Days counted per fold, one transaction each: a day holds about 2,500 orders at 1,000,000 a year, so
 * on SQLite the connection is held for one such count at a time. */
export const FOLD_DAYS = 1;

export interface FoldRun extends FoldResult {
  /** Folds done in this run. */
  rounds: number;
}

/** Folds until nothing is pending or `budgetMs` (wall time) is spent. */
export async function foldMarkedDays(
  measuring: Pick<MeasuringStore, 'fold'>,
  budgetMs: number,
  now: () => number = Date.now,
): Promise<FoldRun> {
  const began = now();
  let folded = 0;
  let rounds = 0;
  for (;;) {
    const result = await measuring.fold(FOLD_DAYS);
    rounds += 1;
    folded += result.folded;
    if (result.pending === 0 || result.folded === 0 || now() - began >= budgetMs) {
      return { folded, pending: result.pending, rounds };
    }
  }
}

export function measureFoldJob(
  measuring: Pick<MeasuringStore, 'fold'>,
  options: { everyMs?: number; budgetMs?: number } = {},
): PeriodicJob<FoldRun> {
  const budgetMs = options.budgetMs ?? 1_000;
  return {
    name: 'measure-fold',
    everyMs: options.everyMs ?? 5_000,
    run: () => foldMarkedDays(measuring, budgetMs),
  };
}
