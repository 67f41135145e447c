import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_POLICY_CONFIG as config } from './defaults.js';
import { aContext, aStep, DAY, HOUR, NOW } from './fixtures.test-helpers.js';
import { capFreesAt, checkFrequencyCap, plannedAt } from './frequencyCap.js';

const cap = config.frequencyCap; // 3 per 7 days
const full = [NOW - 6 * DAY, NOW - 2 * DAY, NOW - HOUR];

describe('capFreesAt', () => {
  test('null while there is room', () => {
    assert.equal(capFreesAt([], NOW, cap), null);
    assert.equal(capFreesAt([NOW - 2 * DAY, NOW - HOUR], NOW, cap), null);
  });

  test('a full window frees when its oldest send leaves it', () => {
    assert.equal(capFreesAt(full, NOW, cap), NOW + DAY);
  });

  test('sends older than the window do not count; a send exactly a window ago has left it', () => {
    assert.equal(capFreesAt([NOW - 8 * DAY, NOW - 2 * DAY, NOW - HOUR], NOW, cap), null);
    assert.equal(capFreesAt([NOW - 7 * DAY, NOW - 2 * DAY, NOW - HOUR], NOW, cap), null);
  });

  test('over the cap (e.g. after lowering it), enough sends must leave', () => {
    const five = [NOW - 6 * DAY, NOW - 5 * DAY, NOW - 4 * DAY, NOW - 3 * DAY, NOW - HOUR];
    // Three may stand: the two oldest and the third must leave, so the slot frees at -4d + 7d.
    assert.equal(capFreesAt(five, NOW, cap), NOW + 3 * DAY);
  });

  test('order of the input does not matter', () => {
    assert.equal(capFreesAt([...full].reverse(), NOW, cap), NOW + DAY);
  });
});

describe('checkFrequencyCap', () => {
  const input = { plannedAt: NOW };

  test('transactional messages are never capped', () => {
    const ctx = aContext({ purpose: 'transactional', recentNonTransactional: full });
    assert.equal(checkFrequencyCap(ctx, config, input), null);
  });

  test('only e-mail and SMS are capped', () => {
    for (const channel of ['task:call', 'task:meeting', 'task:letter', 'task:gift', 'webhook'] as const) {
      const ctx = aContext({ channel, purpose: 'offer', recentNonTransactional: full });
      assert.equal(checkFrequencyCap(ctx, config, input), null, channel);
    }
    const sms = aContext({ channel: 'sms', recentNonTransactional: full });
    assert.equal(checkFrequencyCap(sms, config, input)?.kind, 'defer');
  });

  test('with room, everything passes', () => {
    const ctx = aContext({ purpose: 'offer', recentNonTransactional: full.slice(1) });
    assert.equal(checkFrequencyCap(ctx, config, input), null);
  });

  test('reassurance waits for a free slot', () => {
    const ctx = aContext({ purpose: 'reassurance', recentNonTransactional: full });
    assert.deepEqual(checkFrequencyCap(ctx, config, input), {
      kind: 'defer',
      until: NOW + DAY,
      reason: 'frequency_cap',
    });
  });

  test('education waits while it stays timely, and is dropped once it would be too late', () => {
    const ctx = aContext({ purpose: 'education', recentNonTransactional: full });
    assert.deepEqual(checkFrequencyCap(ctx, config, { plannedAt: NOW - 6 * DAY }), {
      kind: 'defer',
      until: NOW + DAY,
      reason: 'frequency_cap',
    });
    // The slot frees at NOW + 1d; planned 6d + 1ms earlier, that is past the 7 days allowed.
    assert.deepEqual(checkFrequencyCap(ctx, config, { plannedAt: NOW - 6 * DAY - 1 }), {
      kind: 'skip',
      reason: 'stale',
    });
  });

  test('offers give way', () => {
    const ctx = aContext({ purpose: 'offer', recentNonTransactional: full });
    assert.deepEqual(checkFrequencyCap(ctx, config, input), { kind: 'skip', reason: 'frequency_cap' });
  });

  test('the deferral is moved into the send window, and lateness is judged there', () => {
    const settle = (at: number) => at + 10 * HOUR;
    const ctx = aContext({ purpose: 'education', recentNonTransactional: full });
    assert.deepEqual(checkFrequencyCap(ctx, config, { plannedAt: NOW - 5 * DAY, settle }), {
      kind: 'defer',
      until: NOW + DAY + 10 * HOUR,
      reason: 'frequency_cap',
    });
    assert.deepEqual(checkFrequencyCap(ctx, config, { plannedAt: NOW - 6 * DAY, settle }), {
      kind: 'skip',
      reason: 'stale',
    });
  });
});

describe('plannedAt', () => {
  test("is the step's time from its moment, even after deferrals moved dueAt", () => {
    const step = aStep({ timing: { moment: 'placed', offsetMs: 2 * DAY, atLocal: null } });
    const ctx = aContext({ order: { moments: { placed: NOW - 10 * DAY } }, touchPoint: { dueAt: NOW } });
    assert.equal(plannedAt(ctx, step, ctx.order.moments, 'UTC'), NOW - 8 * DAY);
  });

  test('follows local-time steps in the customer zone', () => {
    const step = aStep({ timing: { moment: 'placed', offsetMs: 2 * DAY, atLocal: { hour: 10, minute: 0 } } });
    const placed = Date.UTC(2026, 5, 1, 12);
    const ctx = aContext({ order: { moments: { placed } }, touchPoint: { dueAt: NOW } });
    assert.equal(plannedAt(ctx, step, ctx.order.moments, 'Asia/Kathmandu'), Date.UTC(2026, 5, 3, 4, 15));
  });

  test('falls back to dueAt when the moment is unknown or the touch point was moved earlier', () => {
    const step = aStep({ timing: { moment: 'delivered', offsetMs: DAY, atLocal: null } });
    const ctx = aContext({ touchPoint: { dueAt: NOW - HOUR } });
    assert.equal(plannedAt(ctx, step, ctx.order.moments, 'UTC'), NOW - HOUR);
    const early = aContext({ order: { moments: { placed: NOW } }, touchPoint: { dueAt: NOW - DAY } });
    assert.equal(plannedAt(early, aStep(), early.order.moments, 'UTC'), NOW - DAY);
  });
});
