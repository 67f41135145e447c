// Providers resend: the same order arrives several times, under new webhook ids, in parallel and
// out of order. Whatever the mix, once the inbox drain has applied them, there is one order, one
// enrollment and one plan.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../fixtures/webhooks/fixtures.js';
import { NOW, shopifyHeaders, stripeHeaders, webhookWorld, type WebhookWorld } from './app.js';

let world: WebhookWorld;
let base: string;
before(async () => {
  world = await webhookWorld();
  base = await world.app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => world.close());

async function send(path: string, body: Buffer, headers: Record<string, string>): Promise<number> {
  const response = await fetch(`${base}${path}`, { method: 'POST', body, headers });
  await response.arrayBuffer();
  return response.status;
}

async function assertOnePlan(orderId: string): Promise<void> {
  // Acknowledged means appended to the inbox; the plan exists once the drain applied it.
  await world.drained();
  const orders = await world.store.reads.listOrders((await world.store.reads.getOrder(orderId))!.customerId);
  assert.equal(orders.filter((o) => o.id === orderId).length, 1);
  const touchPoints = await world.store.reads.listTouchPoints({ orderId });
  assert.ok(touchPoints.length > 0);
  const steps = touchPoints.map((tp) => tp.stepKey);
  assert.equal(new Set(steps).size, steps.length, `a step planned twice: ${steps.join(',')}`);
  assert.equal(new Set(touchPoints.map((tp) => tp.enrollmentId)).size, 1, 'one enrollment');
}

test('the same Shopify order 5 times in parallel under 5 webhook ids -> one order, one plan', async () => {
  const body = fixture('shopify-orders-create');
  const statuses = await Promise.all(
    [1, 2, 3, 4, 5].map((n) =>
      send('/webhooks/shopify', body, shopifyHeaders(body, 'orders/create', `resend-${n}`)),
    ),
  );
  assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
  await assertOnePlan('shopify:5940139491234');
  const events = await world.store.reads.listEvents(
    (await world.store.reads.getOrder('shopify:5940139491234'))!.customerId,
    ['order.placed'],
  );
  assert.equal(events.length, 5, 'each delivery is on the timeline; none adds an order');
});

test('orders/fulfilled overtaking orders/create, both resent in parallel -> one order, one plan, shipped once', async () => {
  const created = JSON.parse(fixture('shopify-orders-create').toString()) as Record<string, unknown>;
  created.id = 5940139499999;
  const fulfilled = JSON.parse(fixture('shopify-orders-fulfilled').toString()) as Record<string, unknown>;
  fulfilled.id = 5940139499999;
  const createdBody = Buffer.from(JSON.stringify(created));
  const fulfilledBody = Buffer.from(JSON.stringify(fulfilled));
  const deliveries = [
    () => send('/webhooks/shopify', fulfilledBody, shopifyHeaders(fulfilledBody, 'orders/fulfilled', 'f-1')),
    () => send('/webhooks/shopify', createdBody, shopifyHeaders(createdBody, 'orders/create', 'c-1')),
    () => send('/webhooks/shopify', fulfilledBody, shopifyHeaders(fulfilledBody, 'orders/fulfilled', 'f-2')),
    () => send('/webhooks/shopify', createdBody, shopifyHeaders(createdBody, 'orders/create', 'c-2')),
    () => send('/webhooks/shopify', createdBody, shopifyHeaders(createdBody, 'orders/create', 'c-3')),
  ];
  const statuses = await Promise.all(deliveries.map((deliver) => deliver()));
  assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
  await assertOnePlan('shopify:5940139499999');
  const order = await world.store.reads.getOrder('shopify:5940139499999');
  assert.equal(order?.shipments.length, 1);
  assert.equal(order?.moments.placed, Date.parse('2026-06-01T14:30:00Z'));
  const shipped = (await world.store.reads.listTouchPoints({ orderId: 'shopify:5940139499999' })).filter(
    (tp) => tp.stepKey === 'order-shipped',
  );
  assert.equal(shipped.length, 1);
});

test('a Stripe checkout and the first invoice of its subscription, resent in parallel -> one order, one plan', async () => {
  const checkout = JSON.parse(fixture('stripe-checkout-session-completed').toString()) as {
    id: string;
    data: { object: Record<string, unknown> };
  };
  checkout.data.object.mode = 'subscription';
  checkout.data.object.subscription = 'sub_1Ps0Hm2eZvKYlo2CjP0aQw7E';
  checkout.data.object.payment_intent = null;
  const invoice = fixture('stripe-invoice-paid-first');
  const sends: Promise<number>[] = [];
  for (let n = 0; n < 3; n += 1) {
    const body = Buffer.from(JSON.stringify({ ...checkout, id: `evt_checkout_${n}` }));
    sends.push(send('/webhooks/stripe', body, stripeHeaders(body, NOW)));
    sends.push(send('/webhooks/stripe', invoice, stripeHeaders(invoice, NOW)));
  }
  assert.deepEqual(await Promise.all(sends), [200, 200, 200, 200, 200, 200]);
  await assertOnePlan('stripe:sub_1Ps0Hm2eZvKYlo2CjP0aQw7E');
});
