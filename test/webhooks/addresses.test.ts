// Every webhook takes exactly one mailbox per address field: "buyer@example.com, third@evil.example"
// (which nodemailer would send to both) is refused with 400 naming the field, and nothing of the
// payload reaches the store.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fixtureJson } from '../fixtures/webhooks/fixtures.js';
import {
  NOW,
  shopifyHeaders,
  standardHeaders,
  stripeHeaders,
  webhookWorld,
  type WebhookWorld,
} from './app.js';

const TWO = 'jane.cooper@example.com, third@evil.example';

let world: WebhookWorld;
before(async () => {
  world = await webhookWorld();
});
after(() => world.close());

async function post(url: string, body: Buffer, headers: Record<string, string>) {
  const response = await world.app.inject({ method: 'POST', url, payload: body, headers });
  return {
    status: response.statusCode,
    body: response.json<{ error: { message: string; details: { field?: string } } }>(),
  };
}

test('Shopify: two addresses in email, contact_email or customer.email are refused by field', async () => {
  type Body = ReturnType<typeof fixtureJson>;
  const fields: [string, (body: Body) => void][] = [
    ['email', (body) => (body.email = TWO)],
    ['contact_email', (body) => (body.contact_email = 'jane.cooper@example.com\r\nBcc: third@evil.example')],
    ['customer.email', (body) => (body.customer.email = 'Jane <jane.cooper@example.com>')],
  ];
  for (const [field, spoil] of fields) {
    const json = fixtureJson('shopify-orders-create');
    spoil(json);
    const body = Buffer.from(JSON.stringify(json));
    const answer = await post(
      '/webhooks/shopify',
      body,
      shopifyHeaders(body, 'orders/create', `bad-${field}`),
    );
    assert.equal(answer.status, 400, field);
    assert.equal(answer.body.error.details.field, field);
  }
  await world.drained();
  assert.equal((await world.store.reads.counts()).customers, 0);
});

test('Stripe: a checkout whose customer_details.email holds two addresses is refused', async () => {
  const json = fixtureJson('stripe-checkout-session-completed');
  json.data.object.customer_details.email = 'lena.fischer@example.de; third@evil.example';
  const body = Buffer.from(JSON.stringify(json));
  const answer = await post('/webhooks/stripe', body, stripeHeaders(body, NOW));
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.details.field, 'customer_details.email');
  assert.match(answer.body.error.message, /holds 2 addresses/);
});

test('Standard Webhooks: data.customer.email must be one mailbox', async () => {
  const json = fixtureJson('standard-order-placed');
  json.data.customer.email = 'k.nakamura@example.jp, third@evil.example';
  const body = Buffer.from(JSON.stringify(json));
  const answer = await post('/webhooks/standard', body, standardHeaders(body, 'msg_two_addresses', NOW));
  assert.equal(answer.status, 400);
  assert.equal(answer.body.error.details.field, 'data.customer.email');
  await world.drained();
  assert.equal((await world.store.reads.counts()).customers, 0);
});
