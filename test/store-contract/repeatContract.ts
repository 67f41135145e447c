// Contract: repeat purchases. Through the real reducer and the built-in playbook, each store
// counts a customer's orders, numbers each order among them (1 = the first), and keeps the one
// `purchase.repeated` intake derives for a later order, once, whatever the batching.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import type { DomainEvent, Millis } from '../../src/core/domain.js';
import { makeIntakeReducer } from '../../src/engine/intake.js';
import type { Store } from '../../src/store/store.js';
import { DAY, HOUR, T0, withStore, type OpenStore } from './fixtures.js';

const grace = { email: 'grace.hopper@example.org', firstName: 'Grace', timezone: 'Europe/Dublin' };

function order(id: string, number: string, at: Millis, total: number, currency: string): DomainEvent {
  return {
    id: `shop:order:${number}`,
    type: 'order.placed',
    at,
    customerId: null,
    orderId: id,
    customer: grace,
    order: {
      placedAt: at,
      currency,
      total,
      items: [
        { sku: `SKU-${number}`, productName: 'Linen shirt', category: 'apparel', quantity: 1, price: total },
      ],
    },
    data: {},
  };
}

async function reducer() {
  const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
  return makeIntakeReducer({
    playbooks: [playbook],
    defaultTimezone: 'Europe/Dublin',
    holdoutShare: 0,
    holdoutSalt: 'repeat',
    now: () => T0 + DAY,
  });
}

async function repeatState(store: Store, customerId: string) {
  const customer = await store.reads.getCustomer(customerId);
  const orders = await store.reads.listOrders(customerId);
  const repeats = await store.reads.listEvents(customerId, ['purchase.repeated']);
  return {
    orderCount: customer?.orderCount,
    lastOrderId: customer?.lastOrderId,
    repeatPurchases: customer?.attributes['repeat_purchases'],
    sequences: orders.map((o) => [o.id, o.sequence]),
    repeats: repeats.map((e) => [e.id, e.orderId, e.at, e.data]),
  };
}

export function repeatContract(open: OpenStore): void {
  const first = order('gid-1041', '1041', T0, 129, 'EUR');
  const second = order('gid-1042', '1042', T0 + 3 * HOUR, 45.5, 'EUR');
  const third = order('gid-1043', '1043', T0 + 5 * DAY, 12000, 'JPY');
  const expected = {
    orderCount: 3,
    lastOrderId: 'gid-1043',
    repeatPurchases: 2,
    sequences: [
      ['gid-1041', 1],
      ['gid-1042', 2],
      ['gid-1043', 3],
    ],
    repeats: [
      [
        'purchase.repeated:gid-1042',
        'gid-1042',
        T0 + 3 * HOUR,
        { previous_order_id: 'gid-1041', order_count: 2 },
      ],
      [
        'purchase.repeated:gid-1043',
        'gid-1043',
        T0 + 5 * DAY,
        { previous_order_id: 'gid-1042', order_count: 3 },
      ],
    ],
  };

  test('a customer’s later orders are counted, numbered and each gives one purchase.repeated', () =>
    withStore(open, async (store) => {
      const reduce = await reducer();
      const results = [
        ...(await store.intake.apply([first], reduce)),
        ...(await store.intake.apply([second], reduce)),
        ...(await store.intake.apply([third], reduce)),
      ];
      const customerId = results[0]!.customerId!;
      assert.deepEqual(await repeatState(store, customerId), expected);
      // Redelivered, the orders change nothing and repeat nothing.
      const again = await store.intake.apply([second, third], reduce);
      assert.deepEqual(
        again.map((r) => r.duplicate),
        [true, true],
      );
      assert.deepEqual(await repeatState(store, customerId), expected);
    }));

  test('orders of one customer in one batch are counted as if each came alone', () =>
    withStore(open, async (store) => {
      const reduce = await reducer();
      const results = await store.intake.apply([first, second, third], reduce);
      assert.deepEqual(await repeatState(store, results[0]!.customerId!), expected);
    }));

  test('a first order names nothing before it', () =>
    withStore(open, async (store) => {
      const [result] = await store.intake.apply([first], await reducer());
      assert.deepEqual(await repeatState(store, result!.customerId!), {
        orderCount: 1,
        lastOrderId: 'gid-1041',
        repeatPurchases: undefined,
        sequences: [['gid-1041', 1]],
        repeats: [],
      });
    }));
}
