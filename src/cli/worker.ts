// `aftercare worker`: a dispatch-only process for scale-out. Run as many as needed against one
// PostgreSQL store; each claims due touch points with a lease, wakes on new work (LISTEN), and
// takes its turn at the cluster-wide lease sweep. SIGINT/SIGTERM stop it after the batch in hand.
import pino from 'pino';
import { loadConfig } from '../config.js';
import { redactUrl } from '../config/redact.js';
import { runWorker } from '../engine/worker.js';
import { EXIT_OK } from './exit.js';
import { readableLogStream } from './logFormat.js';

export interface WorkerCommandOptions {
  batch?: number;
  concurrency?: number;
  leaseSeconds?: number;
}

export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const config = loadConfig(process.env);
  const log = pino(
    { level: config.logLevel, base: { pid: process.pid, worker: config.workerId } },
    process.stdout.isTTY ? readableLogStream(process.stdout) : process.stdout,
  );
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting without a clean stop');
      process.exit(130);
    }
    log.info({ signal }, 'stopping after the batch in hand');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const stats = await runWorker(config, {
      signal: controller.signal,
      batchSize: options.batch,
      concurrency: options.concurrency,
      leaseMs: options.leaseSeconds === undefined ? undefined : options.leaseSeconds * 1000,
      onStarted: (info) =>
        log.info({ ...info, db: redactUrl(config.db) }, 'worker is running; Ctrl+C stops it'),
      onOutcome: (report) => {
        const { touchPoint: tp, outcome } = report;
        if (!report.applied) {
          log.warn(
            { touchPoint: tp.id, attempt: outcome.attempt },
            'outcome refused: another attempt owns it',
          );
          return;
        }
        log.debug(
          { touchPoint: tp.id, step: tp.stepKey, outcome: outcome.kind },
          `${outcome.kind} ${tp.stepKey}`,
        );
      },
      onSwept: (leases) =>
        log.warn(
          { count: leases.length, workers: [...new Set(leases.map((l) => l.worker))] },
          'requeued expired claims',
        ),
      onError: (where, error) => log.error({ where, err: error }, 'worker error (retrying)'),
    });
    log.info({ stats }, 'stopped');
    return EXIT_OK;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
