// Contract: which customer stories a customer was told. A telling is written with the send's
// outcome and fenced like it: a stale attempt's outcome tells nothing, the same story twice to
// one customer is kept once, and only the sends that carry a story write one.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { HOUR, MINUTE, T0, placedEvent, testReducer, withStore, type OpenStore } from './fixtures.js';

const story = [{ key: 'story', offset: HOUR, purpose: 'education' as const }];

async function place(store: Store, orderId: string, customerId: string): Promise<void> {
  await store.intake.apply(
    [placedEvent(`placed-${orderId}`, orderId, { customerId, steps: story })],
    testReducer().reduce,
  );
}

function claimAll(store: Store, now: number, worker = 'w1') {
  return store.queue.claimDue({ now, limit: 100, leaseMs: 5 * MINUTE, worker });
}

export function storiesContract(open: OpenStore): void {
  test('a send that told a story is remembered with it; other customers and sends tell nothing', () =>
    withStore(open, async (store) => {
      await place(store, 'o-1', 'c-ada');
      await place(store, 'o-2', 'c-ada');
      await place(store, 'o-3', 'c-bob');
      const now = T0 + HOUR;
      const claimed = await claimAll(store, now);
      assert.equal(claimed.length, 3);
      const byOrder = new Map(claimed.map((c) => [c.touchPoint.orderId, c.touchPoint]));
      const one = byOrder.get('o-1')!;
      const two = byOrder.get('o-2')!;
      const bob = byOrder.get('o-3')!;
      const applied = await store.queue.recordOutcomes([
        { kind: 'sent', id: one.id, attempt: one.attempt, at: now, providerId: null, story: 'lamp-home' },
        {
          kind: 'sent',
          id: two.id,
          attempt: two.attempt,
          at: now + 1,
          providerId: 'p-2',
          story: 'lamp-studio',
        },
        // Sent without a story (another step): nothing to remember.
        { kind: 'sent', id: bob.id, attempt: bob.attempt, at: now, providerId: null },
      ]);
      assert.equal(applied, 3);
      const told = await store.stories.toldTo(['c-ada', 'c-bob', 'c-nobody']);
      assert.deepEqual([...told.keys()], ['c-ada']);
      assert.deepEqual([...told.get('c-ada')!].sort(), ['lamp-home', 'lamp-studio']);
      assert.deepEqual(await store.stories.tellings('c-ada'), [
        { customerId: 'c-ada', storyId: 'lamp-home', touchPointId: one.id, toldAt: now },
        { customerId: 'c-ada', storyId: 'lamp-studio', touchPointId: two.id, toldAt: now + 1 },
      ]);
      assert.deepEqual(await store.stories.tellings('c-bob'), []);
      assert.deepEqual(await store.stories.toldTo([]), new Map());
    }));

  test("a stale attempt's outcome tells no story; a repeated outcome and the same story again add nothing", () =>
    withStore(open, async (store) => {
      await place(store, 'o-1', 'c-ada');
      await place(store, 'o-2', 'c-ada');
      const now = T0 + HOUR;
      const claimed = await claimAll(store, now);
      const [a, b] = claimed.map((c) => c.touchPoint);
      // A worker whose claim was taken over (an older attempt) writes nothing, story included.
      assert.equal(
        await store.queue.recordOutcomes([
          { kind: 'sent', id: a!.id, attempt: a!.attempt - 1, at: now, providerId: null, story: 'lost' },
        ]),
        0,
      );
      assert.deepEqual(await store.stories.toldTo(['c-ada']), new Map());
      // Failed or rescheduled sends tell nothing either (they carry no story).
      assert.equal(
        await store.queue.recordOutcomes([
          { kind: 'sent', id: a!.id, attempt: a!.attempt, at: now, providerId: null, story: 'lamp-home' },
        ]),
        1,
      );
      // The same outcome again (a repeat after a crash) is fenced out, and tells nothing twice.
      assert.equal(
        await store.queue.recordOutcomes([
          { kind: 'sent', id: a!.id, attempt: a!.attempt, at: now + 5, providerId: null, story: 'lamp-home' },
        ]),
        0,
      );
      // Another touch point telling the same story to the same customer keeps the first telling.
      assert.equal(
        await store.queue.recordOutcomes([
          { kind: 'sent', id: b!.id, attempt: b!.attempt, at: now + 9, providerId: null, story: 'lamp-home' },
        ]),
        1,
      );
      assert.deepEqual(await store.stories.tellings('c-ada'), [
        { customerId: 'c-ada', storyId: 'lamp-home', touchPointId: a!.id, toldAt: now },
      ]);
    }));
}
