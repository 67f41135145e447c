// Limits and headers: bodies over the limit get 413 before parsing, too many requests per key or
// per address get 429 with Retry-After, and every answer a browser may read carries the security
// headers (webhook answers do not: test/webhooks/inApp.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { newApiKey } from '../../src/engine/commands/apiKeyTokens.js';
import { T0, openTestApp, orderBody } from './harness.js';

const SECURITY_HEADERS = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-resource-policy',
];

describe('limits', () => {
  test('a body over AFTERCARE_BODY_LIMIT is a 413, on the API and on webhooks', async () => {
    const t = await openTestApp({ AFTERCARE_BODY_LIMIT: '2kb' });
    try {
      const big = orderBody('big', { attributes: { note: 'x'.repeat(3000) } });
      const response = await t.call({ method: 'POST', url: '/api/v1/orders', payload: big });
      assert.equal(response.statusCode, 413);
      assert.equal(response.json().error.code, 'AFTERCARE_E_PAYLOAD_TOO_LARGE');
      // Just under the limit is fine.
      const fits = orderBody('fits', { attributes: { note: 'x'.repeat(1000) } });
      assert.equal((await t.call({ method: 'POST', url: '/api/v1/orders', payload: fits })).statusCode, 201);
      const huge = await t.app.inject({
        method: 'POST',
        url: '/webhooks/standard',
        headers: { 'content-type': 'application/json' },
        payload: Buffer.alloc(2 * 1024 * 1024, 0x20),
      });
      assert.ok([404, 413].includes(huge.statusCode), `webhooks: ${huge.statusCode}`);
    } finally {
      await t.close();
    }
  });

  test('per key: the key over its limit gets 429 with Retry-After; another key is not held back', async () => {
    const t = await openTestApp({ AFTERCARE_API_RATE_LIMIT: '3/1m', AFTERCARE_API_IP_RATE_LIMIT: '100/1m' });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await t.call({ method: 'GET', url: '/api/v1/playbooks' })).statusCode);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      const limited = await t.call({ method: 'GET', url: '/api/v1/playbooks' });
      assert.equal(limited.json().error.code, 'AFTERCARE_E_RATE_LIMITED');
      assert.equal(limited.json().error.details.limit, 'key');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      const other = newApiKey('other', T0);
      await t.store.access.createApiKey(other.record);
      const fresh = await t.app.inject({
        method: 'GET',
        url: '/api/v1/playbooks',
        headers: { authorization: `Bearer ${other.key}` },
      });
      assert.equal(fresh.statusCode, 200);
    } finally {
      await t.close();
    }
  });

  test('per address: counted before the key, so guessing keys is held back too', async () => {
    const t = await openTestApp({ AFTERCARE_API_RATE_LIMIT: '100/1m', AFTERCARE_API_IP_RATE_LIMIT: '4/1m' });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) {
        statuses.push(
          (
            await t.app.inject({
              method: 'GET',
              url: '/api/v1/playbooks',
              headers: { authorization: 'Bearer guess' },
            })
          ).statusCode,
        );
      }
      statuses.push((await t.call({ method: 'GET', url: '/api/v1/playbooks' })).statusCode);
      const blocked = await t.call({ method: 'GET', url: '/api/v1/playbooks' });
      statuses.push(blocked.statusCode);
      assert.deepEqual(statuses, [401, 401, 401, 200, 429]);
      assert.equal(blocked.json().error.details.limit, 'address');
      // Another address is not affected.
      const elsewhere = await t.app.inject({
        method: 'GET',
        url: '/api/v1/playbooks',
        headers: t.auth,
        remoteAddress: '10.1.2.3',
      });
      assert.equal(elsewhere.statusCode, 200);
    } finally {
      await t.close();
    }
  });

  test('security headers on every kind of answer', async () => {
    const t = await openTestApp({
      AFTERCARE_BODY_LIMIT: '1kb',
      AFTERCARE_API_RATE_LIMIT: '1000/1m',
      AFTERCARE_API_IP_RATE_LIMIT: '30/1m',
    });
    try {
      const requests = [
        { method: 'GET', url: '/healthz' },
        { method: 'GET', url: '/readyz' },
        { method: 'GET', url: '/metrics' },
        { method: 'GET', url: '/api/v1/openapi.json' },
        { method: 'GET', url: '/api/v1/playbooks', headers: t.auth },
        { method: 'GET', url: '/api/v1/playbooks' },
        { method: 'GET', url: '/api/v1/customers/nobody', headers: t.auth },
        { method: 'GET', url: '/nowhere' },
        { method: 'DELETE', url: '/healthz' },
        {
          method: 'POST',
          url: '/api/v1/orders',
          headers: { ...t.auth, 'content-type': 'application/json' },
          payload: '{',
        },
        { method: 'POST', url: '/api/v1/orders', headers: t.auth, payload: { pad: 'x'.repeat(2000) } },
        { method: 'POST', url: '/webhooks/nowhere', payload: {} },
      ] as const;
      const seen = new Set<number>();
      for (const request of requests) {
        const response = await t.app.inject(request);
        seen.add(response.statusCode);
        for (const header of SECURITY_HEADERS) {
          assert.ok(
            response.headers[header],
            `${header} missing on ${request.method} ${request.url} (${response.statusCode})`,
          );
        }
        assert.equal(response.headers['x-powered-by'], undefined);
      }
      for (let i = 0; i < 40; i++) {
        const response = await t.app.inject({ method: 'GET', url: '/api/v1/playbooks', headers: t.auth });
        if (response.statusCode !== 429) continue;
        seen.add(429);
        for (const header of SECURITY_HEADERS)
          assert.ok(response.headers[header], `${header} missing on 429`);
        break;
      }
      for (const status of [200, 400, 401, 404, 413, 429]) assert.ok(seen.has(status), `no ${status} seen`);
    } finally {
      await t.close();
    }
  });
});
