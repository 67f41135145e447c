// Erasure holds: once a person is erased, intake refuses them under every identity they had (new
// event ids included), new customers get keyed ids, and nothing they wrote or a channel said
// about them survives in touch points, the webhook inbox or Idempotency-Key answers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import type { IdempotencyClaim } from '../../src/store/ports/access.js';
import {
  DAY,
  HOUR,
  T0,
  event,
  placedEvent,
  testReducer,
  touchPointIdFor,
  withStore,
  type OpenStore,
} from './fixtures.js';

/** An order from Shopify's customer 7301, with address and phone. */
function annaOrder(id: string, orderId: string, customer: DomainEvent['customer'] = {}): DomainEvent {
  return {
    id,
    type: 'order.placed',
    at: T0,
    customerId: null,
    orderId,
    customer: {
      customerId: 'shopify-7301',
      email: 'Anna.Schmidt@example.de',
      firstName: 'Anna',
      phone: '+49 30 1234567',
      ...customer,
    },
    order: { placedAt: T0, currency: 'EUR', total: 129.9 },
    data: {},
  };
}

function claimFor(key: string): IdempotencyClaim {
  return { apiKeyId: 'k1', key, fingerprint: `fp-${key}`, token: `t-${key}`, now: T0, lockUntil: T0 + HOUR };
}

