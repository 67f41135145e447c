// Contract: deals. A deal is written whole and read back as written (JSON parts included); listed
// by expected close, by owner, stage and whether an order has closed it yet; orders placed since a
// time come with their customer's address and `deal_id` attribute, oldest first.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deal } from '../../src/core/deals/deal.js';
import { DAY, HOUR, T0, event, testReducer, withStore, type OpenStore } from './fixtures.js';

function deal(id: string, overrides: Partial<Deal> = {}): Deal {
  return {
    id,
    source: null,
    externalId: null,
    company: 'Nordlicht GmbH',
    domain: 'nordlicht.example',
    contact: {
      email: 'jonas@nordlicht.example',
      name: 'Jonas Müller',
      phone: null,
      locale: 'de',
      timeZone: 'Europe/Berlin',
    },
    owner: 'sam',
    expectedCloseAt: T0 + 10 * DAY,
    value: { amount: 12_000, currency: 'EUR' },
    segment: 'b2b',
    kind: 'software',
    leadDays: 0,
    products: ['Fleet licence', 'Onboarding'],
    stage: 'open',
    meetings: [
      {
        playbook: 'reassure',
        step: 'checkup-meeting',
        channel: 'task:meeting',
        at: T0 + 55 * DAY,
        objective: 'Review how it works',
        state: 'proposed',
      },
    ],
    promised: [{ playbook: 'reassure', step: 'thank-you', state: 'promised' }],
    sharedAt: null,
    orderId: null,
    customerId: null,
    closedAt: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

export function dealsContract(open: OpenStore): void {
  test('a deal reads back as written, and a second put replaces it', () =>
    withStore(open, async (store) => {
      const first = deal('deal_a');
      await store.deals.put(first);
      assert.deepEqual(await store.deals.get('deal_a'), first);
      const won = deal('deal_a', {
        stage: 'won',
        orderId: 'o1',
        customerId: 'c1',
        closedAt: T0 + 11 * DAY,
        sharedAt: T0 + HOUR,
        updatedAt: T0 + 11 * DAY,
      });
      await store.deals.put(won);
      assert.deepEqual(await store.deals.get('deal_a'), won);
      assert.equal(await store.deals.get('deal_missing'), null);
    }));

  test('lists by expected close, by owner, stage, customer and waiting, within a limit', () =>
    withStore(open, async (store) => {
      await store.deals.put(deal('deal_late', { expectedCloseAt: T0 + 30 * DAY }));
      await store.deals.put(deal('deal_early', { expectedCloseAt: T0 + DAY, owner: 'kim' }));
      await store.deals.put(deal('deal_lost', { stage: 'lost' }));
      await store.deals.put(deal('deal_closed', { stage: 'won', orderId: 'o9', customerId: 'c9' }));
      const ids = (deals: Deal[]): string[] => deals.map((d) => d.id);
      assert.deepEqual(ids(await store.deals.list()), [
        'deal_early',
        'deal_closed',
        'deal_lost',
        'deal_late',
      ]);
      assert.deepEqual(ids(await store.deals.list({ owner: 'kim' })), ['deal_early']);
      assert.deepEqual(ids(await store.deals.list({ stage: 'lost' })), ['deal_lost']);
      assert.deepEqual(ids(await store.deals.list({ waiting: true })), ['deal_early', 'deal_late']);
      assert.deepEqual(ids(await store.deals.list({ limit: 1 })), ['deal_early']);
      assert.deepEqual(ids(await store.deals.list({ customerId: 'c9' })), ['deal_closed']);
      assert.deepEqual(ids(await store.deals.list({ customerId: 'c0' })), []);
    }));

  test('orders placed since a time, with address and deal id, oldest first', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      const placed = (
        id: string,
        orderId: string,
        customerId: string,
        email: string,
        at: number,
        dealId?: string,
      ) => {
        const e = event(id, 'order.placed', orderId, { at, customerId, email });
        return { ...e, order: { ...e.order!, ...(dealId ? { attributes: { deal_id: dealId } } : {}) } };
      };
      await store.intake.apply(
        [
          placed('e1', 'o-old', 'c1', 'ada@example.com', T0 - DAY),
          placed('e2', 'o-b', 'c2', 'jonas@nordlicht.example', T0 + 2 * HOUR, 'deal_a'),
          placed('e3', 'o-a', 'c3', 'kim@firm.example', T0 + HOUR),
        ],
        reduce,
      );
      assert.deepEqual(await store.deals.ordersPlacedSince(T0, 10), [
        { orderId: 'o-a', customerId: 'c3', email: 'kim@firm.example', placedAt: T0 + HOUR, dealId: null },
        {
          orderId: 'o-b',
          customerId: 'c2',
          email: 'jonas@nordlicht.example',
          placedAt: T0 + 2 * HOUR,
          dealId: 'deal_a',
        },
      ]);
      assert.equal((await store.deals.ordersPlacedSince(T0 - 2 * DAY, 1)).length, 1);
    }));
}
