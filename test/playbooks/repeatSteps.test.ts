// The reassure playbook and repeat purchases, through the real intake on the in-memory store:
// the handwritten welcome letter goes with a customer's first larger order only.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlaybooks } from '../../src/app/playbooks.js';
import type { DomainEvent, Millis } from '../../src/core/domain.js';
import { Intake, makeIntakeReducer } from '../../src/engine/intake.js';
import { openMemoryStore } from '../../src/store/memory/store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 4, 4, 8, 30);

function placed(number: string, at: Millis, total: number, currency: string): DomainEvent {
  return {
    id: `shopify:orders/create:${number}`,
    type: 'order.placed',
    at,
    customerId: null,
    orderId: `gid://shopify/Order/${number}`,
    customer: { email: 'margarethe.weiss@example.de', firstName: 'Margarethe', timezone: 'Europe/Berlin' },
    order: {
      placedAt: at,
      currency,
      total,
      items: [
        {
          sku: 'DESK-OAK',
          productName: 'Oak standing desk',
          category: 'furniture',
          quantity: 1,
          price: total,
        },
      ],
    },
    data: {},
  };
}

describe('reassure: repeat purchases', () => {
  test('the welcome letter is planned for the first larger order only', async () => {
    const { playbooks } = await loadPlaybooks(['reassure']);
    const store = await openMemoryStore();
    const intake = new Intake(
      store.intake,
      makeIntakeReducer({
        playbooks,
        defaultTimezone: 'Europe/Berlin',
        holdoutShare: 0,
        holdoutSalt: 'repeat',
        // A Berlin shop: its base currency is the euro (docs/configuration.md, Money).
        currency: { base: 'EUR', rates: {} },
        now: () => T0 + 2 * DAY,
      }),
    );
    const results = await intake.ingest([
      placed('5001', T0, 890, 'EUR'),
      placed('5002', T0 + DAY, 1240, 'EUR'),
    ]);
    const customerId = results[0]!.customerId!;
    const letters = await store.reads.listTouchPoints({ customerId });
    assert.deepEqual(
      letters.filter((tp) => tp.stepKey === 'thank-you-letter').map((tp) => [tp.orderId, tp.status]),
      [['gid://shopify/Order/5001', 'scheduled']],
    );
    // Both orders are still thanked by e-mail (the dispatcher coalesces them when due together).
    assert.deepEqual(
      letters.filter((tp) => tp.stepKey === 'thank-you').map((tp) => tp.orderId),
      ['gid://shopify/Order/5001', 'gid://shopify/Order/5002'],
    );
    await store.close();
  });
});
