// Periodic jobs: run on their period, reported, stopped cleanly; a store with cluster locks runs
// a job in one place at a time, a store without them (SQLite, one process) just runs it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ClusterPort } from '../store/ports/cluster.js';
import type { DispatchQueue } from '../store/ports/queue.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import { VirtualClock } from './clock.js';
import { PeriodicRunner, leaseSweepJob, type PeriodicReport } from './periodic.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

void describe('PeriodicRunner', () => {
  void test('runs each job on its period with the clock time, reports it, and stops', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      const clock = new VirtualClock(1_000);
      const seen: number[] = [];
      const reports: PeriodicReport[] = [];
      const runner = new PeriodicRunner({
        cluster: store.cluster,
        clock,
        random: () => 0,
        jobs: [{ name: 'tick', everyMs: 20, run: (now) => Promise.resolve(seen.push(now)) }],
        onRun: (report) => reports.push(report),
      });
      runner.start();
      await sleep(120);
      await runner.stop();
      const count = seen.length;
      assert.ok(count >= 3, `ran ${count} times`);
      assert.ok(reports.every((r) => r.job === 'tick' && r.ran));
      await sleep(60);
      assert.equal(seen.length, count, 'ran after stop()');
      assert.ok(seen.every((now) => now === 1_000));
    } finally {
      await store.close();
    }
  });

  void test('a job held elsewhere is skipped this tick, and errors do not stop the schedule', async () => {
    const held = new Set(['sweep']);
    // A cluster lock held by "another process".
    const cluster: ClusterPort = {
      onDueWork: () => Promise.resolve(() => Promise.resolve()),
      runExclusive: <T>(job: string, fn: () => Promise<T>) => (held.has(job) ? Promise.resolve(null) : fn()),
    };
    {
      const errors: string[] = [];
      let failing = 0;
      const runner = new PeriodicRunner({
        cluster,
        clock: new VirtualClock(0),
        jobs: [
          { name: 'sweep', everyMs: 1_000, run: () => Promise.resolve('ran') },
          { name: 'flaky', everyMs: 10, run: () => Promise.reject(new Error(`boom ${++failing}`)) },
        ],
        onError: (job) => errors.push(job),
      });
      assert.deepEqual(await runner.runNow({ name: 'sweep', everyMs: 1, run: () => Promise.resolve(1) }), {
        job: 'sweep',
        ran: false,
        result: null,
      });
      held.clear();
      assert.deepEqual(await runner.runNow({ name: 'sweep', everyMs: 1, run: () => Promise.resolve(1) }), {
        job: 'sweep',
        ran: true,
        result: 1,
      });
      runner.start();
      await sleep(80);
      await runner.stop();
      assert.ok(errors.length >= 2 && errors.every((job) => job === 'flaky'));
    }
  });

  void test('the lease sweep asks the store for claims expired a grace period ago', async () => {
    const asked: number[] = [];
    const base = await openSqliteStore(':memory:');
    const queue: DispatchQueue = Object.assign(Object.create(base.queue) as DispatchQueue, {
      requeueExpiredLeases: (before: number) => {
        asked.push(before);
        return Promise.resolve([]);
      },
    });
    try {
      const job = leaseSweepJob({ queue, everyMs: 1_000, graceMs: 60_000 });
      assert.deepEqual(await job.run(100_000), []);
      assert.deepEqual(asked, [40_000]);
      // Nothing claimed, nothing to requeue.
      assert.deepEqual(await leaseSweepJob({ queue: base.queue, everyMs: 1, graceMs: 1 }).run(5), []);
    } finally {
      await base.close();
    }
  });
});
