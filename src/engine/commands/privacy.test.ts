// GDPR export and erasure: everything about one customer, its time; erasure removes the sent
// copies of every touch point of theirs, and is harmless when repeated.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { Outbox } from '../../channels/outbox.js';
import { privacyCommands } from './privacy.js';
import { commandWorld, deliveredOrder, HOUR, T0, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
let customerId: string;
beforeEach(async () => {
  w = await commandWorld();
  const { results } = await w.commands.ingest.events(deliveredOrder('o-1'));
  await w.commands.ingest.events(deliveredOrder('o-2', 'someone.else@example.com'));
  customerId = results[0]!.customerId!;
});
afterEach(() => w.close());

describe('privacy commands', () => {
  test('export: the customer and every row about them, with the time of the export', async () => {
    w.clock.advance(HOUR);
    const held = await w.commands.privacy.exportCustomer(customerId);
    assert.ok(held);
    assert.equal(held.exportedAt, T0 + HOUR);
    assert.equal(held.customer.email, 'ada.lovelace@example.com');
    assert.deepEqual(
      held.orders.map((o) => o.id),
      ['o-1'],
    );
    assert.equal(held.events.length, 3);
    assert.ok(held.touchPoints.length > 0 && held.touchPoints.every((tp) => tp.customerId === customerId));
    assert.equal(await w.commands.privacy.exportCustomer('nope'), null);
  });

  test("erase: the store's rows, then the sent copies of every touch point of theirs", async () => {
    const touchPoints = (await w.commands.customers.touchPoints(customerId)) ?? [];
    w.clock.advance(HOUR);
    const erasure = await w.commands.privacy.eraseCustomer(customerId);
    assert.ok(erasure.ok);
    assert.equal(erasure.erasedAt, T0 + HOUR);
    assert.equal(erasure.report.customerId, customerId);
    assert.equal(erasure.report.suppressed, true);
    const pending = touchPoints.filter((tp) => tp.status === 'scheduled' || tp.status === 'claimed');
    assert.equal(erasure.report.cancelledTouchPoints, pending.length);
    assert.deepEqual([...w.removedCopies[0]!].sort(), touchPoints.map((tp) => tp.id).sort());
    assert.equal(erasure.sentCopiesRemoved, touchPoints.length);
    assert.equal((await w.commands.customers.get(customerId))?.email ?? null, null, 'the address is gone');
    assert.ok(
      ((await w.commands.touchPoints.list({ orderId: 'o-2' })) ?? []).some((tp) => tp.status === 'scheduled'),
      'other customers keep their plan',
    );

    const again = await w.commands.privacy.eraseCustomer(customerId);
    assert.ok(again.ok, 'erasing again is harmless');
    assert.equal(again.report.cancelledTouchPoints, 0);
    assert.deepEqual(await w.commands.privacy.eraseCustomer('nope'), { ok: false, why: 'not_found' });
    assert.equal(w.removedCopies.length, 2, 'nothing to remove for an unknown customer');
  });

  test('with the outbox as the sent copies, their .eml files go and others stay', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-erase-'));
    try {
      const outbox = new Outbox(dir);
      const [mine] = (await w.commands.customers.touchPoints(customerId)) ?? [];
      const [theirs] = await w.commands.touchPoints.list({ orderId: 'o-2' });
      await outbox.write(mine!.id, Buffer.from('to Ada'));
      await outbox.write(theirs!.id, Buffer.from('to someone else'));
      const privacy = privacyCommands({
        privacy: w.store.privacy,
        sentCopies: { remove: (ids) => outbox.remove(ids) },
        clock: w.clock,
      });
      const erasure = await privacy.eraseCustomer(customerId);
      assert.ok(erasure.ok);
      assert.equal(erasure.sentCopiesRemoved, 1);
      assert.equal((await readdir(dir)).length, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
