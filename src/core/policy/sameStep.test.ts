import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from './decide.js';
import { DEFAULT_POLICY_CONFIG as config } from './defaults.js';
import { aContext, HOUR, NOW } from './fixtures.test-helpers.js';
import { checkSameStep } from './sameStep.js';

describe('checkSameStep', () => {
  const thankYou = { step: { key: 'thank-you', template: 'thank-you' } };

  test('the same step sent to the customer within the window is skipped, naming the one that went', () => {
    const ctx = aContext({
      ...thankYou,
      recentSteps: [
        { at: NOW - 30 * HOUR, playbook: 'reassure', stepKey: 'thank-you', template: 'thank-you' },
        {
          at: NOW - 5 * HOUR,
          playbook: 'subscriptions',
          stepKey: 'thank-you',
          template: 'subscription-thanks',
        },
      ],
    });
    assert.deepEqual(checkSameStep(ctx, ctx.step!, config), {
      kind: 'skip',
      reason: 'same_step_recently',
      detail: 'subscriptions thank-you sent 2026-06-10 09:00 UTC',
    });
    assert.deepEqual(decide(ctx, config), checkSameStep(ctx, ctx.step!, config), 'decide runs it');
  });

  test('another program’s step worded with the same template counts; the same program’s other steps do not', () => {
    const other = aContext({
      ...thankYou,
      recentSteps: [{ at: NOW - HOUR, playbook: 'winback', stepKey: 'welcome-back', template: 'thank-you' }],
    });
    assert.equal(checkSameStep(other, other.step!, config)?.kind, 'skip');
    const own = aContext({
      ...thankYou,
      recentSteps: [{ at: NOW - HOUR, playbook: 'reassure', stepKey: 'order-note', template: 'thank-you' }],
    });
    assert.equal(checkSameStep(own, own.step!, config), null);
  });

  test('after the window, for transactional messages and tasks, or with the window off, it goes', () => {
    const recentSteps = [
      { at: NOW - 24 * HOUR, playbook: 'reassure', stepKey: 'thank-you', template: 'thank-you' },
    ];
    const ctx = aContext({ ...thankYou, recentSteps });
    assert.equal(checkSameStep(ctx, ctx.step!, config), null, 'a send at t counts while now < t + window');
    const recent = [{ ...recentSteps[0]!, at: NOW - HOUR }];
    const notice = aContext({ ...thankYou, purpose: 'transactional', recentSteps: recent });
    assert.equal(checkSameStep(notice, notice.step!, config), null);
    const letter = aContext({ ...thankYou, channel: 'task:letter', recentSteps: recent });
    assert.equal(checkSameStep(letter, letter.step!, config), null);
    const off = aContext({ ...thankYou, recentSteps: recent });
    assert.equal(checkSameStep(off, off.step!, { ...config, sameStepWindowMs: 0 }), null);
  });
});
