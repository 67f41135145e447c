// The named hot paths (`sqlite.claim`, `postgres.record`, ...), timed per call from the outside:
// a proxy around a store capability records the wall time of each call until its promise
// settles, and how many items (claimed touch points, outcomes, events) it carried. Bench-only;
// the store itself is not changed.

/** What one hot path cost over a run. Times in microseconds unless named otherwise. */
export interface HotPathStats {
  calls: number;
  /** Touch points claimed, outcomes recorded or events applied, over all calls. */
  items: number;
  totalMs: number;
  meanUs: number;
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** totalMs spread over the items: the cost per touch point / outcome / event. */
  perItemUs: number;
}

/** Collects call durations per hot-path name. */
export class HotPaths {
  private readonly samples = new Map<string, { us: number[]; items: number }>();
  /** performance.now() of the end of the last call, per name. */
  readonly lastEnd = new Map<string, number>();

  record(name: string, us: number, items: number): void {
    let entry = this.samples.get(name);
    if (!entry) {
      entry = { us: [], items: 0 };
      this.samples.set(name, entry);
    }
    entry.us.push(us);
    entry.items += items;
    this.lastEnd.set(name, performance.now());
  }

  /** Forgets what was recorded (e.g. the warm-up), so the report covers the measured part only. */
  reset(): void {
    this.samples.clear();
    this.lastEnd.clear();
  }

  report(): Record<string, HotPathStats> {
    const out: Record<string, HotPathStats> = {};
    for (const [name, { us, items }] of this.samples) out[name] = summarize(us, items);
    return out;
  }

  /** Raw samples, to merge the reports of several processes. */
  raw(): Record<string, { us: number[]; items: number }> {
    return Object.fromEntries(this.samples);
  }
}

export function summarize(us: number[], items: number): HotPathStats {
  const sorted = [...us].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  const pick = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return {
    calls: sorted.length,
    items,
    totalMs: round(total / 1000),
    meanUs: round(sorted.length > 0 ? total / sorted.length : 0),
    p50Us: round(pick(0.5)),
    p99Us: round(pick(0.99)),
    maxUs: round(sorted.at(-1) ?? 0),
    perItemUs: round(items > 0 ? total / items : 0),
  };
}

/** Merges the raw samples of several processes into one report. */
export function mergeRaw(
  parts: Record<string, { us: number[]; items: number }>[],
): Record<string, HotPathStats> {
  const merged = new Map<string, { us: number[]; items: number }>();
  for (const part of parts) {
    for (const [name, { us, items }] of Object.entries(part)) {
      const entry = merged.get(name) ?? { us: [], items: 0 };
      entry.us.push(...us);
      entry.items += items;
      merged.set(name, entry);
    }
  }
  const out: Record<string, HotPathStats> = {};
  for (const [name, { us, items }] of merged) out[name] = summarize(us, items);
  return out;
}

type AsyncMethod = (...args: never[]) => Promise<unknown>;

/** Per method to time: its hot-path name and how many items a call carried. */
export type Timings<T> = {
  [K in keyof T]?: T[K] extends AsyncMethod
    ? { name: string; items: (args: Parameters<T[K]>, result: Awaited<ReturnType<T[K]>>) => number }
    : never;
};

/**
 * `target` with the listed async methods timed into `paths`; every other member passes through.
 * `gate`, when given, is awaited before each timed call starts (not timed): benchmarks hold
 * workers at the start line with it.
 */
export function timed<T extends object>(
  target: T,
  paths: HotPaths,
  timings: Timings<T>,
  gate?: () => Promise<void>,
): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      const timing = (
        timings as Record<PropertyKey, { name: string; items: (a: unknown, r: unknown) => number }>
      )[key];
      if (typeof value !== 'function' || timing === undefined) return value;
      const method = value as (...a: unknown[]) => Promise<unknown>;
      return async (...args: unknown[]) => {
        if (gate) await gate();
        const began = process.hrtime.bigint();
        const result = await method.apply(object, args);
        const us = Number(process.hrtime.bigint() - began) / 1000;
        const items = timing.items(args, result);
        // Calls that carried nothing (a claim when nothing is due) are kept apart from the real work.
        paths.record(items === 0 ? `${timing.name} (empty)` : timing.name, us, items);
        return result;
      };
    },
  });
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
