import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY_CONFIG as config } from './defaults.js';
import { aContext, DAY, NOW } from './fixtures.test-helpers.js';
import { checkNoSelling } from './noSelling.js';

const delivered = (at: number) => ({ placed: at - 3 * DAY, delivered: at });

describe('checkNoSelling', () => {
  test("only offers are concerned (an open concern is concernOpen.ts's)", () => {
    for (const purpose of ['transactional', 'reassurance', 'education'] as const) {
      const ctx = aContext({ purpose, customer: { openConcerns: 2 } });
      assert.equal(checkNoSelling(ctx, config, ctx.order.moments), null);
    }
  });

  test('no offer before the order has arrived', () => {
    const ctx = aContext({ purpose: 'offer' });
    assert.deepEqual(checkNoSelling(ctx, config, ctx.order.moments), {
      kind: 'skip',
      reason: 'not_delivered',
    });
  });

  test('an offer too soon after delivery waits until delivered + the delay (21 days)', () => {
    const ctx = aContext({ purpose: 'offer' });
    const at = NOW - 5 * DAY;
    assert.deepEqual(checkNoSelling(ctx, config, delivered(at)), {
      kind: 'defer',
      until: at + 21 * DAY,
      reason: 'offer_too_soon',
    });
  });

  test('from delivered + delay on, the offer may go', () => {
    const ctx = aContext({ purpose: 'offer' });
    assert.equal(checkNoSelling(ctx, config, delivered(NOW - 21 * DAY)), null);
    const shorter = { ...config, offerDelayAfterDeliveryMs: 2 * DAY };
    assert.equal(checkNoSelling(ctx, shorter, delivered(NOW - 3 * DAY)), null);
  });
});
