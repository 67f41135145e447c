// What the per-day store (store/sql/measuring.ts) costs and saves, timed on a seeded measuring
// store, shared by bench/sqlite/measure.ts and bench/postgres/measure.ts:
// - catchUp: counting every marked day once (after the seed, or the 0008 upgrade of an existing
//   database): the work the workers' fold job spreads over its ticks;
// - behind: the report's cells when the fold is `days` days behind (the latest days marked
//   again, as a busy dispatcher leaves them between two ticks), and folding them again;
// - busy: a store that keeps writing, with the workers' fold job running as `serve` runs it
//   (engine/measureFold.ts): how many days stay marked and what a report costs meanwhile.
import { performance } from 'node:perf_hooks';
import type { Millis } from '../../src/core/domain.js';
import { foldMarkedDays, measureFoldJob } from '../../src/engine/measureFold.js';
import type { Store } from '../../src/store/store.js';

export interface FoldTiming {
  catchUp: { days: number; seconds: number; rounds: number };
  behind: { days: number; cellsRunsMs: number[]; cellsMedianMs: number; refoldMs: number };
  busy: BusyTiming;
}

export interface BusyTiming {
  seconds: number;
  /** Distinct days the writes marked per second (with repeats: the same hot days again). */
  marksPerSecond: number;
  /** Days folded by the fold job over the run, and its ticks. */
  folded: number;
  ticks: number;
  /**
   * Per report read: days still marked when it began; the time of a read that counts them all
   * (the default) and of one allowed LAG_MS (AFTERCARE_REPORT_MAX_LAG=5m), with the days that one
   * read as last counted.
   */
  reads: { marked: number; ms: number; laggedMs: number; laggedDays: number }[];
  cellsMedianMs: number;
  cellsMaxMs: number;
  laggedMedianMs: number;
  laggedMaxMs: number;
}

/** The lag the busy store's second read allows. */
const LAG_MS = 5 * 60_000;

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

/**
 * Days after purchase on which a reassurance program sends (thank-you, shipping, arrival, first
 * week, tips, a month, survey reminders, renewal): the days a dispatcher's sends mark, one
 * zone's evening on either side.
 */
const SEND_OFFSETS = [0, 1, 2, 3, 5, 7, 10, 14, 21, 30, 45, 60, 90, 180, 365];

/**
 * A busy store for `seconds`: every second, today's day (new orders, thank-you notes), the days
 * of `sendsPerSecond` sends (SEND_OFFSETS in turn, give or take a day for the zones), and every
 * tenth second a day of a returning customer's older order (an answer marks every day of the
 * customer). At 1,000,000 orders a year a store sends about 18,000 touch points a day, mostly
 * within a few morning hours per zone: about 2 a second at the peak. The fold job runs at its
 * production cadence and budget; a report's cells are read every `readEverySeconds`.
 * Deterministic: the days come from a counter, not a random source.
 */
export async function timeBusy(
  store: Store,
  now: Millis,
  raw: { mark: (days: number[]) => Promise<void>; marked: () => Promise<number> },
  options: { seconds: number; readEverySeconds: number; sendsPerSecond: number },
): Promise<BusyTiming> {
  const { mark, marked: countMarked } = raw;
  const today = Math.floor(now / 86_400_000);
  const job = measureFoldJob(store.measuring);
  const reads: BusyTiming['reads'] = [];
  let folded = 0;
  let ticks = 0;
  let marks = 0;
  let stop = false;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const writer = async (): Promise<void> => {
    for (let second = 0; !stop; second++) {
      const days = [today];
      for (let k = 0; k < options.sendsPerSecond; k++) {
        const n = second * options.sendsPerSecond + k;
        days.push(today - SEND_OFFSETS[n % SEND_OFFSETS.length]! - (Math.floor(n / 7) % 2));
      }
      if (second % 10 === 0) days.push(today - 1 - ((second * 37) % 400));
      marks += new Set(days).size;
      await mark(days);
      await sleep(1000);
    }
  };
  const folder = async (): Promise<void> => {
    while (!stop) {
      const run = await job.run(Date.now());
      folded += run.folded;
      ticks += 1;
      await sleep(job.everyMs);
    }
  };
  const reader = async (): Promise<void> => {
    await sleep(options.readEverySeconds * 1000);
    while (!stop) {
      const marked = await countMarked();
      let began = performance.now();
      const lagged = await store.measuring.cells({ asOf: now, maxLagMs: LAG_MS });
      const laggedMs = Math.round(performance.now() - began);
      began = performance.now();
      await store.measuring.cells({ asOf: now });
      const ms = Math.round(performance.now() - began);
      reads.push({ marked, ms, laggedMs, laggedDays: lagged.lag?.days ?? 0 });
      await sleep(options.readEverySeconds * 1000);
    }
  };
  const began = performance.now();
  const running = Promise.all([writer(), folder(), reader()]);
  await sleep(options.seconds * 1000);
  stop = true;
  await running;
  const seconds = (performance.now() - began) / 1000;
  const times = reads.map((r) => r.ms);
  const laggedTimes = reads.map((r) => r.laggedMs);
  return {
    seconds: Math.round(seconds),
    marksPerSecond: Math.round((marks / seconds) * 10) / 10,
    folded,
    ticks,
    reads,
    cellsMedianMs: times.length === 0 ? 0 : median(times),
    cellsMaxMs: Math.max(0, ...times),
    laggedMedianMs: laggedTimes.length === 0 ? 0 : median(laggedTimes),
    laggedMaxMs: Math.max(0, ...laggedTimes),
  };
}
