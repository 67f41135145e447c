// The long-running commands' logging: a pino logger (readable lines on a terminal, JSON
// otherwise), one line per dispatched touch point, and the shutdown signal handling.
import { describeReason } from '../core/reasons.js';
import pino, { type DestinationStream, type Logger } from 'pino';
import { toLocalIso } from '../core/localTime.js';
import type { LogLevel } from '../config.js';
import type { Clock } from '../engine/clock.js';
import type { OutcomeReport } from '../engine/dispatcher.js';
import { readableLogStream } from './logFormat.js';
import { PERSONAL_DATA_OPTIONS } from './logPrivacy.js';

/**
 * The process logger. Ids only, as docs/operations.md promises: keys that hold personal data are
 * redacted wherever they appear, and e-mail addresses and phone numbers are masked in messages
 * and errors (an SMTP server's refusal quotes the recipient). `destination` is for tests.
 */
export function createLogger(
  level: LogLevel,
  base: Record<string, unknown> = {},
  destination?: DestinationStream,
): Logger {
  return pino(
    { level, base: { pid: process.pid, ...base }, ...PERSONAL_DATA_OPTIONS },
    destination ?? (process.stdout.isTTY ? readableLogStream(process.stdout) : process.stdout),
  );
}

/** One log line per recorded outcome; deferrals only at debug level. */
export function outcomeLogger(log: Logger, clock: Clock, zone: string) {
  return (report: OutcomeReport): void => {
    const { touchPoint: tp, outcome } = report;
    const fields = {
      virtualTime: toLocalIso(clock.now(), zone),
      order: tp.orderId,
      customer: tp.customerId,
      step: tp.stepKey,
      channel: tp.channel,
      outcome: outcome.kind,
    };
    switch (outcome.kind) {
      case 'sent':
        // Not the subject or task title: they carry the customer's name.
        log.info(fields, `sent ${tp.stepKey} via ${tp.channel} for order ${tp.orderId}`);
        return;
      case 'skipped':
      case 'cancelled':
        log.info(
          { ...fields, reason: outcome.reason },
          `${outcome.kind} ${tp.stepKey} for order ${tp.orderId} (${describeReason(outcome.reason)})`,
        );
        return;
      case 'failed':
        log.warn(
          { ...fields, reason: outcome.reason },
          `failed ${tp.stepKey} for order ${tp.orderId}: ${describeReason(outcome.reason)}`,
        );
        return;
      case 'rescheduled':
        log.debug(
          { ...fields, reason: outcome.reason, dueAt: new Date(outcome.dueAt).toISOString() },
          `deferred ${tp.stepKey}`,
        );
        return;
    }
  };
}

/** Resolves on the first SIGINT/SIGTERM; a second one ends the process at once. */
export function shutdownSignal(log: Logger): Promise<string> {
  return new Promise((resolve) => {
    let received = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (received) {
        log.warn({ signal }, 'second signal: exiting without a clean stop');
        process.exit(130);
      }
      received = true;
      resolve(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
