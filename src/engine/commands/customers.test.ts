// Customer reads: found by e-mail in any case; lists about an unknown customer are null, not empty.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { commandWorld, deliveredOrder, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
let customerId: string;
beforeEach(async () => {
  w = await commandWorld();
  const { results } = await w.commands.ingest.events(deliveredOrder('o-1'));
  customerId = results[0]!.customerId!;
});
afterEach(() => w.close());

describe('customer commands', () => {
  test('find by e-mail in any case, get by id; an unknown one is null', async () => {
    const found = await w.commands.customers.findByEmail('ADA.Lovelace@example.com');
    assert.equal(found?.id, customerId);
    assert.equal((await w.commands.customers.get(customerId))?.firstName, 'Ada');
    assert.equal(await w.commands.customers.findByEmail('nobody@example.com'), null);
    assert.equal(await w.commands.customers.get('nope'), null);
  });

  test('orders, timeline (filtered by type) and touch points (by status, up to a limit)', async () => {
    assert.deepEqual(
      (await w.commands.customers.orders(customerId))?.map((o) => o.id),
      ['o-1'],
    );
    const timeline = await w.commands.customers.timeline(customerId);
    assert.deepEqual(
      timeline?.map((e) => e.type),
      ['order.placed', 'shipment.shipped', 'shipment.delivered'],
    );
    const delivered = await w.commands.customers.timeline(customerId, ['shipment.delivered']);
    assert.deepEqual(
      delivered?.map((e) => e.type),
      ['shipment.delivered'],
    );
    assert.equal((await w.commands.customers.timeline(customerId, []))?.length, 3, 'no types: all of them');
    const all = (await w.commands.customers.touchPoints(customerId)) ?? [];
    assert.ok(all.length > 2);
    assert.equal((await w.commands.customers.touchPoints(customerId, { limit: 2 }))?.length, 2);
    assert.deepEqual(await w.commands.customers.touchPoints(customerId, { status: 'sent' }), []);
    assert.equal((await w.commands.customers.order('o-1'))?.customerId, customerId);
    assert.equal(await w.commands.customers.order('nope'), null);
  });

  test('lists about an unknown customer are null', async () => {
    assert.equal(await w.commands.customers.orders('nope'), null);
    assert.equal(await w.commands.customers.timeline('nope'), null);
    assert.equal(await w.commands.customers.touchPoints('nope'), null);
  });

  test('status counts what the store holds', async () => {
    const counts = await w.commands.status.counts();
    assert.deepEqual([counts.customers, counts.orders, counts.events], [1, 1, 3]);
    assert.ok(counts.touchPoints.scheduled > 2);
  });
});
