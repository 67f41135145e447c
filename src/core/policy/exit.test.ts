import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExit } from './exit.js';
import { aContext, aPlaybook, DAY, NOW } from './fixtures.test-helpers.js';

describe('checkExit', () => {
  test('a running program with a present step goes on', () => {
    assert.equal(checkExit(aContext()), null);
  });

  test('a step the playbook no longer has is cancelled', () => {
    assert.deepEqual(checkExit(aContext({ step: null })), {
      kind: 'cancel',
      reason: { code: 'step_removed', detail: null },
    });
  });

  test("a moment in the step's cancelOn that has happened cancels it", () => {
    const ctx = aContext({
      step: { cancelOn: ['delivered'] },
      order: { moments: { placed: NOW - 2 * DAY, delivered: NOW - DAY } },
    });
    assert.deepEqual(checkExit(ctx), {
      kind: 'cancel',
      reason: { code: 'exit_moment', detail: 'delivered' },
    });
  });

  test('a reported fact counts even if stamped a little in the future (clock skew)', () => {
    const ctx = aContext({
      step: { cancelOn: ['delivered'] },
      order: { moments: { placed: NOW - 2 * DAY, delivered: NOW + 5_000 } },
    });
    assert.deepEqual(checkExit(ctx), {
      kind: 'cancel',
      reason: { code: 'exit_moment', detail: 'delivered' },
    });
  });

  test('a forecast moment (renewal date) cancels only once its time has come', () => {
    const step = { cancelOn: ['renewal' as const] };
    const future = aContext({ step, order: { moments: { placed: NOW - DAY, renewal: NOW + DAY } } });
    assert.equal(checkExit(future), null);
    const past = aContext({ step, order: { moments: { placed: NOW - DAY, renewal: NOW - 1 } } });
    assert.deepEqual(checkExit(past), { kind: 'cancel', reason: { code: 'exit_moment', detail: 'renewal' } });
  });

  test('an ended program cancels its steps, naming the exit moment', () => {
    const ctx = aContext({
      enrollment: { status: 'ended', endedReason: 'returned' },
      order: { moments: { placed: NOW - 9 * DAY, returned: NOW - DAY } },
    });
    assert.deepEqual(checkExit(ctx), {
      kind: 'cancel',
      reason: { code: 'program_ended', detail: 'returned' },
    });
  });

  test('but not the step timed from the moment that ended it (a return follow-up)', () => {
    const ctx = aContext({
      enrollment: { status: 'ended', endedReason: 'returned' },
      order: { moments: { placed: NOW - 9 * DAY, returned: NOW - DAY } },
      step: { timing: { moment: 'returned', offsetMs: DAY, atLocal: null } },
    });
    assert.equal(checkExit(ctx), null);
  });

  test("nor a follow-up of the customer's concern: it answers them, not the order's program", () => {
    const ctx = aContext({
      enrollment: { status: 'ended', endedReason: 'returned' },
      order: { moments: { placed: NOW - 9 * DAY, returned: NOW - DAY } },
      step: { timing: { moment: 'concern_resolved', offsetMs: 3 * DAY, atLocal: null } },
    });
    assert.equal(checkExit(ctx), null);
  });

  test('a step timed from another exit moment is still cancelled without the playbook', () => {
    const ctx = aContext({
      enrollment: { status: 'ended', endedReason: 'returned' },
      order: { moments: { placed: NOW - 9 * DAY, returned: NOW - DAY, cancelled: NOW - DAY } },
      step: { timing: { moment: 'cancelled', offsetMs: 0, atLocal: null } },
    });
    assert.deepEqual(checkExit(ctx), {
      kind: 'cancel',
      reason: { code: 'program_ended', detail: 'returned' },
    });
  });

  test('an ended program without a known moment: only steps answering a return or cancellation stay', () => {
    const ended = { status: 'ended' as const, endedReason: 'stopped_by_hand' };
    assert.deepEqual(checkExit(aContext({ enrollment: ended })), {
      kind: 'cancel',
      reason: { code: 'program_ended', detail: null },
    });
    const answer = aContext({
      enrollment: ended,
      order: { moments: { placed: NOW - 9 * DAY, cancelled: NOW - DAY } },
      step: { timing: { moment: 'cancelled', offsetMs: 0, atLocal: null } },
    });
    assert.equal(checkExit(answer), null);
  });

  test('the program end is reported before the step’s own cancel-on', () => {
    const ctx = aContext({
      enrollment: { status: 'ended', endedReason: 'cancelled' },
      order: { moments: { placed: NOW - 9 * DAY, cancelled: NOW - DAY, delivered: NOW - 2 * DAY } },
      step: { cancelOn: ['delivered'] },
    });
    assert.deepEqual(checkExit(ctx), {
      kind: 'cancel',
      reason: { code: 'program_ended', detail: 'cancelled' },
    });
  });

  describe('with the playbook', () => {
    test('an exit that arrived ends the program even before intake marked the enrollment', () => {
      const ctx = aContext({
        playbook: aPlaybook({ exitOn: ['returned'] }),
        order: { moments: { placed: NOW - 9 * DAY, returned: NOW - DAY } },
      });
      assert.deepEqual(checkExit(ctx), {
        kind: 'cancel',
        reason: { code: 'program_ended', detail: 'returned' },
      });
    });

    test("the playbook's exit list decides which steps answer the exit", () => {
      const ctx = aContext({
        playbook: aPlaybook({ exitOn: ['returned', 'cancelled'] }),
        enrollment: { status: 'ended', endedReason: 'returned' },
        order: { moments: { placed: NOW - 9 * DAY, returned: NOW - DAY, cancelled: NOW - DAY } },
        step: { timing: { moment: 'cancelled', offsetMs: 0, atLocal: null } },
      });
      assert.equal(checkExit(ctx), null);
    });

    test('derived moments count: the return window closing', () => {
      const base = {
        step: { cancelOn: ['return_window_closed' as const] },
        order: { moments: { placed: NOW - 40 * DAY, delivered: NOW - 31 * DAY } },
      };
      assert.equal(checkExit(aContext(base)), null, 'not visible without the playbook');
      const ctx = aContext({ ...base, playbook: aPlaybook({ returnWindowMs: 30 * DAY }) });
      assert.deepEqual(checkExit(ctx), {
        kind: 'cancel',
        reason: { code: 'exit_moment', detail: 'return_window_closed' },
      });
      const open = aContext({ ...base, playbook: aPlaybook({ returnWindowMs: 32 * DAY }) });
      assert.equal(checkExit(open), null);
    });
  });
});
