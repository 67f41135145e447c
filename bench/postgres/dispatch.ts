// Dispatch throughput on PostgreSQL with 2 worker processes: Aftercare's full path (claim ->
// decide -> render -> record, sending to a no-op channel) against the same number of no-op jobs
// in graphile-worker and pg-boss on the same server in the same run. Jobs are queued before the
// workers start; throughput is jobs over the time from the first to the last finished job, so
// process start-up is left out for all three. Also: p50/p99 latency from due to sent under a
// steady load.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeWorkerUtils, runMigrations } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { orderEvents, reducer, testPlaybook } from '../../test/reliability/fixture.js';
import { PG_URL, benchSchema, dropSchema, envInt } from './common.js';
import type { DispatchChildOptions } from './dispatchChild.js';

const CHILD = fileURLToPath(new URL('./dispatchChild.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  progress: { count: number; first: number; last: number };
  latencies: number[];
  ready: Promise<void>;
  exited: Promise<void>;
}

function spawnChild(options: DispatchChildOptions): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const state: Child = {
    process: child,
    progress: { count: 0, first: 0, last: 0 },
    latencies: [],
    ready: Promise.resolve(),
    exited: new Promise((resolve) => child.once('exit', () => resolve())),
  };
  state.ready = new Promise((resolve) => {
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          continue; // a library's own log line
        }
        if (line.type === 'ready') resolve();
        if (line.type === 'progress') state.progress = line as unknown as Child['progress'];
        if (line.type === 'latencies') state.latencies = line.values as number[];
      }
    });
  });
  return state;
}

async function stopChildren(children: Child[]): Promise<void> {
  for (const c of children) c.process.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
}

export interface SystemResult {
  jobs: number;
  seconds: number;
  jobsPerSecond: number;
}

