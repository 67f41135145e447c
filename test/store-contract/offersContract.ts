// Contract: insider offer codes. A touch point gets one code whatever happens (retries, crashes,
// two workers at once); two touch points never get the same code; the customer's cap is counted
// with the code; an empty pool says so; a redemption is marked once, by its order.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AssignRequest } from '../../src/store/ports/offers.js';
import { DAY, T0, withStore, type OpenStore } from './fixtures.js';

function request(over: Partial<AssignRequest> = {}): AssignRequest {
  return {
    offerId: 'spring',
    customerId: 'c1',
    touchPointId: 'reassure:o1:insider-offer',
    at: T0,
    cap: { max: 1, since: T0 - 90 * DAY },
    generate: null,
    ...over,
  };
}

export function offersContract(open: OpenStore): void {
  test('imported codes: added once, known codes named, given in order and never twice', () =>
    withStore(open, async (store) => {
      const first = await store.offers.importCodes('spring', ['B-2', 'A-1', 'A-1'], T0);
      assert.deepEqual(first, { added: 2, existing: [] });
      const again = await store.offers.importCodes('spring', ['A-1', 'C-3'], T0);
      assert.deepEqual(again, { added: 1, existing: ['A-1'] });

      const a = await store.offers.assign(request());
      assert.deepEqual(a, { kind: 'assigned', code: 'A-1', again: false });
      // The same touch point again (a retry, a crash before the outcome): the same code.
      const retry = await store.offers.assign(request({ at: T0 + 1000 }));
      assert.deepEqual(retry, { kind: 'assigned', code: 'A-1', again: true });
      const b = await store.offers.assign(
        request({ customerId: 'c2', touchPointId: 'reassure:o2:insider-offer' }),
      );
      assert.deepEqual(b, { kind: 'assigned', code: 'B-2', again: false });
      const c = await store.offers.assign(
        request({ customerId: 'c3', touchPointId: 'reassure:o3:insider-offer' }),
      );
      assert.deepEqual(c, { kind: 'assigned', code: 'C-3', again: false });
      const none = await store.offers.assign(
        request({ customerId: 'c4', touchPointId: 'reassure:o4:insider-offer' }),
      );
      assert.deepEqual(none, { kind: 'exhausted' });
      assert.deepEqual(await store.offers.counts(), [
        { offerId: 'spring', available: 0, assigned: 3, redeemed: 0 },
      ]);
    }));

  test('the cap counts every offer of the customer within its window', () =>
    withStore(open, async (store) => {
      let n = 0;
      const generate = (): string => `GEN-${++n}`;
      const first = await store.offers.assign(request({ generate, offerId: 'spring' }));
      assert.equal(first.kind, 'assigned');
      const capped = await store.offers.assign(
        request({ generate, offerId: 'summer', touchPointId: 'reassure:o9:insider-offer', at: T0 + DAY }),
      );
      assert.deepEqual(capped, { kind: 'capped', count: 1 });
      // Once the first is out of the window, another may come.
      const later = await store.offers.assign(
        request({
          generate,
          offerId: 'summer',
          touchPointId: 'reassure:o9:insider-offer',
          at: T0 + 91 * DAY,
          cap: { max: 1, since: T0 + 1 * DAY },
        }),
      );
      assert.deepEqual(later, { kind: 'assigned', code: 'GEN-2', again: false });
      const codes = await store.offers.forCustomer('c1');
      assert.deepEqual(
        codes.map((c) => [c.code, c.offerId, c.source, c.assignedAt]),
        [
          ['GEN-1', 'spring', 'generated', T0],
          ['GEN-2', 'summer', 'generated', T0 + 91 * DAY],
        ],
      );
    }));

  test('a generated code that collides is made again', () =>
    withStore(open, async (store) => {
      await store.offers.importCodes('other', ['SAME'], T0);
      const made = ['SAME', 'SAME', 'FRESH'];
      const result = await store.offers.assign(request({ generate: () => made.shift()! }));
      assert.deepEqual(result, { kind: 'assigned', code: 'FRESH', again: false });
    }));

  test('many workers at once: every touch point one code, no code twice, the cap held', () =>
    withStore(open, async (store) => {
      const pool = Array.from({ length: 30 }, (_, i) => `P-${String(i).padStart(2, '0')}`);
      await store.offers.importCodes('spring', pool, T0);
      // 40 customers want 30 codes; every touch point is asked for twice at once (two workers
      // after a lease ran out); customer c0 also has a second order competing for its one slot.
      const asks: AssignRequest[] = [];
      for (let i = 0; i < 40; i++) {
        const r = request({ customerId: `c${i}`, touchPointId: `reassure:o${i}:insider-offer` });
        asks.push(r, r);
      }
      asks.push(request({ customerId: 'c0', touchPointId: 'reassure:o0b:insider-offer' }));
      const results = await Promise.all(asks.map((a) => store.offers.assign(a)));
      const byTouchPoint = new Map<string, Set<string>>();
      let exhausted = 0;
      let capped = 0;
      results.forEach((r, i) => {
        if (r.kind === 'exhausted') exhausted += 1;
        if (r.kind === 'capped') capped += 1;
        if (r.kind !== 'assigned') return;
        const id = asks[i]!.touchPointId;
        byTouchPoint.set(id, (byTouchPoint.get(id) ?? new Set()).add(r.code));
      });
      for (const codes of byTouchPoint.values()) assert.equal(codes.size, 1, 'one code per touch point');
      const given = [...byTouchPoint.values()].map((s) => [...s][0]!);
      assert.equal(new Set(given).size, given.length, 'no code given twice');
      assert.equal(given.length, 30);
      assert.ok(capped <= 1);
      assert.ok(exhausted >= 1);
      const c0 = await store.offers.forCustomer('c0');
      assert.ok(c0.length <= 1, 'the cap holds under concurrency');
      assert.deepEqual(await store.offers.counts(), [
        { offerId: 'spring', available: 0, assigned: 30, redeemed: 0 },
      ]);
    }));

  test('a redemption is marked once, by its order; unknown codes are said to be unknown', () =>
    withStore(open, async (store) => {
      await store.offers.importCodes('spring', ['R-1'], T0);
      await store.offers.assign(request());
      assert.deepEqual(await store.offers.redeem({ code: 'R-1', orderId: 'o7', at: T0 + DAY }), {
        kind: 'redeemed',
        offerId: 'spring',
        customerId: 'c1',
      });
      assert.deepEqual(await store.offers.redeem({ code: 'R-1', orderId: 'o7', at: T0 + 2 * DAY }), {
        kind: 'already',
        orderId: 'o7',
      });
      assert.deepEqual(await store.offers.redeem({ code: 'NOPE', orderId: 'o8', at: T0 }), {
        kind: 'unknown',
      });
      const [code] = await store.offers.forCustomer('c1');
      assert.equal(code?.redeemedAt, T0 + DAY);
      assert.equal(code?.redeemedOrderId, 'o7');
      assert.deepEqual(await store.offers.counts(), [
        { offerId: 'spring', available: 0, assigned: 1, redeemed: 1 },
      ]);
    }));
}
