// Acknowledged means durably in the inbox: a webhook's events are appended before it is answered,
// requests that arrive together share one append and each is answered only once its own append
// committed, and intake runs afterwards in the drain, which then wakes the dispatcher.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AftercareError } from '../../src/errors.js';
import type { InboxStore } from '../../src/store/ports/inbox.js';
import { fixture } from '../fixtures/webhooks/fixtures.js';
import { NOW, SECRETS, shopifyHeaders, stripeHeaders, webhookWorld } from './app.js';

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** `count` distinct signed Shopify orders/create deliveries. */
function orders(count: number, prefix: string): { body: Buffer; headers: Record<string, string> }[] {
  const order = JSON.parse(fixture('shopify-orders-create').toString()) as Record<string, unknown>;
  return Array.from({ length: count }, (_, n) => {
    const body = Buffer.from(
      JSON.stringify({ ...order, id: 8_000_000 + n, email: `${prefix}${n}@example.com` }),
    );
    return { body, headers: shopifyHeaders(body, 'orders/create', `${prefix}-${n}`) };
  });
}

test('a webhook answered 200 is in the inbox, not yet applied; the drain then applies it and wakes the dispatcher', async () => {
  const held = gate();
  const world = await webhookWorld(SECRETS, {
    // Intake waits until the test has looked at the store.
    intake: (real) => ({ ingest: async (events) => (await held.opened, real.ingest(events)) }),
  });
  try {
    const body = fixture('shopify-orders-create');
    const response = await world.app.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      payload: body,
      headers: shopifyHeaders(body, 'orders/create', 'wh-held-1'),
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(await world.store.inbox.inboxDepth(), 1, 'the acknowledged event is in the inbox');
    assert.equal(await world.store.reads.getOrder('shopify:5940139491234'), null, 'intake has not run');
    assert.equal(world.intakeCalls.count, 0);

    held.open();
    await world.drained();
    const order = await world.store.reads.getOrder('shopify:5940139491234');
    assert.equal(order?.total, 161.67);
    const planned = await world.store.reads.listTouchPoints({ orderId: 'shopify:5940139491234' });
    assert.ok(planned.some((tp) => tp.stepKey === 'thank-you'));
    assert.equal(world.intakeCalls.count, 1, 'the dispatcher is woken once the plan is in');
  } finally {
    held.open();
    await world.close();
  }
});

test('requests arriving together share one append, and none is answered before its own append committed', async () => {
  const appends: number[] = [];
  const commits: (() => void)[] = [];
  const world = await webhookWorld(SECRETS, {
    inbox: (real): InboxStore => ({
      ...bind(real),
      appendInbox: async (entries, at) => {
        appends.push(entries.length);
        await new Promise<void>((resolve) => commits.push(resolve));
        return real.appendInbox(entries, at);
      },
    }),
  });
  try {
    const answered: number[] = [];
    const deliveries = orders(12, 'group');
    const requests = deliveries.map((delivery, n) =>
      world.app
        .inject({
          method: 'POST',
          url: '/webhooks/shopify',
          payload: delivery.body,
          headers: delivery.headers,
        })
        .then((response) => {
          assert.equal(response.statusCode, 200, response.body);
          answered.push(n);
        }),
    );
    await until(() => commits.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(answered, [], 'no answer while the append is uncommitted');
    commits[0]!();
    // What came in while the first append was committing goes into the second, all of it.
    await until(() => answered.length >= appends[0]!);
    if (appends[0]! < deliveries.length) {
      await until(() => commits.length === 2);
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(answered.length, appends[0], 'only the requests of the committed append are answered');
      commits[1]!();
    }
    await Promise.all(requests);
    assert.equal(
      appends.reduce((sum, n) => sum + n, 0),
      deliveries.length,
    );
    assert.ok(appends.length <= 2, `appends of ${appends.join(', ')}: requests were not grouped`);
    await world.drained();
    assert.equal((await world.store.reads.counts()).orders, deliveries.length);
  } finally {
    for (const commit of commits) commit();
    await world.close();
  }
});

test('a store that cannot take the append is a 503 the sender retries; nothing is acknowledged', async () => {
  const world = await webhookWorld(SECRETS, {
    inbox: (real): InboxStore => ({
      ...bind(real),
      appendInbox: () => Promise.reject(new AftercareError('AFTERCARE_E_STORE', 'database is locked')),
    }),
  });
  try {
    const body = fixture('stripe-checkout-session-completed');
    const response = await world.app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      payload: body,
      headers: stripeHeaders(body, NOW),
    });
    assert.equal(response.statusCode, 503, response.body);
    assert.equal(response.json().error.code, 'AFTERCARE_E_STORE');
    assert.equal(await world.store.inbox.inboxDepth(), 0);
  } finally {
    await world.close();
  }
});

test('a payload that maps to nothing is answered 202 and leaves no inbox entry', async () => {
  let appended = 0;
  const world = await webhookWorld(SECRETS, {
    inbox: (real): InboxStore => ({
      ...bind(real),
      appendInbox: (entries, at) => {
        appended += entries.length;
        return real.appendInbox(entries, at);
      },
    }),
  });
  try {
    const body = JSON.stringify({ id: 1, title: 'a product' });
    const response = await world.app.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      payload: body,
      headers: shopifyHeaders(body, 'products/update', 'w-ignored'),
    });
    assert.equal(response.statusCode, 202);
    assert.equal(appended, 0);
    assert.equal(await world.store.inbox.inboxDepth(), 0);
  } finally {
    await world.close();
  }
});

/** The inbox's methods bound to it, so a wrapper can replace one and keep the others. */
function bind(inbox: InboxStore): InboxStore {
  return {
    appendInbox: (entries, at) => inbox.appendInbox(entries, at),
    takeInbox: (limit, now, leaseUntil) => inbox.takeInbox(limit, now, leaseUntil),
    ackInbox: (seqs) => inbox.ackInbox(seqs),
    inboxDepth: () => inbox.inboxDepth(),
  };
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