export function privacyContract(open: OpenStore): void {
  test('after erasure, intake refuses the person under each identity they had, whatever the event id', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply([annaOrder('shopify:1001', 'o1')], reduce);
      const report = await store.privacy.eraseCustomer('shopify-7301', T0 + DAY);
      // Id, address and phone.
      assert.equal(report?.tombstones, 3);

      const results = await store.intake.apply(
        [
          // The same signed order replayed under a new webhook id, and a new order by the same id.
          annaOrder('shopify:1001:replay', 'o1'),
          annaOrder('shopify:1002', 'o2'),
          // Another provider's id, the same address in other case and spacing.
          annaOrder('stripe:1', 'o3', { customerId: 'cus_new', email: '  ANNA.SCHMIDT@example.de ' }),
          // Known only by phone, written another way.
          annaOrder('csv:4', 'o4', { customerId: null, email: null, phone: '+49 (30) 123-4567' }),
          // A later event about the erased person's order.
          { ...event('shopify:ship:1', 'shipment.shipped', 'o1', { customerId: null }), at: T0 + 2 * DAY },
          placedEvent('bob:1', 'o9', { customerId: 'c2', email: 'bob@example.com' }),
        ],
        reduce,
      );
      assert.deepEqual(
        results.map((r) => [r.eventId, r.rejected, r.customerId, r.orderId]),
        [
          // Nothing told back says whose it was.
          ['shopify:1001:replay', 'erased', null, null],
          ['shopify:1002', 'erased', null, null],
          ['stripe:1', 'erased', null, null],
          ['csv:4', 'erased', null, null],
          ['shopify:ship:1', 'erased', null, null],
          ['bob:1', null, 'c2', 'o9'],
        ],
      );
      const erased = await store.reads.getCustomer('shopify-7301');
      assert.deepEqual([erased?.email, erased?.firstName, erased?.phone], [null, null, null]);
      for (const id of ['o2', 'o3', 'o4']) assert.equal(await store.reads.getOrder(id), null, id);
      assert.equal(await store.reads.getCustomer('cus_new'), null);
      assert.equal(await store.reads.findCustomerByEmail('anna.schmidt@example.de'), null);
      assert.equal((await store.reads.getOrder('o1'))?.moments.shipped, undefined);

      // The same events again are refused again (nothing was recorded to make them duplicates).
      const again = await store.intake.apply([annaOrder('shopify:1002', 'o2')], reduce);
      assert.equal(again[0]?.rejected, 'erased');
    }));

  test('a customer first met by address gets an id keyed with the install key, the same every time', () =>
    withStore(open, async (store) => {
      const { reduce, seen } = testReducer();
      const byAddress = (id: string): DomainEvent => ({
        ...event(id, 'customer.unsubscribed', null, { customerId: null }),
        customer: { email: ' Anna.Schmidt@example.de' },
      });
      await store.intake.apply([byAddress('a1')], reduce);
      await store.intake.apply([byAddress('a2'), placedEvent('a3', 'o1', { customerId: 'c1' })], reduce);
      const ids = seen.map((s) => s.state.newCustomerId);
      assert.match(ids[0] ?? '', /^ek_[0-9a-f]{24}$/);
      assert.equal(ids[1], ids[0]);
      // A given customer id is kept as it is.
      assert.equal(ids[2], 'c1');
      assert.equal(
        seen.every((s) => !s.state.erased),
        true,
      );
    }));

  test('erasure removes what channels answered, waiting inbox entries and Idempotency-Key answers', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply([placedEvent('e1', 'o1', { email: 'anna@example.de' })], reduce);
      const thanks = touchPointIdFor('o1', 'thanks');
      const [claimed] = await store.queue.claimDue({ now: T0 + HOUR, limit: 1, leaseMs: HOUR, worker: 'w' });
      assert.equal(claimed?.touchPoint.id, thanks);
      const bounce = '550 5.1.1 <anna@example.de>: Recipient address rejected: User unknown';
      await store.queue.recordOutcomes([
        {
          kind: 'failed',
          id: thanks,
          attempt: 1,
          at: T0 + HOUR,
          reason: { code: 'send_failed', detail: bounce },
        },
      ]);
      // A cancellation with a detail, kept in the enrollment's plan.
      await store.intake.apply([event('e2', 'order.cancelled', 'o1', { at: T0 + 2 * HOUR })], reduce);
      const before = await store.privacy.exportCustomer('c1');
      assert.ok(JSON.stringify(before).includes('anna@example.de'));

      await store.inbox.appendInbox(
        [
          {
            event: placedEvent('w1', 'o5', { customerId: null, email: 'ANNA@example.de' }),
            source: 'shopify',
          },
          { event: placedEvent('w2', 'o6', { customerId: 'c1' }), source: 'shopify' },
          {
            event: placedEvent('w3', 'o7', { customerId: 'c2', email: 'bob@example.com' }),
            source: 'shopify',
          },
        ],
        T0 + HOUR,
      );
      for (const [key, customerId] of [
        ['idem-anna', 'c1'],
        ['idem-bob', 'c2'],
      ] as const) {
        assert.equal((await store.access.beginIdempotent(claimFor(key))).state, 'started');
        await store.access.finishIdempotent(
          'k1',
          key,
          `t-${key}`,
          { status: 201, body: JSON.stringify({ results: [{ eventId: key, customerId }] }) },
          T0 + DAY,
        );
      }

      const report = await store.privacy.eraseCustomer('c1', T0 + 3 * HOUR);
      assert.equal(report?.waitingCopies, 3);
      const after = await store.privacy.exportCustomer('c1');
      const text = JSON.stringify(after).toLowerCase();
      assert.equal(text.includes('anna'), false, text);
      assert.equal(text.includes('550 5.1.1'), false, text);
      assert.ok(after?.touchPoints.every((t) => t.reason === null || t.reason.detail === null));
      // The outcomes stay countable: the failed send is still a failed send.
      assert.deepEqual(
        after?.touchPoints.filter((t) => t.id === thanks).map((t) => [t.status, t.reason?.code]),
        [['failed', 'send_failed']],
      );

      assert.equal(await store.inbox.inboxDepth(), 1);
      const [left] = await store.inbox.takeInbox(10, T0 + DAY, T0 + DAY + HOUR);
      assert.equal(left?.event.id, 'w3');
      const later = { ...claimFor('idem-anna'), now: T0 + 4 * HOUR, lockUntil: T0 + 5 * HOUR };
      assert.equal((await store.access.beginIdempotent(later)).state, 'started');
      const bob = { ...claimFor('idem-bob'), now: T0 + 4 * HOUR, lockUntil: T0 + 5 * HOUR };
      assert.equal((await store.access.beginIdempotent(bob)).state, 'replay');
    }));
}
