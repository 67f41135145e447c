import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAwaitingPerson } from './awaitingPerson.js';
import { DEFAULT_POLICY_CONFIG as config } from './defaults.js';
import { aContext, DAY, HOUR, NOW } from './fixtures.test-helpers.js';

const waiting = { awaitingPersonSince: NOW - 2 * HOUR };
const identity = (at: number): number => at;

describe('checkAwaitingPerson', () => {
  test('an optional e-mail waits a day while a reply waits for a person', () => {
    for (const purpose of ['reassurance', 'education', 'offer'] as const) {
      assert.deepEqual(
        checkAwaitingPerson(aContext({ purpose, customer: waiting }), config, {
          plannedAt: NOW,
          settle: identity,
        }),
        { kind: 'defer', until: NOW + DAY, reason: 'awaiting_person' },
        purpose,
      );
    }
  });

  test('the re-check lands in the send window', () => {
    const settle = (at: number): number => at + 3 * HOUR;
    const decision = checkAwaitingPerson(aContext({ channel: 'sms', customer: waiting }), config, {
      plannedAt: NOW,
      settle,
    });
    assert.deepEqual(decision, { kind: 'defer', until: NOW + DAY + 3 * HOUR, reason: 'awaiting_person' });
  });

  test('a message kept waiting past a week is dropped as stale', () => {
    const decision = checkAwaitingPerson(aContext({ customer: waiting }), config, {
      plannedAt: NOW - 6 * DAY - HOUR,
      settle: identity,
    });
    assert.deepEqual(decision, { kind: 'skip', reason: 'stale', detail: 'a reply waited for a person' });
  });

  test('transactional messages, tasks and customers with nothing waiting are not held', () => {
    const wait = { plannedAt: NOW, settle: identity };
    assert.equal(
      checkAwaitingPerson(aContext({ purpose: 'transactional', customer: waiting }), config, wait),
      null,
    );
    assert.equal(
      checkAwaitingPerson(aContext({ channel: 'task:call', customer: waiting }), config, wait),
      null,
    );
    assert.equal(checkAwaitingPerson(aContext({}), config, wait), null);
  });
});
