// One worker process of the PostgreSQL dispatch benchmark, for Aftercare, graphile-worker or
// pg-boss. It sets everything up (connections opened, worker running), prints {type:'ready'},
// and holds at the start line until the parent writes "go" on stdin: Aftercare's first claim
// waits for it, pg-boss starts its fetch loops on it (graphile-worker needs no gate: its jobs are
// added after every process is ready). Then it prints {type:'progress', count, first, last}
// every 20 ms (epoch ms of its first and latest finished job), and when stopped (SIGTERM) the
// latencies due -> recorded (Aftercare) and the named hot paths' raw timings.
import { Logger, run as runGraphile, type Runner } from 'graphile-worker';
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { ChannelName } from '../../src/core/domain.js';
import type { Channel, OutboundMessage, SendReceipt } from '../../src/channels/port.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { PlaybookRegistry } from '../../src/engine/playbookRegistry.js';
import { startWorker } from '../../src/engine/worker.js';
import { openPostgresStore, type PostgresHandle } from '../../src/store/postgres/store.js';
import { BUSINESS, POLICY, renderer, testPlaybook } from '../../test/reliability/fixture.js';
import { HotPaths, timed } from '../hotPaths.js';

export interface DispatchChildOptions {
  system: 'aftercare' | 'graphile-worker' | 'pg-boss';
  url: string;
  schema: string;
  worker: string;
  concurrency: number;
  batchSize: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as DispatchChildOptions;
const print = (line: Record<string, unknown>): void => {
  process.stdout.write(JSON.stringify(line) + '\n');
};

let count = 0;
let first = 0;
let last = 0;
function done(n = 1): void {
  const now = Date.now();
  if (count === 0) first = now;
  count += n;
  last = now;
}

let go!: () => void;
const started = new Promise<void>((resolve) => {
  go = resolve;
});
let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  buffered += chunk;
  if (buffered.includes('go\n')) go();
});

/** Sends nothing: the benchmark measures the engine, not a mail server. */
class NoopChannel implements Channel {
  readonly handles: readonly ChannelName[] = ['email', 'sms', 'webhook'];
  send(_message: OutboundMessage): Promise<SendReceipt> {
    return Promise.resolve({ providerId: null });
  }
}

/** Opens `size` connections of the pool now, so that no measured query waits for a connection. */
async function warm(pool: pg.Pool, size: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
  await Promise.all(clients.map((c) => c.query('SELECT 1')));
  for (const client of clients) client.release();
}

let stop: () => Promise<void>;
const latencies: number[] = [];
const paths = new HotPaths();

if (options.system === 'aftercare') {
  const poolSize = 4;
  const opened: PostgresHandle = await openPostgresStore(options.url, {
    schema: options.schema,
    migrate: false,
    poolSize,
  });
  await warm(opened.pool, poolSize);
  // postgres.claim / postgres.record timed from outside; the first claim waits for "go".
  const store: PostgresHandle = {
    ...opened,
    queue: timed(
      opened.queue,
      paths,
      {
        claimDue: { name: 'postgres.claim', items: (_args, claimed) => claimed.length },
        recordOutcomes: { name: 'postgres.record', items: ([outcomes]) => outcomes.length },
      },
      () => started,
    ),
  };
  const worker = await startWorker({
    store,
    channels: new ChannelRouter([new NoopChannel()]),
    steps: PlaybookRegistry.fixed([testPlaybook(1)], renderer()).steps(),
    policy: POLICY,
    business: BUSINESS,
    publicUrl: 'https://care.lumen.example',
    workerId: options.worker,
    batchSize: options.batchSize,
    concurrency: options.concurrency,
    onOutcome: (report) => {
      if (report.outcome.kind !== 'sent' || !report.applied) return;
      done();
      latencies.push(Date.now() - report.touchPoint.dueAt);
    },
  });
  stop = async () => {
    await worker.stop();
    await opened.close();
  };
} else if (options.system === 'graphile-worker') {
  // Its advice: a pool larger than the concurrency; opened before "ready", as Aftercare's is.
  const pool = new pg.Pool({ connectionString: options.url, max: options.concurrency + 2 });
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  await warm(pool, options.concurrency + 2);
  const runner: Runner = await runGraphile({
    pgPool: pool,
    schema: options.schema,
    concurrency: options.concurrency,
    noHandleSignals: true,
    logger: new Logger(() => () => undefined),
    taskList: {
      noop: () => {
        done();
        return Promise.resolve();
      },
    },
    preset: {
      // graphile-worker's performance guide: fetch jobs in batches, complete them in batches.
      worker: { localQueue: { size: options.batchSize }, completeJobBatchDelay: 0, failJobBatchDelay: 0 },
    },
  });
  stop = async () => {
    await runner.stop();
    await pool.end();
  };
} else {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => undefined);
  await boss.start();
  void started.then(async () => {
    // Its throughput setting: a few fetch loops, each taking jobs in batches.
    for (let i = 0; i < options.concurrency; i++) {
      await boss.work('noop', { batchSize: options.batchSize, pollingIntervalSeconds: 0.5 }, (jobs) => {
        done(jobs.length);
        return Promise.resolve();
      });
    }
  });
  stop = () => boss.stop({ graceful: true, wait: true });
}

const progress = setInterval(() => print({ type: 'progress', count, first, last }), 20);
print({ type: 'ready', worker: options.worker });

process.once('SIGTERM', () => {
  void (async () => {
    clearInterval(progress);
    await stop();
    print({ type: 'progress', count, first, last });
    if (latencies.length > 0) print({ type: 'latencies', values: latencies });
    print({
      type: 'hotPaths',
      raw: paths.raw(),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    });
    process.exit(0);
  })();
});
