// The outbox commands on the memory store: pages by cursor, a cursor it never gave refused, and
// each reason a message cannot be shown (unknown, not sent, erased, no copy and nothing to render
// with). The copies and the re-rendering themselves are tested over HTTP (dashboardOutbox.test.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AftercareError } from '../../errors.js';
import { commandWorld, DAY, deliveredOrder, HOUR, T0, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
let sent: string[];
let scheduled: string;

beforeEach(async () => {
  w = await commandWorld();
  await w.commands.ingest.events(deliveredOrder('o-1'));
  const claimed = await w.store.queue.claimDue({ now: T0 + 60 * DAY, limit: 3, leaseMs: HOUR, worker: 'w' });
  assert.ok(claimed.length >= 3, 'three touch points to send');
  await w.store.queue.recordOutcomes(
    claimed.slice(0, 2).map((c, i) => ({
      kind: 'sent' as const,
      id: c.touchPoint.id,
      attempt: c.touchPoint.attempt,
      at: T0 + (i + 1) * HOUR,
      providerId: null,
    })),
  );
  sent = claimed.slice(0, 2).map((c) => c.touchPoint.id);
  scheduled = (await w.commands.touchPoints.list({ orderId: 'o-1', status: 'scheduled' }))[0]!.id;
});
afterEach(() => w.close());

describe('outbox commands', () => {
  test('pages newest first by cursor; a cursor it never gave is refused naming the field', async () => {
    const first = await w.commands.outbox.list({ limit: 1 });
    assert.deepEqual(
      first.items.map((i) => i.touchPoint.id),
      [sent[1]],
    );
    assert.ok(first.next !== null);
    assert.equal(first.items[0]!.customer?.id, first.items[0]!.touchPoint.customerId);
    const second = await w.commands.outbox.list({ limit: 1, cursor: first.next });
    assert.deepEqual(
      second.items.map((i) => i.touchPoint.id),
      [sent[0]],
    );
    assert.equal(second.next, null);
    for (const cursor of ['garbage', Buffer.from('[1]').toString('base64url')]) {
      await assert.rejects(
        w.commands.outbox.list({ limit: 1, cursor }),
        (error: unknown) => error instanceof AftercareError && error.details['field'] === 'after',
      );
    }
  });

  test('a message is not shown when unknown, not sent, erased, or neither kept nor renderable', async () => {
    assert.deepEqual(await w.commands.outbox.preview('nope'), { ok: false, why: 'not_found' });
    assert.deepEqual(await w.commands.outbox.preview(scheduled), { ok: false, why: 'not_sent' });
    const none = await w.commands.outbox.preview(sent[0]!);
    assert.ok(!none.ok && none.why === 'not_renderable');
    assert.match(none.detail, /renders no templates/);
    const customerId = none.sent.touchPoint.customerId;
    assert.equal((await w.commands.privacy.eraseCustomer(customerId)).ok, true);
    assert.deepEqual(await w.commands.outbox.preview(sent[0]!), { ok: false, why: 'erased' });
    const listed = await w.commands.outbox.list({ limit: 10 });
    assert.ok(listed.items.length === 2 && listed.items.every((i) => i.erased));
  });
});
