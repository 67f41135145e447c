// Dispatch throughput on PostgreSQL with 2 worker processes: Aftercare's full path (claim ->
// decide -> render -> record, sending to a no-op channel) against the same number of no-op jobs
// in graphile-worker (and pg-boss) on the same server in the same run, same concurrency.
// Worker start-up is outside the measured interval for all three: the clock starts once every
// process has reported ready (connections open, worker running) and the jobs are due, and stops
// when the database shows every job done (Aftercare: no touch point left to claim or claimed;
// graphile-worker: its jobs table empty; pg-boss: no job short of completed), polled every 10 ms
// once the processes report nearly all done. Also: p50/p99 latency from due to recorded as sent
// at a steady rate of new orders.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { makeWorkerUtils, runMigrations } from 'graphile-worker';
import PgBoss from 'pg-boss';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { orderEvents, reducer, testPlaybook } from '../../test/reliability/fixture.js';
import { mergeRaw, type HotPathStats } from '../hotPaths.js';
import { PG_URL, benchSchema, dropSchema, envInt, withClient } from './common.js';
import type { DispatchChildOptions } from './dispatchChild.js';

const CHILD = fileURLToPath(new URL('./dispatchChild.ts', import.meta.url));
const GOAL_RATIO_TO_GRAPHILE = 2;

interface Child {
  process: ChildProcess;
  progress: { count: number; first: number; last: number };
  latencies: number[];
  hotPaths: Record<string, { us: number[]; items: number }>;
  peakRssMb: number;
  ready: Promise<void>;
  exited: Promise<void>;
}

function spawnChild(options: DispatchChildOptions): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const state: Child = {
    process: child,
    progress: { count: 0, first: 0, last: 0 },
    latencies: [],
    hotPaths: {},
    peakRssMb: 0,
    ready: Promise.resolve(),
    exited: new Promise((resolve) =>
      child.once('exit', (code) => {
        if (code !== 0 && code !== null) process.stderr.write(`${options.worker} exited with ${code}\n`);
        resolve();
      }),
    ),
  };
  state.ready = new Promise((resolve, reject) => {
    child.once('exit', () => reject(new Error(`${options.worker} exited before it was ready`)));
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
        if (line.type === 'hotPaths') {
          state.hotPaths = line.raw as Child['hotPaths'];
          state.peakRssMb = line.peakRssMb as number;
        }
      }
    });
  });
  state.ready.catch(() => undefined);
  return state;
}

function go(children: Child[]): void {
  for (const c of children) c.process.stdin!.write('go\n');
}

async function stopChildren(children: Child[]): Promise<void> {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGTERM');
  await Promise.all(children.map((c) => c.exited));
}

export interface SystemResult {
  jobs: number;
  /** From the start line to the database showing every job done. */
  seconds: number;
  jobsPerSecond: number;
  /** From the start line to the last job the worker processes reported finished (before the database confirmed it). */
  processSeconds: number;
  /** From spawning the worker processes to every one ready: not measured. */
  startUpSeconds: number;
  workersPeakRssMb: number;
  hotPaths?: Record<string, HotPathStats>;
}

interface Run {
  system: DispatchChildOptions['system'];
  schema: string;
  jobs: number;
  workers: number;
  concurrency: number;
  batchSize: number;
  /** Makes the jobs due (if they are not yet) once every worker is ready. */
  release?: () => Promise<void>;
  /** Jobs not yet done, as the database sees them. */
  remaining: string;
}