async function runChildren(
  base: Omit<DispatchChildOptions, 'worker'>,
  jobs: number,
  workers: number,
): Promise<SystemResult> {
  const children = Array.from({ length: workers }, (_, i) =>
    spawnChild({ ...base, worker: `${base.system}-${i}` }),
  );
  try {
    const deadline = Date.now() + 600_000;
    for (;;) {
      const total = children.reduce((n, c) => n + c.progress.count, 0);
      if (total >= jobs) break;
      if (Date.now() > deadline) throw new Error(`${base.system}: only ${total} of ${jobs} jobs done`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const active = children.filter((c) => c.progress.count > 0);
    const first = Math.min(...active.map((c) => c.progress.first));
    const last = Math.max(...active.map((c) => c.progress.last));
    const seconds = Math.max(0.001, (last - first) / 1000);
    return { jobs, seconds: round(seconds), jobsPerSecond: Math.round(jobs / seconds) };
  } finally {
    await stopChildren(children);
  }
}

async function aftercare(jobs: number, workers: number): Promise<SystemResult> {
  const schema = benchSchema('dispatch_ac');
  const store = await openPostgresStore(PG_URL, { schema, poolSize: 2 });
  try {
    const reduce = reducer(testPlaybook(1));
    const at = Date.now() - 60_000;
    for (let i = 0; i < jobs; i += 5000)
      await store.intake.apply(orderEvents(Math.min(5000, jobs - i), at, i), reduce);
    await store.pool.query(`VACUUM ANALYZE "${schema}".touch_points`);
    return await runChildren(
      { system: 'aftercare', url: PG_URL, schema, concurrency: 16, batchSize: 500 },
      jobs,
      workers,
    );
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}

async function graphileWorker(jobs: number, workers: number): Promise<SystemResult> {
  const schema = benchSchema('dispatch_gw');
  try {
    await runMigrations({ connectionString: PG_URL, schema });
    const utils = await makeWorkerUtils({ connectionString: PG_URL, schema });
    try {
      for (let i = 0; i < jobs; i += 5000) {
        const specs = Array.from({ length: Math.min(5000, jobs - i) }, (_, k) => ({
          identifier: 'noop',
          payload: { n: i + k },
        }));
        await utils.addJobs(specs);
      }
    } finally {
      await utils.release();
    }
    // Its guide's starting point: local queue of concurrency + 1, batched completion.
    return await runChildren(
      { system: 'graphile-worker', url: PG_URL, schema, concurrency: 16, batchSize: 17 },
      jobs,
      workers,
    );
  } finally {
    await dropSchema(schema);
  }
}

async function pgBoss(jobs: number, workers: number): Promise<SystemResult> {
  const schema = benchSchema('dispatch_pb');
  const boss = new PgBoss({ connectionString: PG_URL, schema, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  try {
    await boss.start();
    await boss.createQueue('noop');
    for (let i = 0; i < jobs; i += 5000) {
      await boss.insert(
        Array.from({ length: Math.min(5000, jobs - i) }, (_, k) => ({ name: 'noop', data: { n: i + k } })),
      );
    }
    // Two fetch loops per process, each taking jobs in batches (its throughput setting).
    return await runChildren(
      { system: 'pg-boss', url: PG_URL, schema, concurrency: 2, batchSize: 250 },
      jobs,
      workers,
    );
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await dropSchema(schema);
  }
}

export interface DispatchResult {
  workers: number;
  aftercare: SystemResult;
  graphileWorker: SystemResult;
  pgBoss: SystemResult;
  /** Aftercare's throughput over the faster of the other two. */
  ratioToFastest: number;
  goalRatio: number;
}

export async function benchDispatch(
  options: { jobs?: number; workers?: number } = {},
): Promise<DispatchResult> {
  const jobs = options.jobs ?? envInt('AFTERCARE_BENCH_DISPATCH_JOBS', 20_000);
  const workers = options.workers ?? envInt('AFTERCARE_BENCH_DISPATCH_WORKERS', 2);
  const ours = await aftercare(jobs, workers);
  const gw = await graphileWorker(jobs, workers);
  const pb = await pgBoss(jobs, workers);
  const fastest = Math.max(gw.jobsPerSecond, pb.jobsPerSecond);
  return {
    workers,
    aftercare: ours,
    graphileWorker: gw,
    pgBoss: pb,
    ratioToFastest: round(ours.jobsPerSecond / fastest),
    goalRatio: 1.5,
  };
}

export interface LatencyResult {
  ordersPerSecond: number;
  seconds: number;
  sent: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Orders arrive at a steady rate, each due at once; latency is due -> outcome recorded as sent. */
export async function benchLatency(
  options: { rate?: number; seconds?: number } = {},
): Promise<LatencyResult> {
  const rate = options.rate ?? envInt('AFTERCARE_BENCH_LATENCY_RATE', 500);
  const seconds = options.seconds ?? envInt('AFTERCARE_BENCH_LATENCY_SECONDS', 20);
  const schema = benchSchema('latency');
  const store = await openPostgresStore(PG_URL, { schema, poolSize: 2 });
  const children = [0, 1].map((i) =>
    spawnChild({
      system: 'aftercare',
      url: PG_URL,
      schema,
      worker: `latency-${i}`,
      concurrency: 16,
      batchSize: 500,
    }),
  );
  try {
    await Promise.all(children.map((c) => c.ready));
    const reduce = reducer(testPlaybook(1));
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    const start = Date.now();
    let sentOrders = 0;
    for (let tick = 0; Date.now() - start < seconds * 1000; tick++) {
      // Due the moment they arrive: the step fires at `placed`.
      await store.intake.apply(orderEvents(perTick, Date.now(), sentOrders), reduce);
      sentOrders += perTick;
      const wait = start + (tick + 1) * tickMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const deadline = Date.now() + 60_000;
    while (children.reduce((n, c) => n + c.progress.count, 0) < sentOrders && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stopChildren(children);
    const all = children.flatMap((c) => c.latencies).sort((a, b) => a - b);
    const pick = (q: number): number => all[Math.min(all.length - 1, Math.floor(q * all.length))] ?? 0;
    return {
      ordersPerSecond: rate,
      seconds,
      sent: all.length,
      p50Ms: pick(0.5),
      p99Ms: pick(0.99),
      maxMs: all.at(-1) ?? 0,
    };
  } finally {
    await stopChildren(children.filter((c) => c.process.exitCode === null));
    await store.close();
    await dropSchema(schema);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
