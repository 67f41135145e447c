// Health, readiness, metrics and the OpenAPI document.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { API_PREFIX, API_ROUTES } from '../../src/http/api.js';
import { DAY, T0, dispatcherFor, openTestApp, orderBody } from './harness.js';

/** Parses Prometheus text exposition strictly enough to catch a malformed line. */
function parseExposition(
  text: string,
): Map<string, { type: string; samples: { name: string; labels: string; value: number }[] }> {
  const metrics = new Map<
    string,
    { type: string; samples: { name: string; labels: string; value: number }[] }
  >();
  const familyOf = (name: string): string => {
    for (const suffix of ['_bucket', '_sum', '_count', '_total', '']) {
      const base = suffix && name.endsWith(suffix) ? name.slice(0, -suffix.length) : name;
      if (metrics.has(base)) return base;
      if (metrics.has(name)) return name;
    }
    throw new Error(`sample of undeclared metric ${name}`);
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const declared = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (declared) {
      const [, kind, name, rest] = declared;
      const entry = metrics.get(name!) ?? { type: '', samples: [] };
      if (kind === 'TYPE') {
        assert.match(rest!, /^(counter|gauge|histogram|summary|untyped)$/, line);
        entry.type = rest!;
      }
      metrics.set(name!, entry);
      continue;
    }
    const sample =
      /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(
        line,
      );
    assert.ok(sample, `not a valid exposition line: ${line}`);
    metrics
      .get(familyOf(sample[1]!))!
      .samples.push({ name: sample[1]!, labels: sample[2] ?? '', value: Number(sample[3]) });
  }
  return metrics;
}

describe('operations', () => {
  test('/healthz answers while the store is down; /readyz then says 503', async () => {
    const t = await openTestApp();
    try {
      assert.deepEqual((await t.app.inject({ method: 'GET', url: '/readyz' })).json(), {
        status: 'ready',
        store: 'sqlite',
      });
      await t.store.close();
      assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(ready.statusCode, 503);
      assert.equal(ready.json().error.code, 'AFTERCARE_E_STORE');
      // /metrics still scrapes (the queue gauges stay empty).
      assert.equal((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 200);
    } finally {
      await t.close().catch(() => undefined);
    }
  });

  test('/metrics: ingest, due, sent, skipped by reason, lag, queue depth, in valid exposition format', async () => {
    const t = await openTestApp();
    try {
      await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('m-1') });
      await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('m-1') });
      await t.call({
        method: 'POST',
        url: '/api/v1/orders',
        payload: orderBody('m-2', { customer: { email: 'nobody-home@example.com' } }),
      });
      await t.store.consent.suppress('nobody-home@example.com', 'bounced', T0);
      t.clock.set(T0 + 2 * DAY);
      const { dispatcher, channels } = dispatcherFor(t);
      await dispatcher.runUntilIdle();
      await channels.close();

      const response = await t.app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const metrics = parseExposition(response.body);
      const value = (name: string, labels: string): number =>
        [...metrics.values()].flatMap((m) => m.samples).find((s) => s.name === name && s.labels === labels)
          ?.value ?? NaN;
      assert.equal(value('aftercare_ingest_events_total', '{source="api",result="accepted"}'), 2);
      assert.equal(value('aftercare_ingest_events_total', '{source="api",result="duplicate"}'), 1);
      assert.ok(value('aftercare_touch_points_due_total', '{channel="email"}') >= 2);
      assert.ok(value('aftercare_touch_points_sent_total', '{channel="email",purpose="reassurance"}') >= 1);
      assert.equal(value('aftercare_touch_points_skipped_total', '{reason="suppressed"}'), 1);
      assert.equal(metrics.get('aftercare_send_lag_seconds')?.type, 'histogram');
      assert.ok(value('aftercare_send_lag_seconds_count', '{channel="email"}') >= 1);
      assert.equal(metrics.get('aftercare_queue_touch_points')?.type, 'gauge');
      const counts = await t.store.reads.counts();
      for (const [status, n] of Object.entries(counts.touchPoints)) {
        assert.equal(value('aftercare_queue_touch_points', `{status="${status}"}`), n, status);
      }
      assert.ok(metrics.has('aftercare_queue_tasks'));
      assert.ok(metrics.has('aftercare_http_request_duration_seconds'));
      // Nothing identifying becomes a label.
      assert.equal(/m-1|em_|ada|example\.com/i.test(response.body), false);
    } finally {
      await t.close();
    }
  });

  test('the OpenAPI document describes every route, and every documented route exists', async () => {
    const t = await openTestApp();
    try {
      const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      interface Operation {
        operationId: string;
        summary: string;
        responses: Record<string, unknown>;
        requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      }
      const document = response.json<{ openapi: string; paths: Record<string, Record<string, Operation>> }>();
      assert.equal(document.openapi, '3.1.0');
      const documented: [string, string][] = Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method): [string, string] => [method.toUpperCase(), path]),
      );
      for (const route of API_ROUTES) {
        const path = API_PREFIX + route.path.replace(/:(\w+)/g, '{$1}');
        assert.ok(
          documented.some(([method, p]) => method === route.method && p === path),
          `${route.method} ${path} is not documented`,
        );
      }
      for (const [method, path] of documented) {
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        assert.ok(t.app.hasRoute({ method, url }), `${method} ${path} is documented but not served`);
        const operation = document.paths[path]![method.toLowerCase()]!;
        assert.ok(operation.summary && operation.responses, `${method} ${path}`);
      }
      const ids = documented.map(
        ([method, path]) => document.paths[path]![method.toLowerCase()]!.operationId,
      );
      assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
      const orders = document.paths['/api/v1/orders']!.post!;
      assert.ok(orders.requestBody?.content['application/json']?.schema.properties.customer);
      assert.ok(orders.responses['422'], 'idempotency reuse is documented on POSTs');
    } finally {
      await t.close();
    }
  });
});
