import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS, PURPOSES } from '../domain.js';
import { DEFAULT_POLICY_CONFIG as config } from './defaults.js';
import { aContext, DAY, HOUR, NOW } from './fixtures.test-helpers.js';
import { checkOptedOut, checkPaused } from './preferences.js';

const identity = (at: number): number => at;

describe('checkOptedOut', () => {
  test('a switched-off topic skips its e-mails and SMS, naming the topic', () => {
    const customer = {
      preferences: { topicsOff: ['education' as const], channelsOff: [], pausedUntil: null },
    };
    assert.deepEqual(checkOptedOut(aContext({ purpose: 'education', customer })), {
      kind: 'skip',
      reason: 'opted_out',
      detail: 'topic education switched off',
    });
    assert.equal(checkOptedOut(aContext({ purpose: 'reassurance', customer })), null);
    assert.equal(checkOptedOut(aContext({ purpose: 'offer', customer })), null);
  });

  test('a switched-off channel skips optional messages on it, naming the channel', () => {
    const customer = { preferences: { topicsOff: [], channelsOff: ['sms' as const], pausedUntil: null } };
    assert.deepEqual(checkOptedOut(aContext({ channel: 'sms', purpose: 'reassurance', customer })), {
      kind: 'skip',
      reason: 'opted_out',
      detail: 'channel sms switched off',
    });
    assert.equal(checkOptedOut(aContext({ channel: 'email', customer })), null);
  });

  test('transactional messages and work for people are never opted out of', () => {
    const customer = {
      preferences: {
        topicsOff: ['checkins' as const, 'education' as const, 'offers' as const],
        channelsOff: ['email' as const, 'sms' as const],
        pausedUntil: null,
      },
    };
    for (const channel of CHANNELS) {
      assert.equal(checkOptedOut(aContext({ channel, purpose: 'transactional', customer })), null, channel);
    }
    for (const purpose of PURPOSES) {
      for (const channel of ['task:call', 'task:letter', 'task:gift', 'webhook'] as const) {
        assert.equal(checkOptedOut(aContext({ channel, purpose, customer })), null, `${purpose} ${channel}`);
      }
    }
  });
});

describe('checkPaused', () => {
  const paused = (until: number) => ({ preferences: { topicsOff: [], channelsOff: [], pausedUntil: until } });

  test('an optional message waits for the end of the pause, settled into the send window', () => {
    const ctx = aContext({ customer: paused(NOW + 3 * DAY) });
    const settle = (at: number): number => at + HOUR;
    assert.deepEqual(checkPaused(ctx, config, { plannedAt: NOW, settle }), {
      kind: 'defer',
      until: NOW + 3 * DAY + HOUR,
      reason: 'paused',
    });
  });

  test('a message the pause would make more than a week late is skipped, with the end of the pause', () => {
    const until = Date.UTC(2026, 6, 10, 9);
    const ctx = aContext({ purpose: 'education', customer: paused(until) });
    assert.deepEqual(checkPaused(ctx, config, { plannedAt: NOW, settle: identity }), {
      kind: 'skip',
      reason: 'paused',
      detail: 'paused until 2026-07-10 09:00 UTC',
    });
  });

  test('a pause that has ended, transactional messages and tasks do not wait', () => {
    const wait = { plannedAt: NOW, settle: identity };
    assert.equal(checkPaused(aContext({ customer: paused(NOW) }), config, wait), null);
    const long = paused(NOW + 30 * DAY);
    assert.equal(checkPaused(aContext({ purpose: 'transactional', customer: long }), config, wait), null);
    assert.equal(checkPaused(aContext({ channel: 'task:call', customer: long }), config, wait), null);
  });
});
