// `aftercare worker`: a dispatch-only process for scale-out. Run as many as needed against one
// PostgreSQL store; each claims due touch points with a lease, wakes on new work (LISTEN), and
// takes its turn at the cluster-wide lease sweep. SIGINT/SIGTERM stop it after the batch in hand.
// Its parts come from the composition root, exactly as `serve` gets them.
import { compose } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { redactUrl } from '../config/redact.js';
import { EXIT_OK } from './exit.js';
import { createLogger } from './logging.js';
import { requireSecret } from './secret.js';

export interface WorkerCommandOptions {
  batch?: number;
  concurrency?: number;
  leaseSeconds?: number;
  maxUnrecorded?: number;
}

function aborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export async function workerCommand(options: WorkerCommandOptions): Promise<number> {
  const config = loadConfig(process.env);
  requireSecret(config, 'worker');
  const log = createLogger(config.logLevel, { worker: config.workerId });
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
    const app = await compose(config);
    try {
      const worker = await app.startWorker({
        batchSize: options.batch,
        concurrency: options.concurrency,
        maxUnrecorded: options.maxUnrecorded,
        leaseMs: options.leaseSeconds === undefined ? undefined : options.leaseSeconds * 1000,
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
      log.info(
        {
          playbooks: app.playbooks.map((p) => `${p.name}@${p.version}`),
          workerId: config.workerId,
          dialect: app.store.dialect,
          db: redactUrl(config.db),
        },
        'worker is running; Ctrl+C stops it',
      );
      // Replies it takes wait in the shared inbox for a `serve` process's drain.
      const inboundSmtp = await app.startInboundSmtp(log).catch(async (error: unknown) => {
        await worker.stop();
        throw error;
      });
      if (inboundSmtp !== null)
        log.info({ host: inboundSmtp.host, port: inboundSmtp.port }, 'listening for replies over SMTP');
      await aborted(controller.signal);
      await inboundSmtp?.close();
      const stats = await worker.stop();
      log.info({ stats }, 'stopped');
      return EXIT_OK;
    } finally {
      await app.close();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
