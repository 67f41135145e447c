// One worker process of the dispatch benchmark, for Aftercare, graphile-worker or pg-boss. Each
// prints {type:'ready'}, then {type:'progress', count, first, last} a few times a second (epoch ms
// of its first and latest finished job), and {type:'latencies'} (Aftercare) when stopped.
import { PlaybookRegistry } from '../../src/engine/playbookRegistry.js';
import { Logger, run as runGraphile, type Runner } from 'graphile-worker';
import PgBoss from 'pg-boss';
import type { ChannelName } from '../../src/core/domain.js';
import type { Channel, OutboundMessage, SendReceipt } from '../../src/channels/port.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { startWorker } from '../../src/engine/worker.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { BUSINESS, POLICY, renderer, testPlaybook } from '../../test/reliability/fixture.js';

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
const progress = setInterval(() => print({ type: 'progress', count, first, last }), 100);

/** Sends nothing: the benchmark measures the engine, not a mail server. */
class NoopChannel implements Channel {
  readonly handles: readonly ChannelName[] = ['email', 'sms', 'webhook'];
  send(_message: OutboundMessage): Promise<SendReceipt> {
    return Promise.resolve({ providerId: null });
  }
}

let stop: () => Promise<void>;
const latencies: number[] = [];

if (options.system === 'aftercare') {
  const store = await openPostgresStore(options.url, { schema: options.schema, migrate: false, poolSize: 4 });
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
    await store.close();
  };
} else if (options.system === 'graphile-worker') {
  const runner: Runner = await runGraphile({
    connectionString: options.url,
    schema: options.schema,
    concurrency: options.concurrency,
    // Its advice: a pool larger than the concurrency.
    maxPoolSize: options.concurrency + 2,
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
  stop = () => runner.stop();
} else {
  const boss = new PgBoss({
    connectionString: options.url,
    schema: options.schema,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => undefined);
  await boss.start();
  for (let i = 0; i < options.concurrency; i++) {
    await boss.work('noop', { batchSize: options.batchSize, pollingIntervalSeconds: 0.5 }, (jobs) => {
      done(jobs.length);
      return Promise.resolve();
    });
  }
  stop = () => boss.stop({ graceful: true, wait: true });
}

print({ type: 'ready', worker: options.worker });

process.once('SIGTERM', () => {
  void (async () => {
    clearInterval(progress);
    await stop();
    print({ type: 'progress', count, first, last });
    if (latencies.length > 0) print({ type: 'latencies', values: latencies });
    process.exit(0);
  })();
});
