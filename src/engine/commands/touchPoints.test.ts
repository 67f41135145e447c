// Touch points by hand: move, cancel, send now; only while scheduled; wake-ups when work is due.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { TouchPoint } from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import { DEFAULT_TOUCH_POINT_LIMIT } from './touchPoints.js';
import { commandWorld, DAY, deliveredOrder, HOUR, T0, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
let planned: TouchPoint[];
beforeEach(async () => {
  w = await commandWorld();
  await w.commands.ingest.events(deliveredOrder('o-1'));
  planned = await w.commands.touchPoints.list({ orderId: 'o-1', status: 'scheduled' });
  assert.ok(planned.length >= 2, 'the order has a plan');
});
afterEach(() => w.close());

describe('touch point commands', () => {
  test('list filters by order and status; get reads one; an unknown one is null', async () => {
    assert.ok(planned.every((tp) => tp.orderId === 'o-1' && tp.status === 'scheduled'));
    assert.deepEqual(await w.commands.touchPoints.get(planned[0]!.id), planned[0]);
    assert.equal(await w.commands.touchPoints.get('nope'), null);
    assert.equal((await w.commands.touchPoints.list({ limit: 1 })).length, 1);
    assert.equal(DEFAULT_TOUCH_POINT_LIMIT, 100);
  });

  test('move: a later time does not wake the dispatcher; a past one does', async () => {
    const [first] = planned;
    const wakeUps = w.wakeUps();
    const later = await w.commands.touchPoints.move(first!.id, T0 + 10 * DAY);
    assert.ok(later.ok);
    assert.equal(later.touchPoint.dueAt, T0 + 10 * DAY);
    assert.equal(w.wakeUps(), wakeUps, 'nothing due now');

    const past = await w.commands.touchPoints.move(first!.id, T0 - HOUR);
    assert.ok(past.ok);
    assert.equal(w.wakeUps(), wakeUps + 1, 'due already: the dispatcher is woken');
  });

  test('send now: due at the clock, and the dispatcher woken', async () => {
    w.clock.advance(HOUR);
    const wakeUps = w.wakeUps();
    const now = await w.commands.touchPoints.sendNow(planned[0]!.id);
    assert.ok(now.ok);
    assert.equal(now.touchPoint.dueAt, T0 + HOUR);
    assert.equal(w.wakeUps(), wakeUps + 1);
  });

  test("cancel: reason cancelled_by_hand with the person's note, trimmed", async () => {
    const [first, second] = planned;
    const noted = await w.commands.touchPoints.cancel(first!.id, '  customer called  ');
    assert.ok(noted.ok);
    assert.equal(noted.touchPoint.status, 'cancelled');
    assert.deepEqual(noted.touchPoint.reason, { code: 'cancelled_by_hand', detail: 'customer called' });
    const bare = await w.commands.touchPoints.cancel(second!.id, '   ');
    assert.ok(bare.ok);
    assert.deepEqual(bare.touchPoint.reason, { code: 'cancelled_by_hand', detail: null });
  });

  test('a touch point no longer scheduled is not changed: not_scheduled, with what it is now', async () => {
    const [first] = planned;
    await w.commands.touchPoints.cancel(first!.id, null);
    const wakeUps = w.wakeUps();
    for (const attempt of [
      w.commands.touchPoints.move(first!.id, T0 + DAY),
      w.commands.touchPoints.cancel(first!.id, 'again'),
      w.commands.touchPoints.sendNow(first!.id),
    ]) {
      const result = await attempt;
      assert.ok(!result.ok && result.why === 'not_scheduled', JSON.stringify(result));
      assert.equal(result.current.status, 'cancelled');
      assert.equal(result.current.reason?.detail, null, 'the first cancellation stands');
    }
    assert.equal(w.wakeUps(), wakeUps, 'a refused change wakes nobody');
  });

  test('an unknown touch point is not_found', async () => {
    assert.deepEqual(await w.commands.touchPoints.move('nope', T0), { ok: false, why: 'not_found' });
    assert.deepEqual(await w.commands.touchPoints.cancel('nope', null), { ok: false, why: 'not_found' });
    assert.deepEqual(await w.commands.touchPoints.sendNow('nope'), { ok: false, why: 'not_found' });
  });

  test('a time that is not a time is refused with AFTERCARE_E_INPUT_INVALID', async () => {
    await assert.rejects(
      w.commands.touchPoints.move(planned[0]!.id, Number.NaN),
      (error: unknown) => error instanceof AftercareError && error.code === 'AFTERCARE_E_INPUT_INVALID',
    );
  });
});
