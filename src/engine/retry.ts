// Retries decided in one place: which channel errors are tried again, and when.
import type { Millis } from '../core/domain.js';
import type { ChannelErrorKind } from '../channels/port.js';

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last one a retryable error is final. */
  maxAttempts: number;
  baseMs: Millis;
  maxMs: Millis;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseMs: 30_000, maxMs: 3_600_000 };

/** What to do with an error of this kind after `attempt` attempts. */
export function retryDecision(
  kind: ChannelErrorKind,
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): { retry: true; delayMs: Millis } | { retry: false } {
  // Uncertain errors are retried like retryable ones: the receiver de-duplicates on the
  // idempotency key / Message-ID, so a second copy is harmless and a lost one is not.
  if (kind === 'permanent' || attempt >= policy.maxAttempts) return { retry: false };
  return { retry: true, delayMs: backoffDelay(attempt, policy, random) };
}

/** Exponential backoff with jitter in [half, full] of the step, so retries of a burst spread out. */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): Millis {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
}
