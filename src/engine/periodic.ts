// Periodic jobs that must run once across the cluster (lease sweeps now; escalation timers and
// temperature sweeps later): each tick tries the job under the store's exclusive lock, so with
// many workers one of them runs it and the others skip that tick.
import type { Millis } from '../core/domain.js';
import type { ClusterPort } from '../store/ports/cluster.js';
import type { DispatchQueue, ExpiredLease } from '../store/ports/queue.js';
import type { Clock } from './clock.js';

export interface PeriodicJob<T = unknown> {
  name: string;
  everyMs: Millis;
  run(now: Millis): Promise<T>;
}

export interface PeriodicReport {
  job: string;
  /** False when another process held the job's lock this tick. */
  ran: boolean;
  result: unknown;
}

export interface PeriodicRunnerOptions {
  /** Null for a store one process owns (SQLite): every job just runs. */
  cluster: ClusterPort | null;
  clock: Clock;
  jobs: PeriodicJob[];
  onRun?: (report: PeriodicReport) => void;
  onError?: (job: string, error: unknown) => void;
  random?: () => number;
}

export class PeriodicRunner {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private stopped = true;

  constructor(private readonly options: PeriodicRunnerOptions) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // The first tick comes after a random part of the period, so processes started together
    // do not all contend for the lock at the same instant.
    for (const job of this.options.jobs) this.schedule(job, this.random() * job.everyMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }

  /** Run one job now (under the lock); resolves to its report. Also what each tick does. */
  async runNow(job: PeriodicJob): Promise<PeriodicReport> {
    const { cluster, clock } = this.options;
    const now = clock.now();
    let report: PeriodicReport;
    if (cluster) {
      let ran = false;
      const result = await cluster.runExclusive(job.name, async () => {
        ran = true;
        return job.run(now);
      });
      report = { job: job.name, ran, result };
    } else {
      // A store without cluster locks (SQLite) is used by one process: just run it.
      report = { job: job.name, ran: true, result: await job.run(now) };
    }
    this.options.onRun?.(report);
    return report;
  }

  private schedule(job: PeriodicJob, delay: Millis): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      const run = this.runNow(job)
        .catch((error: unknown) => this.options.onError?.(job.name, error))
        .finally(() => {
          this.running.delete(run);
          this.schedule(job, job.everyMs * (0.9 + 0.2 * this.random()));
        });
      this.running.add(run);
    }, delay);
    this.timers.set(job.name, timer);
  }

  private random(): number {
    return (this.options.random ?? Math.random)();
  }
}

/**
 * Hands back claims whose lease ended more than `graceMs` ago (their worker died or froze), so
 * they are due again at once instead of waiting for some claim to pick them up; reports them.
 */
export function leaseSweepJob(options: {
  queue: DispatchQueue;
  everyMs: Millis;
  graceMs: Millis;
}): PeriodicJob<ExpiredLease[]> {
  const { queue } = options;
  return {
    name: 'lease-sweep',
    everyMs: options.everyMs,
    run: (now) => queue.requeueExpiredLeases(now - options.graceMs),
  };
}
