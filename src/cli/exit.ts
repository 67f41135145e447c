// Exit codes and how a failure is told to the person at the terminal: one line with the
// message and the stable error code, never a stack trace for an expected problem.
import { AftercareError, type ErrorCode } from '../errors.js';

export const EXIT_OK = 0;
/** The command ran, but some input was rejected (bad CSV rows, an invalid playbook). */
export const EXIT_REJECTED = 1;
/** Nothing was done: wrong usage, a missing or unreadable file, invalid configuration. */
export const EXIT_USAGE = 2;

const USAGE_ERRORS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'AFTERCARE_E_CONFIG',
  'AFTERCARE_E_FILE_NOT_FOUND',
  'AFTERCARE_E_CSV_INVALID',
  'AFTERCARE_E_INPUT_INVALID',
  'AFTERCARE_E_PLAYBOOK_NOT_FOUND',
  'AFTERCARE_E_PLAYBOOK_INVALID',
  'AFTERCARE_E_TEMPLATE_NOT_FOUND',
  'AFTERCARE_E_STORE_NOT_FOUND',
]);

export function exitCodeFor(error: unknown): number {
  return error instanceof AftercareError && USAGE_ERRORS.has(error.code) ? EXIT_USAGE : EXIT_REJECTED;
}

/** `aftercare: <message> [AFTERCARE_E_...]`; unexpected errors keep their stack for the bug report. */
export function describeError(error: unknown): string {
  if (error instanceof AftercareError) return `aftercare: ${error.message} [${error.code}]`;
  if (error instanceof Error)
    return `aftercare: unexpected error [AFTERCARE_E_INTERNAL]\n${error.stack ?? error.message}`;
  return `aftercare: unexpected error [AFTERCARE_E_INTERNAL]: ${String(error)}`;
}

/** A bad command-line value: reported like any usage problem. */
export function usageError(message: string, details: Record<string, unknown> = {}): AftercareError {
  return new AftercareError('AFTERCARE_E_INPUT_INVALID', message, details);
}
