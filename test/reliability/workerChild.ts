// A worker process for the reliability tests: the production startWorker (dispatcher, NOTIFY
// wake-ups, lease sweep) on a PostgreSQL schema, sending through FileCaptureChannel. Prints JSON
// lines on stdout: {type:'ready'}, {type:'stale'} for every outcome the store refused, and
// {type:'stats'} when stopped with SIGTERM.
import { ChannelRouter } from '../../src/channels/router.js';
import { PlaybookRegistry } from '../../src/engine/playbookRegistry.js';
import { startWorker } from '../../src/engine/worker.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { FileCaptureChannel } from './captureFile.js';
import { BUSINESS, POLICY, renderer, testPlaybook } from './fixture.js';

export interface ChildOptions {
  url: string;
  schema: string;
  out: string;
  worker: string;
  steps: number;
  leaseMs: number;
  batchSize: number;
  concurrency: number;
  /** Sends out without their outcome recorded at most: the most a kill can repeat. */
  maxUnrecorded: number;
  sendDelayMs: number;
  sweepEveryMs: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as ChildOptions;
const print = (line: Record<string, unknown>): void => {
  process.stdout.write(JSON.stringify(line) + '\n');
};

const store = await openPostgresStore(options.url, {
  schema: options.schema,
  poolSize: 4,
  migrate: false,
  onError: () => undefined,
});
const channel = new FileCaptureChannel(options.out, options.worker, options.sendDelayMs);
const handle = await startWorker({
  store,
  channels: new ChannelRouter([channel]),
  steps: PlaybookRegistry.fixed([testPlaybook(options.steps)], renderer()).steps(),
  policy: POLICY,
  business: BUSINESS,
  publicUrl: 'https://care.lumen.example',
  workerId: options.worker,
  leaseMs: options.leaseMs,
  batchSize: options.batchSize,
  concurrency: options.concurrency,
  maxUnrecorded: options.maxUnrecorded,
  sweepEveryMs: options.sweepEveryMs,
  onOutcome: (report) => {
    if (!report.applied) print({ type: 'stale', id: report.touchPoint.id, attempt: report.outcome.attempt });
  },
  onSwept: (leases) => print({ type: 'swept', count: leases.length }),
  onError: (where, error) =>
    print({ type: 'error', where, message: error instanceof Error ? error.message : String(error) }),
});
print({ type: 'ready', worker: options.worker, pid: process.pid });

process.once('SIGTERM', () => {
  void (async () => {
    const stats = await handle.stop();
    await channel.close();
    await store.close();
    print({ type: 'stats', ...stats });
    process.exit(0);
  })();
});
