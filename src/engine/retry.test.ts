import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULT_RETRY_POLICY, retryDecision } from './retry.js';

describe('retry decisions', () => {
  const policy = { maxAttempts: 4, baseMs: 1000, maxMs: 5000 };

  test('permanent errors are never retried', () => {
    assert.deepEqual(retryDecision('permanent', 1, policy), { retry: false });
  });

  test('retryable and uncertain errors are retried until the last attempt', () => {
    assert.equal(retryDecision('retryable', 1, policy).retry, true);
    assert.equal(retryDecision('uncertain', 3, policy).retry, true);
    assert.deepEqual(retryDecision('retryable', 4, policy), { retry: false });
  });

  test('backoff doubles, is capped, and jitters within [half, full] of the step', () => {
    assert.equal(
      backoffDelay(1, policy, () => 0),
      500,
    );
    assert.equal(
      backoffDelay(1, policy, () => 1),
      1000,
    );
    assert.equal(
      backoffDelay(2, policy, () => 1),
      2000,
    );
    assert.equal(
      backoffDelay(3, policy, () => 1),
      4000,
    );
    assert.equal(
      backoffDelay(10, policy, () => 1),
      5000,
    );
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, DEFAULT_RETRY_POLICY);
      assert.ok(d >= 30_000 && d <= 60_000, `delay ${d} out of range`);
    }
  });
});