/** Spawns the workers, waits until all are ready, starts the clock, and stops it when the database says done. */
async function measure(run: Run): Promise<SystemResult> {
  const spawned = Date.now();
  const children = Array.from({ length: run.workers }, (_, i) =>
    spawnChild({
      system: run.system,
      url: PG_URL,
      schema: run.schema,
      worker: `${run.system}-${i}`,
      concurrency: run.concurrency,
      batchSize: run.batchSize,
    }),
  );
  try {
    await Promise.all(children.map((c) => c.ready));
    const startUpSeconds = (Date.now() - spawned) / 1000;
    if (run.release) await run.release();
    const t0 = Date.now();
    go(children);
    const end = await withClient(async (client) => {
      const deadline = Date.now() + 600_000;
      for (;;) {
        const reported = children.reduce((n, c) => n + c.progress.count, 0);
        // The database is asked only near the end, so its polling does not compete with the work.
        if (reported >= run.jobs * 0.98) {
          const asked = Date.now();
          const { rows } = await client.query<{ n: string }>(run.remaining);
          if (Number(rows[0]!.n) === 0) return asked;
        }
        if (Date.now() > deadline)
          throw new Error(`${run.system}: only ${reported} of ${run.jobs} jobs done`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    const seconds = Math.max(0.001, (end - t0) / 1000);
    await stopChildren(children);
    const last = Math.max(...children.map((c) => c.progress.last));
    const hotPaths = mergeRaw(children.map((c) => c.hotPaths));
    return {
      jobs: run.jobs,
      seconds: round(seconds),
      jobsPerSecond: Math.round(run.jobs / seconds),
      processSeconds: round((last - t0) / 1000),
      startUpSeconds: round(startUpSeconds),
      workersPeakRssMb: Math.max(...children.map((c) => c.peakRssMb)),
      ...(Object.keys(hotPaths).length > 0 ? { hotPaths } : {}),
    };
  } finally {
    await stopChildren(children);
  }
}

async function aftercare(jobs: number, workers: number, concurrency: number): Promise<SystemResult> {
  const schema = benchSchema('dispatch_ac');
  const store = await openPostgresStore(PG_URL, { schema, poolSize: 2 });
  try {
    // One due touch point per order (the step fires when the order is placed), in compact plans.
    const reduce = reducer(testPlaybook(1));
    const at = Date.now() - 60_000;
    for (let i = 0; i < jobs; i += 5000)
      await store.intake.apply(orderEvents(Math.min(5000, jobs - i), at, i), reduce);
    await store.pool.query(`VACUUM ANALYZE "${schema}".enrollments`);
    await store.pool.query(`VACUUM ANALYZE "${schema}".touch_points`);
    const result = await measure({
      system: 'aftercare',
      schema,
      jobs,
      workers,
      concurrency,
      batchSize: 500,
      remaining: `SELECT (SELECT count(*) FROM "${schema}".enrollments WHERE next_due_at IS NOT NULL)
        + (SELECT count(*) FROM "${schema}".touch_points WHERE status IN ('scheduled', 'claimed')) AS n`,
    });
    const { rows } = await store.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".touch_points WHERE status = 'sent'`,
    );
    if (Number(rows[0]!.n) !== jobs) throw new Error(`aftercare: ${rows[0]!.n} of ${jobs} touch points sent`);
    return result;
  } finally {
    await store.close();
    await dropSchema(schema);
  }
}

async function graphileWorker(jobs: number, workers: number, concurrency: number): Promise<SystemResult> {
  const schema = benchSchema('dispatch_gw');
  try {
    await runMigrations({ connectionString: PG_URL, schema });
    const utils = await makeWorkerUtils({ connectionString: PG_URL, schema });
    try {
      // Its guide's starting point: local queue of concurrency + 1, batched completion. The jobs
      // are added in one transaction once every worker is ready; its NOTIFY wakes them at once.
      const specs = Array.from({ length: jobs }, (_, n) => ({ identifier: 'noop', payload: { n } }));
      return await measure({
        system: 'graphile-worker',
        schema,
        jobs,
        workers,
        concurrency,
        batchSize: concurrency + 1,
        release: async () => {
          await utils.addJobs(specs);
        },
        remaining: `SELECT count(*) AS n FROM "${schema}"._private_jobs`,
      });
    } finally {
      await utils.release();
    }
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
    // Two fetch loops per process, each taking up to 250 jobs per fetch; a loop fetches at most
    // every 0.5 s (pg-boss's shortest polling interval), which bounds it.
    return await measure({
      system: 'pg-boss',
      schema,
      jobs,
      workers,
      concurrency: 2,
      batchSize: 250,
      remaining: `SELECT count(*) AS n FROM "${schema}".job WHERE name = 'noop' AND state < 'completed'`,
    });
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await dropSchema(schema);
  }
}

export interface DispatchResult {
  workers: number;
  concurrency: number;
  aftercare: SystemResult;
  graphileWorker: SystemResult;
  pgBoss: SystemResult | null;
  ratioToGraphileWorker: number;
  ratioToPgBoss: number | null;
  goal: { ratioToGraphileWorker: number };
  met: { ratioToGraphileWorker: boolean };
}

export async function benchDispatch(
  options: { jobs?: number; workers?: number; concurrency?: number } = {},
): Promise<DispatchResult> {
  const jobs = options.jobs ?? envInt('AFTERCARE_BENCH_DISPATCH_JOBS', 50_000);
  const workers = options.workers ?? envInt('AFTERCARE_BENCH_DISPATCH_WORKERS', 2);
  const concurrency = options.concurrency ?? envInt('AFTERCARE_BENCH_PG_CONCURRENCY', 16);
  const withPgBoss = envInt('AFTERCARE_BENCH_PGBOSS', 1) > 0;
  const ours = await aftercare(jobs, workers, concurrency);
  const gw = await graphileWorker(jobs, workers, concurrency);
  const pb = withPgBoss ? await pgBoss(jobs, workers) : null;
  const ratio = round(ours.jobsPerSecond / gw.jobsPerSecond);
  return {
    workers,
    concurrency,
    aftercare: ours,
    graphileWorker: gw,
    pgBoss: pb,
    ratioToGraphileWorker: ratio,
    ratioToPgBoss: pb ? round(ours.jobsPerSecond / pb.jobsPerSecond) : null,
    goal: { ratioToGraphileWorker: GOAL_RATIO_TO_GRAPHILE },
    met: { ratioToGraphileWorker: ratio >= GOAL_RATIO_TO_GRAPHILE },
  };
}

export interface LatencyResult {
  ordersPerSecond: number;
  seconds: number;
  orders: number;
  sent: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  workersPeakRssMb: number;
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
    go(children);
    const reduce = reducer(testPlaybook(1));
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    const start = Date.now();
    let orders = 0;
    for (let tick = 0; Date.now() - start < seconds * 1000; tick++) {
      // Due the moment they arrive: the step fires at `placed`.
      await store.intake.apply(orderEvents(perTick, Date.now(), orders), reduce);
      orders += perTick;
      const wait = start + (tick + 1) * tickMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const deadline = Date.now() + 60_000;
    while (children.reduce((n, c) => n + c.progress.count, 0) < orders && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await stopChildren(children);
    const all = children.flatMap((c) => c.latencies).sort((a, b) => a - b);
    const pick = (q: number): number => all[Math.min(all.length - 1, Math.ceil(q * all.length) - 1)] ?? 0;
    return {
      ordersPerSecond: rate,
      seconds,
      orders,
      sent: all.length,
      p50Ms: pick(0.5),
      p99Ms: pick(0.99),
      maxMs: all.at(-1) ?? 0,
      workersPeakRssMb: Math.max(...children.map((c) => c.peakRssMb)),
    };
  } finally {
    await stopChildren(children);
    await store.close();
    await dropSchema(schema);
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
