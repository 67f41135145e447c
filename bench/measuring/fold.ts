// What the per-day store (store/sql/measuring.ts) costs and saves, timed on a seeded measuring
// store, shared by bench/sqlite/measure.ts and bench/postgres/measure.ts:
// - catchUp: counting every marked day once (after the seed, or the 0008 upgrade of an existing
//   database): the work the workers' fold job spreads over its ticks;
// - behind: the report's cells when the fold is `days` days behind (the latest days marked
//   again, as a busy dispatcher leaves them between two ticks), and folding them again.
import { performance } from 'node:perf_hooks';
import type { Millis } from '../../src/core/domain.js';
import { foldMarkedDays } from '../../src/engine/measureFold.js';
import type { Store } from '../../src/store/store.js';

export interface FoldTiming {
  catchUp: { days: number; seconds: number; rounds: number };
  behind: { days: number; cellsRunsMs: number[]; cellsMedianMs: number; refoldMs: number };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

export async function timeCatchUp(store: Store): Promise<FoldTiming['catchUp']> {
  const began = performance.now();
  const run = await foldMarkedDays(store.measuring, Number.POSITIVE_INFINITY);
  return {
    days: run.folded,
    seconds: Math.round((performance.now() - began) / 100) / 10,
    rounds: run.rounds,
  };
}

/** `mark(days)` marks those day numbers as changed, as the triggers would. */
export async function timeBehind(
  store: Store,
  now: Millis,
  days: number,
  runs: number,
  mark: (days: number[]) => Promise<void>,
): Promise<FoldTiming['behind']> {
  const today = Math.floor(now / 86_400_000);
  const latest = Array.from({ length: days }, (_, i) => today - i);
  const cellsRunsMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    await mark(latest);
    const began = performance.now();
    await store.measuring.cells({ asOf: now });
    cellsRunsMs.push(Math.round(performance.now() - began));
  }
  const began = performance.now();
  await foldMarkedDays(store.measuring, Number.POSITIVE_INFINITY);
  return {
    days,
    cellsRunsMs,
    cellsMedianMs: median(cellsRunsMs),
    refoldMs: Math.round(performance.now() - began),
  };
}
