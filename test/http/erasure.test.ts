// Erasure holds against every way data comes in: a signed Shopify order replayed under a new
// webhook id, the API (one order, a batch) and a CSV import all leave the erased person erased.
// The export says what was sent, answered and suppressed, and no cache may keep it.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../cli/run.js';
import { fixtureJson } from '../fixtures/webhooks/fixtures.js';
import { SECRETS, ingestCount, inboxEmpty, shopifyHeaders } from '../webhooks/app.js';
import { DAY, HOUR, T0, dispatcherFor, openTestApp, orderBody, type TestApp } from './harness.js';

const JANE = 'jane.cooper@example.com';

let t: TestApp;
let customerId: string;

async function shopifyOrder(body: Buffer, webhookId: string): Promise<void> {
  const response = await t.app.inject({
    method: 'POST',
    url: '/webhooks/shopify',
    payload: body,
    headers: shopifyHeaders(body, 'orders/create', webhookId),
  });
  // Providers must always hear 2xx, or they retry for days.
  assert.equal(response.statusCode, 200, response.body);
  await inboxEmpty(t.store.inbox);
}

before(async () => {
  t = await openTestApp({ SHOPIFY_WEBHOOK_SECRET: SECRETS.SHOPIFY_WEBHOOK_SECRET });
  await shopifyOrder(Buffer.from(JSON.stringify(fixtureJson('shopify-orders-create'))), 'webhook-1');
  const jane = await t.store.reads.findCustomerByEmail(JANE);
  assert.ok(jane);
  customerId = jane.id;
});
after(async () => {
  await t.close();
});

describe('export', () => {
  test('holds messages sent, survey answers and suppressions, and is never cached', async () => {
    const [order] = (await t.store.privacy.exportCustomer(customerId))!.orders;
    // 11:00 in Seattle: after the quiet hours the thank-you waited for.
    t.clock.set(T0 + 2 * DAY + 6 * HOUR);
    const { dispatcher, channels } = dispatcherFor(t);
    await dispatcher.runUntilIdle();
    await channels.close();
    const answered = await t.call({
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        id: 'typeform-jane-1',
        type: 'survey.answered',
        at: new Date(T0 + 2 * DAY).toISOString(),
        orderId: order!.id,
        data: { survey: 'nps', score: 9, comment: 'Lovely packaging' },
      },
    });
    assert.equal(answered.statusCode, 201, answered.body);
    await t.store.consent.suppress(JANE, 'unsubscribed', T0 + 2 * DAY);

    const response = await t.call({ method: 'GET', url: `/api/v1/customers/${customerId}/export` });
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const held = response.json<{
      messagesSent: { channel: string; step: string; sentAt: string }[];
      surveyAnswers: { survey: string; score: number; comment: string | null }[];
      suppressions: { reason: string; createdAt: string }[];
      concerns: unknown[];
    }>();
    assert.ok(held.messagesSent.length >= 1, response.body);
    assert.ok(held.messagesSent.every((m) => m.channel === 'email' && m.sentAt.startsWith('2026-')));
    assert.deepEqual(held.surveyAnswers, [
      {
        eventId: 'typeform-jane-1',
        orderId: order!.id,
        at: new Date(T0 + 2 * DAY).toISOString(),
        survey: 'nps',
        score: 9,
        comment: 'Lovely packaging',
      },
    ]);
    assert.deepEqual(held.suppressions, [
      { reason: 'unsubscribed', createdAt: new Date(T0 + 2 * DAY).toISOString() },
    ]);
    assert.deepEqual(held.concerns, []);
  });
});

describe('after erasure', () => {
  before(async () => {
    const erased = await t.call({ method: 'DELETE', url: `/api/v1/customers/${customerId}` });
    assert.equal(erased.statusCode, 200, erased.body);
    assert.equal(erased.headers['cache-control'], 'no-store');
    // Shopify's customer id, the address and the phone.
    assert.equal(erased.json().tombstones, 3);
  });

  test('a signed Shopify order replayed under a new webhook id does not bring the person back', async () => {
    const rejected = await ingestCount(t.metrics, 'shopify', 'rejected');
    const counts = await t.store.reads.counts();
    const replay = fixtureJson('shopify-orders-create');
    await shopifyOrder(Buffer.from(JSON.stringify(replay)), 'webhook-1-replayed');
    // A new order of hers, too.
    await shopifyOrder(
      Buffer.from(JSON.stringify({ ...replay, id: 5940139499999, name: '#1099', order_number: 1099 })),
      'webhook-2',
    );
    assert.equal(await ingestCount(t.metrics, 'shopify', 'rejected'), rejected + 2);
    assert.equal(await t.store.reads.findCustomerByEmail(JANE), null);
    const erased = await t.store.reads.getCustomer(customerId);
    assert.deepEqual([erased?.email, erased?.firstName, erased?.phone], [null, null, null]);
    const now = await t.store.reads.counts();
    assert.deepEqual(
      [now.customers, now.orders, now.events],
      [counts.customers, counts.orders, counts.events],
    );
  });

  test('the API refuses her with 422 AFTERCARE_E_ERASED, saying nothing about whom', async () => {
    const one = await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody('api-77', { customer: { email: 'Jane.Cooper@example.com', firstName: 'Jane' } }),
    });
    assert.equal(one.statusCode, 422, one.body);
    assert.equal(one.json().error.code, 'AFTERCARE_E_ERASED');
    assert.equal(one.body.includes(customerId), false, one.body);

    const batch = await t.call({
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        events: [
          {
            id: 'api-78',
            type: 'order.placed',
            at: new Date(T0 + 3 * DAY).toISOString(),
            orderId: 'api-78',
            customer: { phone: '+1 (206) 555-0142' },
            order: { placedAt: new Date(T0 + 3 * DAY).toISOString(), currency: 'USD', total: 18 },
          },
        ],
      },
    });
    assert.equal(batch.statusCode, 200, batch.body);
    const { results } = batch.json<{
      results: { status: string; reason: string | null; customerId: string | null }[];
    }>();
    assert.deepEqual(
      results.map((r) => [r.status, r.reason, r.customerId]),
      [['rejected', 'erased', null]],
    );
    assert.equal(await t.store.reads.getOrder('api-77'), null);
    assert.equal(await t.store.reads.getOrder('api-78'), null);
  });

  test('a CSV import counts her rows as refused and carries on with everyone else', async () => {
    const csv = join(t.dir, 'orders.csv');
    await writeFile(
      csv,
      [
        'order_id,placed_at,email,first_name,total,currency,sku,product_name,quantity',
        'CSV-1,2026-06-03T10:00:00Z,JANE.COOPER@example.com,Jane,54.00,USD,MUG,Mug,2',
        'CSV-2,2026-06-03T11:00:00Z,ravi.patel@example.in,Ravi,2400.00,INR,TEA,Tea,3',
      ].join('\n'),
    );
    const result = await runCli(['import', csv], {
      cwd: t.dir,
      env: { AFTERCARE_DB: join(t.dir, 'aftercare.db'), AFTERCARE_DATA_DIR: t.dir },
    });
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /events of erased people \(refused\)\s+1\n/);
    assert.match(result.stdout, /orders imported\s+1\n/);
    assert.equal(result.stdout.toLowerCase().includes('jane'), false, result.stdout);
    assert.equal(await t.store.reads.getOrder('CSV-1'), null);
    assert.equal((await t.store.reads.getOrder('CSV-2'))?.currency, 'INR');
    assert.equal(await t.store.reads.findCustomerByEmail(JANE), null);
  });
});
