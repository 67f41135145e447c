// The webhooks inside the whole app as `serve` builds it: their answers skip the security headers
// (no browser reads them) while the API's, the operations endpoints' and every 404 keep them; the
// inbox shows in /metrics; an applied webhook wakes the dispatcher.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from '../../src/http/metrics.js';
import { fixture } from '../fixtures/webhooks/fixtures.js';
import { openTestApp } from '../http/harness.js';
import { SECRETS, ingestCount, inboxEmpty, shopifyHeaders } from './app.js';

const HELMET_HEADERS = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-resource-policy',
];

test('security headers on the API, operations and 404 answers; none on webhook answers', async () => {
  const t = await openTestApp({ SHOPIFY_WEBHOOK_SECRET: SECRETS.SHOPIFY_WEBHOOK_SECRET });
  try {
    const body = fixture('shopify-orders-create');
    const webhookAnswers = [
      await t.app.inject({
        method: 'POST',
        url: '/webhooks/shopify',
        payload: body,
        headers: shopifyHeaders(body, 'orders/create', 'scope-1'),
      }),
      await t.app.inject({ method: 'POST', url: '/webhooks/shopify', payload: body, headers: {} }),
      // Not configured: answered by the webhook route itself.
      await t.app.inject({ method: 'POST', url: '/webhooks/stripe', payload: '{}' }),
    ];
    assert.deepEqual(
      webhookAnswers.map((r) => r.statusCode),
      [200, 401, 404],
    );
    for (const response of webhookAnswers) {
      for (const header of HELMET_HEADERS) assert.equal(response.headers[header], undefined, header);
      assert.equal(response.headers['x-powered-by'], undefined);
    }

    const browserAnswers = [
      await t.app.inject({ method: 'GET', url: '/api/v1/playbooks', headers: t.auth }),
      await t.app.inject({ method: 'GET', url: '/api/v1/playbooks' }),
      await t.app.inject({ method: 'GET', url: '/healthz' }),
      await t.app.inject({ method: 'GET', url: '/metrics' }),
      // A path under /webhooks that is no webhook route is a 404 like any other.
      await t.app.inject({ method: 'GET', url: '/webhooks/shopify' }),
      await t.app.inject({ method: 'POST', url: '/webhooks/nowhere' }),
    ];
    assert.deepEqual(
      browserAnswers.map((r) => r.statusCode),
      [200, 401, 200, 200, 404, 404],
    );
    for (const response of browserAnswers) {
      for (const header of HELMET_HEADERS)
        assert.ok(response.headers[header], `${header} missing (${response.statusCode})`);
    }
    await inboxEmpty(t.store.inbox);
  } finally {
    await t.close();
  }
});

test('an applied webhook wakes the dispatcher and counts in /metrics, with the inbox depth and lag', async () => {
  const t = await openTestApp({ SHOPIFY_WEBHOOK_SECRET: SECRETS.SHOPIFY_WEBHOOK_SECRET });
  try {
    const wakeUps = t.wakeUps;
    const body = fixture('shopify-orders-create');
    const response = await t.app.inject({
      method: 'POST',
      url: '/webhooks/shopify',
      payload: body,
      headers: shopifyHeaders(body, 'orders/create', 'metrics-1'),
    });
    assert.equal(response.statusCode, 200, response.body);
    await inboxEmpty(t.store.inbox);
    assert.ok(t.wakeUps > wakeUps, 'the dispatcher was woken');
    assert.equal(await ingestCount(t.metrics, 'shopify', 'accepted'), 1);
    const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(text, /^# TYPE aftercare_inbox_entries gauge$/m);
    assert.match(text, /^aftercare_inbox_entries 0$/m);
    assert.match(text, /^# TYPE aftercare_inbox_lag_seconds gauge$/m);
    assert.match(text, /^aftercare_inbox_lag_seconds \d/m);
  } finally {
    await t.close();
  }
});

test('the inbox gauge reads the depth at scrape time, and says NaN when the store does not answer', async () => {
  const metrics = new Metrics({ processMetrics: false });
  let down = false;
  metrics.watchInbox(() => (down ? Promise.reject(new Error('store down')) : Promise.resolve(3)));
  metrics.recordInboxLag(1500);
  assert.match((await metrics.scrape()).text, /^aftercare_inbox_entries 3$/m);
  assert.match((await metrics.scrape()).text, /^aftercare_inbox_lag_seconds 1\.5$/m);
  down = true;
  // prom-client spells it Nan; Prometheus reads NaN in any case.
  assert.match((await metrics.scrape()).text, /^aftercare_inbox_entries nan$/im);
});
