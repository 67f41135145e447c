// The HTTP log: one JSON line per request by route pattern, nothing secret or personal in it.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import pino from 'pino';
import { Metrics } from '../../src/http/metrics.js';
import { openTestApp, orderBody } from './harness.js';

describe('request logging', () => {
  test('route patterns and key ids only: no key, no e-mail, no body, no query string', async () => {
    const t = await openTestApp();
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const app = await t.composed.buildHttp({
      logger: pino({ level: 'debug' }, sink),
      metrics: new Metrics({ processMetrics: false }),
    });
    try {
      const headers = { ...t.auth, 'idempotency-key': 'secret-idem-key' };
      await app.inject({ method: 'POST', url: '/api/v1/orders', headers, payload: orderBody('log-1') });
      await app.inject({ method: 'GET', url: '/api/v1/customers?email=ada.lovelace@example.com', headers });
      await app.inject({ method: 'POST', url: '/api/v1/orders', headers: t.auth, payload: '{"broken' });
      await app.inject({
        method: 'GET',
        url: '/api/v1/customers/x',
        headers: { authorization: 'Bearer ak_leaked' },
      });
      const all = lines.join('\n');
      for (const secret of [t.key, 'ak_leaked', 'ada', 'lovelace', 'secret-idem-key', '7946', 'broken']) {
        assert.equal(
          all.toLowerCase().includes(secret.toLowerCase()),
          false,
          `"${secret}" in the log:\n${all}`,
        );
      }
      const requests = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .filter((l) => l.msg === 'request');
      assert.deepEqual(
        requests.map((r) => [r.method, r.route, r.status]),
        [
          ['POST', '/api/v1/orders', 201],
          ['GET', '/api/v1/customers', 200],
          ['POST', '/api/v1/orders', 400],
          ['GET', '/api/v1/customers/:id', 401],
        ],
      );
      assert.equal(requests[0]!.key, t.key.slice(3, 15));
      assert.equal(requests[0]!.component, 'http');
    } finally {
      await app.close();
      await t.close();
    }
  });
});
