// Contract: what keeps the dashboard fast and safe at scale. Customer search by the start of the
// folded name (any case, accents need not be typed), a keyset page at a time, with erased
// customers gone from it; and the rate windows the sign-in limits count in, including many
// attempts at once never letting more than the limit through.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import { foldName } from '../../src/core/nameKey.js';
import { SystemClock } from '../../src/engine/clock.js';
import { signInLimitCommands } from '../../src/engine/commands/signInLimits.js';
import { MINUTE, T0, placedEvent, testReducer, withStore, type OpenStore } from './fixtures.js';

function named(i: number, firstName: string | null, lastName: string | null): DomainEvent {
  const base = placedEvent(`e${i}`, `o${i}`, { customerId: `c${i}`, email: `p${i}@shop.test` });
  return { ...base, customer: { email: `p${i}@shop.test`, firstName, lastName } };
}

export function dashboardScaleContract(open: OpenStore): void {
  test('name search: by the start of the folded name, any case and accents, a keyset page at a time', () =>
    withStore(open, async (store) => {
      await store.intake.apply(
        [
          named(0, 'Zoë', 'Ämmälä'),
          named(1, 'ZOE', 'Adams'),
          named(2, 'zoe', 'Adams'),
          named(3, 'Zoltan', 'Kovács'),
          named(4, null, null),
          named(5, 'Anna', 'Zoe'),
          named(6, '  Zoe ', '  Brown'),
        ],
        testReducer().reduce,
      );
      const search = (namePrefix: string, after?: { key: string; id: string }, limit = 10) =>
        store.customerSearch.searchCustomers({ namePrefix, limit, ...(after ? { after } : {}) });
      const ids = (found: { id: string }[]) => found.map((c) => c.id);
      assert.deepEqual(ids(await search(foldName('ZOË'))), ['c1', 'c2', 'c0', 'c6']);
      assert.deepEqual(ids(await search('zoe a')), ['c1', 'c2', 'c0']);
      assert.deepEqual(ids(await search('zoe am')), ['c0']);
      assert.deepEqual(ids(await search('zol')), ['c3']);
      assert.deepEqual(ids(await search('zz')), []);
      // Pages: the last of a page (its folded name and id) starts the next; equal names by id.
      const page1 = await search('zo', undefined, 2);
      assert.deepEqual(ids(page1), ['c1', 'c2']);
      const page2 = await search('zo', { key: 'zoe adams', id: 'c2' }, 2);
      assert.deepEqual(ids(page2), ['c0', 'c6']);
      const page3 = await search('zo', { key: 'zoe brown', id: 'c6' }, 2);
      assert.deepEqual(ids(page3), ['c3']);
      // The e-mail search is unchanged beside it.
      assert.deepEqual(ids(await store.customerSearch.searchCustomers({ emailPrefix: 'p4@', limit: 5 })), [
        'c4',
      ]);
      // An erased customer is found by name no more.
      await store.privacy.eraseCustomer('c3', T0 + MINUTE);
      assert.deepEqual(ids(await search('zol')), []);
    }));

  test('rate windows: a hit counts in its window, a window run out starts again, clear and purge forget', () =>
    withStore(open, async (store) => {
      const w = store.rateWindows;
      assert.deepEqual(await w.hit('k', 'a', T0, 10 * MINUTE), { count: 1, startedAt: T0 });
      assert.deepEqual(await w.hit('k', 'a', T0 + MINUTE, 10 * MINUTE), { count: 2, startedAt: T0 });
      // Another key, another kind: windows of their own.
      assert.deepEqual(await w.hit('k', 'b', T0 + MINUTE, 10 * MINUTE), { count: 1, startedAt: T0 + MINUTE });
      assert.deepEqual(await w.hit('other', 'a', T0 + MINUTE, 10 * MINUTE), {
        count: 1,
        startedAt: T0 + MINUTE,
      });
      // Just before the end the window still counts; at its end a new one starts.
      assert.deepEqual(await w.hit('k', 'a', T0 + 10 * MINUTE - 1, 10 * MINUTE), { count: 3, startedAt: T0 });
      assert.deepEqual(await w.hit('k', 'a', T0 + 10 * MINUTE, 10 * MINUTE), {
        count: 1,
        startedAt: T0 + 10 * MINUTE,
      });
      await w.clear('k', 'b');
      assert.deepEqual(await w.hit('k', 'b', T0 + 2 * MINUTE, 10 * MINUTE), {
        count: 1,
        startedAt: T0 + 2 * MINUTE,
      });
      // Purge: windows that started before the moment go (k/b at +2m, other/a at +1m), k/a stays.
      assert.equal(await w.purge(T0 + 3 * MINUTE), 2);
      assert.deepEqual(await w.hit('other', 'a', T0 + 4 * MINUTE, 10 * MINUTE), {
        count: 1,
        startedAt: T0 + 4 * MINUTE,
      });
      assert.deepEqual(await w.hit('k', 'a', T0 + 11 * MINUTE, 10 * MINUTE), {
        count: 2,
        startedAt: T0 + 10 * MINUTE,
      });
    }));

  test('rate windows: hits at once each get a count of their own, and sign-in never lets more than the limit through', () =>
    withStore(open, async (store) => {
      const counts = await Promise.all(
        Array.from({ length: 24 }, () => store.rateWindows.hit('k', 'same', T0, 10 * MINUTE)),
      );
      assert.deepEqual(
        counts.map((c) => c.count).sort((a, b) => a - b),
        Array.from({ length: 24 }, (_, i) => i + 1),
      );
      const limits = signInLimitCommands({ windows: store.rateWindows, clock: new SystemClock() });
      const account = { max: 5, windowMs: 15 * MINUTE };
      const address = { max: 30, windowMs: 15 * MINUTE };
      // Twenty guesses at one account at once, from twenty addresses: five go ahead.
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          limits.attempt(' Owner@Shop.test', `10.0.0.${i}`, { account, address }),
        ),
      );
      assert.equal(answers.filter((a) => a === null).length, 5);
      for (const wait of answers.filter((a) => a !== null)) assert.ok(wait > 0 && wait <= 15 * 60);
      // Forty attempts from one address at once, at forty accounts: thirty go ahead.
      const fromOne = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          limits.attempt(`user${i}@shop.test`, '10.9.9.9', { account, address }),
        ),
      );
      assert.equal(fromOne.filter((a) => a === null).length, 30);
      // A success forgets the account's failures.
      await limits.succeeded('owner@shop.TEST');
      assert.equal(await limits.attempt('owner@shop.test', '10.1.1.1', { account, address }), null);
    }));
}
