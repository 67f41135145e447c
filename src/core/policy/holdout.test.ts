import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHoldout } from './holdout.js';
import { aContext } from './fixtures.test-helpers.js';

describe('checkHoldout', () => {
  test('treated customers pass', () => {
    assert.equal(checkHoldout(aContext()), null);
  });

  test('the holdout group gets nothing but transactional messages', () => {
    for (const purpose of ['reassurance', 'education', 'offer'] as const) {
      assert.deepEqual(checkHoldout(aContext({ purpose, enrollment: { holdout: true } })), {
        kind: 'skip',
        reason: 'holdout',
      });
    }
    assert.equal(checkHoldout(aContext({ purpose: 'transactional', enrollment: { holdout: true } })), null);
  });

  test('the touch point’s own holdout flag counts too', () => {
    assert.deepEqual(checkHoldout(aContext({ channel: 'task:call', touchPoint: { holdout: true } })), {
      kind: 'skip',
      reason: 'holdout',
    });
  });
});
