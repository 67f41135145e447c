import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../test/fixtures/webhooks/fixtures.js';
import {
  NOW,
  SECRETS,
  afterShipHeaders,
  ingestCount,
  shopifyHeaders,
  standardHeaders,
  stripeHeaders,
  webhookWorld,
  type WebhookWorld,
} from '../../../test/webhooks/app.js';

describe('webhook routes', () => {
  let world: WebhookWorld;
  before(async () => {
    world = await webhookWorld();
  });
  after(() => world.close());

  const post = (url: string, payload: Buffer | string, headers: Record<string, string>) =>
    world.app.inject({ method: 'POST', url, payload, headers });

  test('a signed Shopify order is queued, then ingested once with its plan; the same delivery again is a duplicate', async () => {
    const body = fixture('shopify-orders-create');
    const first = await post('/webhooks/shopify', body, shopifyHeaders(body, 'orders/create', 'wh-order-1'));
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), {
      received: true,
      events: [{ id: 'shopify:wh-order-1', status: 'queued', order_id: 'shopify:5940139491234' }],
    });
    const again = await post('/webhooks/shopify', body, shopifyHeaders(body, 'orders/create', 'wh-order-1'));
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().events[0].status, 'queued');
    await world.drained();
    const order = await world.store.reads.getOrder('shopify:5940139491234');
    assert.equal(order?.total, 161.67);
    const planned = await world.store.reads.listTouchPoints({ orderId: 'shopify:5940139491234' });
    assert.ok(planned.some((tp) => tp.stepKey === 'thank-you'));
    assert.ok(world.intakeCalls.count >= 1);
    // Intake's verdicts are in the metrics: the first delivery accepted, the second a duplicate.
    assert.equal(await ingestCount(world.metrics, 'shopify', 'accepted'), 1);
    assert.equal(await ingestCount(world.metrics, 'shopify', 'duplicate'), 1);
    const timeline = await world.store.reads.listEvents(order.customerId, ['order.placed']);
    assert.equal(timeline.length, 1);
  });

  test('shipping and delivery news from Shopify and AfterShip move the order along', async () => {
    const shipped = fixture('shopify-fulfillments-create');
    const r1 = await post(
      '/webhooks/shopify',
      shipped,
      shopifyHeaders(shipped, 'fulfillments/create', 'wh-ful-1'),
    );
    assert.equal(r1.statusCode, 200, r1.body);
    const delivered = fixture('aftership-delivered');
    const r2 = await post('/webhooks/tracking', delivered, afterShipHeaders(delivered));
    assert.equal(r2.statusCode, 200, r2.body);
    assert.equal(r2.json().events[0].status, 'queued');
    await world.drained();
    assert.equal(await ingestCount(world.metrics, 'tracking', 'accepted'), 1);
    const order = await world.store.reads.getOrder('shopify:5940139491234');
    assert.equal(order?.moments.shipped, Date.parse('2026-06-02T18:05:11Z'));
    assert.equal(order?.moments.delivered, Date.parse('2026-06-05T21:12:00Z'));
    assert.equal(order?.shipments[0]?.trackingNumber, '1Z999AA10123456784');
    const steps = (await world.store.reads.listTouchPoints({ orderId: 'shopify:5940139491234' })).map(
      (tp) => tp.stepKey,
    );
    assert.ok(steps.includes('order-shipped') && steps.includes('arrival-check'), steps.join(','));
  });

  test('Stripe: a signed event is ingested, a rotated pair of signatures is accepted, a stale one refused', async () => {
    const body = fixture('stripe-checkout-session-completed');
    const ok = await post('/webhooks/stripe', body, stripeHeaders(body, NOW));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().events[0].order_id, 'stripe:pi_3PqR7pLkdIwHu7ix1Zc0Xk2D');
    const header = stripeHeaders(body, NOW)['stripe-signature']!;
    const old = stripeHeaders(body, NOW, 'whsec_retired_secret_000')['stripe-signature']!.split(',')[1];
    const rotated = await post('/webhooks/stripe', body, {
      'content-type': 'application/json',
      'stripe-signature': `${header.split(',')[0]},${old},${header.split(',')[1]}`,
    });
    assert.equal(rotated.statusCode, 200, rotated.body);
    await world.drained();
    assert.equal(await ingestCount(world.metrics, 'stripe', 'accepted'), 1);
    assert.equal(
      await ingestCount(world.metrics, 'stripe', 'duplicate'),
      1,
      'the rotated delivery is the same event',
    );
    const stale = await post('/webhooks/stripe', body, stripeHeaders(body, NOW - 10 * 60_000));
    assert.equal(stale.statusCode, 401);
  });

  test('Standard Webhooks: signed with the package, ingested; replayed with an old timestamp, refused', async () => {
    const body = fixture('standard-order-placed');
    const ok = await post('/webhooks/standard', body, standardHeaders(body, 'msg_2fP9kQ', NOW));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().events[0].order_id, 'ERP-2026-004711');
    const replay = await post(
      '/webhooks/standard',
      body,
      standardHeaders(body, 'msg_2fP9kQ', NOW - 6 * 60_000),
    );
    assert.equal(replay.statusCode, 401);
  });

  test('every signature failure is the same 401, whatever was wrong', async () => {
    const body = fixture('shopify-orders-create');
    const tampered = Buffer.from(body.toString().replace('161.67', '1.67'));
    const cases: [string, Buffer, Record<string, string>][] = [
      ['/webhooks/shopify', body, shopifyHeaders(body, 'orders/create', 'w', 'wrong-secret-123')],
      ['/webhooks/shopify', tampered, shopifyHeaders(body, 'orders/create', 'w')],
      ['/webhooks/shopify', body, { 'content-type': 'application/json', 'x-shopify-topic': 'orders/create' }],
      ['/webhooks/stripe', body, stripeHeaders(body, NOW, 'whsec_someone_else_123')],
      ['/webhooks/stripe', body, { 'content-type': 'application/json' }],
      ['/webhooks/tracking', body, afterShipHeaders(body, 'not-the-secret')],
      [
        '/webhooks/standard',
        body,
        standardHeaders(body, 'm1', NOW, 'whsec_' + Buffer.alloc(32, 1).toString('base64')),
      ],
    ];
    const answers = new Set<string>();
    for (const [url, payload, headers] of cases) {
      const response = await post(url, payload, headers);
      assert.equal(response.statusCode, 401, `${url}: ${response.body}`);
      answers.add(response.body);
    }
    assert.equal(answers.size, 1);
    assert.equal(JSON.parse([...answers][0]!).error.code, 'AFTERCARE_E_UNAUTHORIZED');
  });

  test('signed but not JSON -> 400 malformed_json; signed JSON of the wrong shape -> 400 naming the field', async () => {
    const junk = '{"id": 1, "line_items": [';
    const malformed = await post('/webhooks/shopify', junk, shopifyHeaders(junk, 'orders/create', 'w-j'));
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.details.reason, 'malformed_json');
    const wrong = JSON.stringify({ id: 'abc def', created_at: 42 });
    const invalid = await post('/webhooks/shopify', wrong, shopifyHeaders(wrong, 'orders/create', 'w-k'));
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().error.code, 'AFTERCARE_E_INPUT_INVALID');
    assert.equal(invalid.json().error.details.field, 'created_at');
    const noId = await post('/webhooks/shopify', wrong, {
      ...shopifyHeaders(wrong, 'orders/create', 'x'),
      'x-shopify-webhook-id': '',
    });
    assert.equal(noId.statusCode, 400);
  });

  test('topics Aftercare does not use are accepted and ignored (202)', async () => {
    const body = JSON.stringify({ id: 632910392, title: 'IPod Nano - 8GB' });
    const response = await post('/webhooks/shopify', body, shopifyHeaders(body, 'products/update', 'w-p'));
    assert.equal(response.statusCode, 202);
    assert.match(response.json().ignored, /products\/update/);
  });

  test('an event about an order Aftercare never saw is answered 200, then rejected by intake: an error line and a count', async () => {
    const body = fixture('stripe-invoice-paid-renewal');
    const rejectedBefore = await ingestCount(world.metrics, 'stripe', 'rejected');
    const response = await post('/webhooks/stripe', body, stripeHeaders(body, NOW));
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json().events[0], {
      id: 'stripe:evt_1Q1bR52eZvKYlo2Cw6tN8uHj',
      status: 'queued',
      order_id: 'stripe:sub_1Ps0Hm2eZvKYlo2CjP0aQw7E',
    });
    await world.drained();
    assert.equal(await ingestCount(world.metrics, 'stripe', 'rejected'), rejectedBefore + 1);
    const line = world.logs.find((l) => l.event === 'stripe:evt_1Q1bR52eZvKYlo2Cw6tN8uHj');
    assert.ok(line, JSON.stringify(world.logs));
    assert.equal(line.level, 50, 'logged as an error');
    assert.equal(line.reason, 'unknown_order');
    assert.equal(line.source, 'stripe');
    assert.equal(line.msg, 'webhook event rejected by intake');
  });

  test('bodies over the limit are refused with 413 before anything else', async () => {
    const big = Buffer.alloc(world.config.http.bodyLimitBytes + 1, 'a');
    const response = await post('/webhooks/tracking', big, { 'content-type': 'application/json' });
    assert.equal(response.statusCode, 413);
    assert.equal(response.json().error.code, 'AFTERCARE_E_PAYLOAD_TOO_LARGE');
  });

  test('the signature is over the bytes whatever the content type says', async () => {
    const body = fixture('aftership-out-for-delivery');
    const response = await post('/webhooks/tracking', body, {
      ...afterShipHeaders(body),
      'content-type': 'text/plain',
    });
    assert.equal(response.statusCode, 200, response.body);
  });
});

test('a source whose secret is not configured answers 404 naming the variable', async () => {
  const world = await webhookWorld({ SHOPIFY_WEBHOOK_SECRET: SECRETS.SHOPIFY_WEBHOOK_SECRET });
  try {
    const response = await world.app.inject({
      method: 'POST',
      url: '/webhooks/stripe',
      payload: '{}',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(response.statusCode, 404);
    assert.match(response.json().error.message, /STRIPE_WEBHOOK_SECRET/);
  } finally {
    await world.close();
  }
});
