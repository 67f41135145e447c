import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../domain.js';
import { checkConcernOpen } from './concernOpen.js';
import { aContext } from './fixtures.test-helpers.js';

const open = { openConcerns: 1 };

describe('checkConcernOpen', () => {
  test('offers and education are skipped on every channel while a concern is open', () => {
    for (const purpose of ['offer', 'education'] as const) {
      for (const channel of CHANNELS) {
        const ctx = aContext({ purpose, channel, customer: open });
        assert.deepEqual(
          checkConcernOpen(ctx, ctx.step!),
          { kind: 'skip', reason: 'concern_open', detail: '1 open concern' },
          `${purpose} ${channel}`,
        );
      }
    }
  });

  test('a survey is never sent while we are still fixing things', () => {
    const ctx = aContext({ step: { survey: 'nps' }, customer: { openConcerns: 2 } });
    assert.deepEqual(checkConcernOpen(ctx, ctx.step!), {
      kind: 'skip',
      reason: 'concern_open',
      detail: '2 open concerns',
    });
  });

  test('automated reassurance gives way to the person handling it; their tasks go', () => {
    for (const channel of ['email', 'sms'] as const) {
      const ctx = aContext({ channel, customer: open });
      assert.equal(checkConcernOpen(ctx, ctx.step!)?.kind, 'skip', channel);
    }
    for (const channel of ['task:call', 'task:meeting', 'task:letter', 'task:gift', 'webhook'] as const) {
      const ctx = aContext({ channel, customer: open });
      assert.equal(checkConcernOpen(ctx, ctx.step!), null, channel);
    }
  });

  test('transactional messages always go; nothing is held without a concern', () => {
    const shipping = aContext({ purpose: 'transactional', customer: open });
    assert.equal(checkConcernOpen(shipping, shipping.step!), null);
    const calm = aContext({ purpose: 'offer', step: { survey: 'csat' } });
    assert.equal(checkConcernOpen(calm, calm.step!), null);
  });
});
