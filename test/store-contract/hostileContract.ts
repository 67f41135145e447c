// Contract: hostile input through the real intake reducer, on every store. A guest checkout
// with a known customer's address fills blanks but never overwrites their contact details; the
// business's own sources and a signed-in shop account do, and each change is recorded as a
// `customer.contact_changed` event. An event dated 9999 is refused, and a delivery stored with an
// implausible date is corrected by a later plausible report.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixtureJson } from '../fixtures/webhooks/fixtures.js';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import type { DomainEvent, Millis } from '../../src/core/domain.js';
import { makeIntakeReducer } from '../../src/engine/intake.js';
import { mapShopify } from '../../src/integrations/shopify/map.js';
import type { Store } from '../../src/store/store.js';
import { DAY, withStore, type OpenStore } from './fixtures.js';

/** A minute after the Shopify fixture's order was placed. */
const NOW: Millis = Date.parse('2026-06-01T14:31:00Z');

async function reducer(now: () => Millis) {
  const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
  return makeIntakeReducer({
    playbooks: [playbook],
    defaultTimezone: 'UTC',
    holdoutShare: 0,
    holdoutSalt: 'hostile',
    now,
  });
}

/** The business's own record of Jane (the API or a CSV import). */
function janeByTheBusiness(id: string, at: Millis, phone = '+12065550142'): DomainEvent {
  return {
    id,
    type: 'order.placed',
    at,
    customerId: null,
    orderId: `crm-${id}`,
    customer: {
      email: 'jane.cooper@example.com',
      firstName: 'Jane',
      lastName: 'Cooper',
      phone,
      timezone: 'America/Los_Angeles',
      locale: 'en-US',
    },
    order: { placedAt: at, currency: 'USD', total: 161.67 },
    data: {},
  };
}

/** A Shopify order with Jane's address but someone else's name, phone and shipping address. */
function shopifyOrder(webhookId: string, orderId: number, signedIn: boolean): DomainEvent {
  const body = fixtureJson('shopify-orders-create');
  body.id = orderId;
  body.customer.state = signedIn ? 'enabled' : 'disabled';
  body.customer.verified_email = signedIn;
  body.customer.first_name = 'Mallory';
  body.customer.last_name = 'Impostor';
  body.phone = '+4915112345678';
  body.customer.phone = '+4915112345678';
  body.customer_locale = 'de-DE';
  body.shipping_address.country_code = 'DE';
  body.shipping_address.province_code = null;
  body.billing_address.country_code = 'DE';
  body.billing_address.province_code = null;
  const mapped = mapShopify({ topic: 'orders/create', webhookId }, body);
  assert.equal(mapped.kind, 'events', JSON.stringify(mapped));
  return mapped.kind === 'events' ? mapped.events[0]! : assert.fail();
}

async function jane(store: Store) {
  const customer = await store.reads.findCustomerByEmail('jane.cooper@example.com');
  assert.ok(customer);
  const changes = await store.reads.listEvents(customer.id, ['customer.contact_changed']);
  return { customer, changes };
}

export function hostileContract(open: OpenStore): void {
  test('a guest checkout with a known address fills blanks, never overwrites, and records nothing', () =>
    withStore(open, async (store) => {
      const reduce = await reducer(() => NOW);
      await store.intake.apply([janeByTheBusiness('api-1', NOW - 30 * DAY)], reduce);
      const [result] = await store.intake.apply([shopifyOrder('guest-1', 5940139490001, false)], reduce);
      assert.equal(result?.rejected, null);
      const { customer, changes } = await jane(store);
      assert.deepEqual(
        [customer.firstName, customer.lastName, customer.phone, customer.timezone, customer.locale],
        ['Jane', 'Cooper', '+12065550142', 'America/Los_Angeles', 'en-US'],
      );
      assert.deepEqual(changes, []);
      // The guest's order is still Jane's order, with its program.
      assert.deepEqual((await store.reads.listOrders(customer.id)).map((o) => o.id).sort(), [
        'crm-api-1',
        'shopify:5940139490001',
      ]);
    }));

  test('the business and a signed-in account change contact details, each change an event', () =>
    withStore(open, async (store) => {
      const reduce = await reducer(() => NOW);
      await store.intake.apply([janeByTheBusiness('api-1', NOW - 30 * DAY)], reduce);
      await store.intake.apply([janeByTheBusiness('api-2', NOW - 20 * DAY, '+12065550199')], reduce);
      await store.intake.apply([shopifyOrder('account-1', 5940139490002, true)], reduce);
      const { customer, changes } = await jane(store);
      assert.deepEqual(
        [customer.firstName, customer.lastName, customer.phone, customer.timezone, customer.locale],
        ['Mallory', 'Impostor', '+4915112345678', 'Europe/Berlin', 'de-DE'],
      );
      assert.deepEqual(
        changes.map((e) => [e.id, e.data.fields, e.data.source, e.data.eventId]),
        [
          ['api-2:contact', ['phone'], 'business', 'api-2'],
          [
            'shopify:account-1:contact',
            ['firstName', 'lastName', 'phone', 'timezone', 'locale'],
            'account',
            'shopify:account-1',
          ],
        ],
      );
      // Sent again: a duplicate, and nothing recorded twice.
      const [again] = await store.intake.apply([shopifyOrder('account-1', 5940139490002, true)], reduce);
      assert.equal(again?.duplicate, true);
      assert.equal((await jane(store)).changes.length, 2);
      // An input event may not take the id of one intake derives.
      const [forged] = await store.intake.apply([janeByTheBusiness('api-3:contact', NOW - DAY)], reduce);
      assert.equal(forged?.rejected, 'reserved_id');
    }));

  test('an event dated 9999 is refused; a delivery stored implausibly is corrected by a later report', () =>
    withStore(open, async (store) => {
      let now = NOW;
      const reduce = await reducer(() => now);
      await store.intake.apply([janeByTheBusiness('api-1', NOW - 2 * DAY)], reduce);
      const year9999 = Date.UTC(9999, 0, 1);
      const delivered = (id: string, at: Millis): DomainEvent => ({
        id,
        type: 'shipment.delivered',
        at,
        customerId: null,
        orderId: 'crm-api-1',
        data: {},
      });
      const [far] = await store.intake.apply([delivered('carrier-1', year9999)], reduce);
      assert.equal(far?.rejected, 'implausible_time');
      const [old] = await store.intake.apply([delivered('carrier-0', Date.UTC(1999, 11, 31))], reduce);
      assert.equal(old?.rejected, 'implausible_time');

      // Within the window but ahead of the clock (a carrier's wrong zone or date): taken for now...
      const ahead = NOW + 200 * DAY;
      await store.intake.apply([delivered('carrier-2', ahead)], reduce);
      const customerId = (await jane(store)).customer.id;
      const orderOf = async () =>
        (await store.reads.listOrders(customerId)).find((o) => o.id === 'crm-api-1');
      assert.equal((await orderOf())?.moments.delivered, ahead);
      // ...and corrected by the next report that is plausible, a day later.
      now = NOW + DAY;
      await store.intake.apply([delivered('carrier-3', NOW + DAY - 3_600_000)], reduce);
      const order = await orderOf();
      assert.equal(order?.moments.delivered, NOW + DAY - 3_600_000);
      assert.deepEqual(
        order?.shipments.map((s) => s.deliveredAt),
        [NOW + DAY - 3_600_000],
      );
    }));
}
