import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.js';
import { DEFAULT_POLICY_CONFIG } from './defaults.js';
import { checkHoldout, reachesHoldout } from './holdout.js';
import { aContext, DAY, NOW } from './fixtures.test-helpers.js';
import type { PolicyConfig } from './types.js';

const ON = DEFAULT_POLICY_CONFIG;
const OFF: PolicyConfig = { ...DEFAULT_POLICY_CONFIG, measurementSurveys: false };
const HOLDOUT = { enrollment: { holdout: true }, touchPoint: { holdout: true } } as const;
const MEASUREMENT = { survey: 'csat', measurement: true } as const;

describe('checkHoldout', () => {
  test('treated customers pass', () => {
    assert.equal(checkHoldout(aContext(), aContext().step, ON), null);
  });

  test('the holdout group gets nothing but transactional messages', () => {
    for (const purpose of ['reassurance', 'education', 'offer'] as const) {
      const ctx = aContext({ purpose, enrollment: { holdout: true } });
      assert.deepEqual(checkHoldout(ctx, ctx.step, ON), { kind: 'skip', reason: 'holdout' });
    }
    const ctx = aContext({ purpose: 'transactional', enrollment: { holdout: true } });
    assert.equal(checkHoldout(ctx, ctx.step, ON), null);
  });

  test('the touch point’s own holdout flag counts too', () => {
    const ctx = aContext({ channel: 'task:call', touchPoint: { holdout: true } });
    assert.deepEqual(checkHoldout(ctx, ctx.step, ON), { kind: 'skip', reason: 'holdout' });
  });

  test('a measurement survey reaches the holdout group', () => {
    const ctx = aContext({ ...HOLDOUT, step: MEASUREMENT });
    assert.equal(checkHoldout(ctx, ctx.step, ON), null);
  });

  test('the same survey without measurement: true is held back from the holdout', () => {
    const ctx = aContext({ ...HOLDOUT, step: { survey: 'csat' } });
    assert.deepEqual(checkHoldout(ctx, ctx.step, ON), { kind: 'skip', reason: 'holdout' });
  });

  test('AFTERCARE_MEASUREMENT=off: a measurement step is held back like any other', () => {
    const ctx = aContext({ ...HOLDOUT, step: MEASUREMENT });
    assert.deepEqual(checkHoldout(ctx, ctx.step, OFF), { kind: 'skip', reason: 'holdout' });
    // ... and treated customers still get it.
    const treated = aContext({ step: MEASUREMENT });
    assert.equal(checkHoldout(treated, treated.step, OFF), null);
  });

  test('reachesHoldout: transactional always, a measurement step while measurement is on, nothing else', () => {
    assert.equal(reachesHoldout('transactional', null, OFF), true);
    assert.equal(reachesHoldout('reassurance', { measurement: true }, ON), true);
    assert.equal(reachesHoldout('reassurance', { measurement: true }, OFF), false);
    assert.equal(reachesHoldout('reassurance', {}, ON), false);
    assert.equal(reachesHoldout('reassurance', null, ON), false);
  });
});

describe('decide: a measurement step for a holdout customer', () => {
  test('is sent', () => {
    assert.deepEqual(decide(aContext({ ...HOLDOUT, step: MEASUREMENT }), ON), { kind: 'send' });
  });

  test('a non-measurement step is skipped for the holdout', () => {
    assert.deepEqual(decide(aContext({ ...HOLDOUT, step: { survey: 'csat' } }), ON), {
      kind: 'skip',
      reason: 'holdout',
    });
  });

  test('is skipped for the holdout when measurement is off', () => {
    assert.deepEqual(decide(aContext({ ...HOLDOUT, step: MEASUREMENT }), OFF), {
      kind: 'skip',
      reason: 'holdout',
    });
  });

  test('every other rule still applies: unsubscribed, survey throttle, quiet hours, frequency cap', () => {
    const unsubscribed = decide(
      aContext({ ...HOLDOUT, step: MEASUREMENT, customer: { unsubscribedAt: NOW - DAY } }),
      ON,
    );
    assert.equal(unsubscribed.kind, 'skip');
    assert.notEqual(unsubscribed.kind === 'skip' && unsubscribed.reason, 'holdout');

    const throttled = decide(
      aContext({
        ...HOLDOUT,
        step: MEASUREMENT,
        recentSurveys: [{ at: NOW - 3 * DAY, stepKey: 'checkin-week', survey: 'csat' }],
      }),
      ON,
    );
    assert.equal(throttled.kind === 'skip' && throttled.reason, 'survey_throttled');

    // 23:00 UTC is inside the default quiet hours (20:00-09:00).
    const night = decide(aContext({ ...HOLDOUT, step: MEASUREMENT, now: NOW + 9 * 3_600_000 }), ON);
    assert.equal(night.kind, 'defer');

    const capped = decide(
      aContext({
        ...HOLDOUT,
        step: MEASUREMENT,
        recentNonTransactional: [NOW - 3 * DAY, NOW - 2 * DAY, NOW - DAY],
      }),
      ON,
    );
    assert.equal(capped.kind === 'defer' && capped.reason, 'frequency_cap');
  });
});
