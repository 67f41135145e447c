// GET /api/v1/reports/... on a real socket (127.0.0.1) over a history the production engine made
// in SQLite: each answer matches its documented schema, the four parts agree with each other,
// a key without the `read` scope is refused, bad query values are a 400 naming the field, and the
// OpenAPI document lists the routes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, type App } from '../../src/app/compose.js';
import { LIFT_METRICS } from '../../src/core/measuring/lift.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { newApiKey } from '../../src/engine/commands/apiKeyTokens.js';
import type { FastifyInstance } from 'fastify';
import { gapsResource } from '../../src/http/routes/gaps.js';
import { reportLiftResponse, reportMetricsResponse } from '../../src/http/schemas/reports.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { simulateHistory } from '../support/history.js';

const START = Date.UTC(2026, 9, 1);

let dir: string;
let store: Store;
let composed: App;
let app: FastifyInstance;
let base: string;
let readKey: string;
let writeKey: string;

async function get(path: string, key = readKey): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(`${base}/api/v1${path}`, { headers: { authorization: `Bearer ${key}` } });
  return {
    status: response.status,
    type: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-reports-'));
  const history = await simulateHistory(dir, { orders: 120, seed: 'api', start: START, pastDays: 60 });
  store = await openSqliteStore(history.db);
  composed = await compose(history.config, { store, clock: new VirtualClock(START) });
  const reader = newApiKey('reader', START, { scopes: ['read'] });
  const writer = newApiKey('writer', START, { scopes: ['write'] });
  await store.access.createApiKey(reader.record);
  await store.access.createApiKey(writer.record);
  readKey = reader.key;
  writeKey = writer.key;
  const added = await composed.commands.gaps.addAction({
    interaction: 'delivery',
    title: 'Ask the carrier for <earlier> slots',
    owner: 'ops',
    due: '2026-11-01',
  });
  assert.ok(added.ok);
  app = await composed.buildHttp({ logger: false });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await app.close();
  await composed.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('GET /api/v1/reports', () => {
  test('summary is the whole report; metrics, lift and gaps are its parts', async () => {
    const summary = await get('/reports/summary');
    assert.equal(summary.status, 200, summary.body);
    const whole = JSON.parse(summary.body) as Record<string, unknown> & { lift: { metric: string }[] };
    assert.deepEqual(
      whole.lift.map((l) => l.metric),
      [...LIFT_METRICS],
    );
    const metrics = await get('/reports/metrics');
    const lift = await get('/reports/lift');
    const gaps = await get('/reports/gaps');
    for (const answer of [metrics, lift, gaps]) assert.equal(answer.status, 200, answer.body);
    const m = reportMetricsResponse.parse(JSON.parse(metrics.body));
    const l = reportLiftResponse.parse(JSON.parse(lift.body));
    const g = gapsResource.parse(JSON.parse(gaps.body));
    assert.deepEqual(m.metrics, whole.metrics);
    assert.deepEqual(l.lift, whole.lift);
    // Compared as sent: the schema check above validates, this one that nothing differs.
    assert.deepEqual(JSON.parse(gaps.body), whole.gaps);
    assert.ok(m.metrics.overall.touchPoints.sent > 0);
    // Action items' times are ISO 8601 here as everywhere in the API.
    const open = g.actions.find((a) => a.interaction === 'delivery')?.open[0];
    assert.equal(open?.title, 'Ask the carrier for <earlier> slots');
    assert.equal(open?.createdAt, new Date(START).toISOString());
    assert.equal(l.lift[0]!.treatment.n, l.population.treatment.firstOrders);
  });

  test('since, until and playbook narrow the report', async () => {
    const all = reportLiftResponse.parse(JSON.parse((await get('/reports/lift')).body));
    const late = await get('/reports/lift?since=2026-09-01&until=2026-09-30&playbook=reassure');
    assert.equal(late.status, 200, late.body);
    const part = reportLiftResponse.parse(JSON.parse(late.body));
    assert.deepEqual(part.period.since, '2026-09-01');
    assert.equal(part.playbook, 'reassure');
    assert.ok(part.population.treatment.orders < all.population.treatment.orders);
  });

  test('summary.html is the self-contained HTML report', async () => {
    const html = await get('/reports/summary.html?since=2026-08-01');
    assert.equal(html.status, 200);
    assert.match(html.type, /^text\/html/);
    assert.ok(html.body.startsWith('<!doctype html>'));
    assert.doesNotMatch(html.body, /<script/i);
    assert.ok(html.body.includes('Ask the carrier for &lt;earlier&gt; slots'));
  });

  test('bad query values are a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['/reports/summary?since=2026-13-01', 'since'],
      ['/reports/lift?until=tomorrow', 'until'],
      ['/reports/metrics?since=2026-09-02&until=2026-09-01', 'until'],
      ['/reports/gaps?colour=blue', 'colour'],
    ];
    for (const [path, field] of cases) {
      const answer = await get(path);
      assert.equal(answer.status, 400, `${path}: ${answer.body}`);
      const { error } = JSON.parse(answer.body) as { error: { code: string; details: { field: string } } };
      assert.equal(error.code, 'AFTERCARE_E_INPUT_INVALID', path);
      assert.equal(error.details.field, field, path);
    }
    const unknown = await get('/reports/lift?playbook=nope');
    assert.equal(unknown.status, 404);
  });

  test('the read scope is needed; no key at all is a 401', async () => {
    for (const path of [
      '/reports/summary',
      '/reports/metrics',
      '/reports/lift',
      '/reports/gaps',
      '/reports/summary.html',
    ]) {
      const refused = await get(path, writeKey);
      assert.equal(refused.status, 403, path);
      assert.match(refused.body, /read/);
    }
    const anonymous = await fetch(`${base}/api/v1/reports/summary`);
    assert.equal(anonymous.status, 401);
  });

  test('the OpenAPI document lists the report routes with their query', async () => {
    const response = await fetch(`${base}/api/v1/openapi.json`);
    const document = (await response.json()) as {
      paths: Record<string, { get?: { parameters?: { name: string }[]; tags?: string[] } }>;
    };
    for (const path of ['summary', 'summary.html', 'metrics', 'lift', 'gaps']) {
      const operation = document.paths[`/api/v1/reports/${path}`]?.get;
      assert.ok(operation, path);
      assert.deepEqual(
        operation.parameters?.map((p) => p.name),
        ['since', 'until', 'playbook'],
        path,
      );
      assert.deepEqual(operation.tags, ['Reports']);
    }
  });
});

describe('AFTERCARE_REPORT_MAX_LAG', () => {
  test('a changed day counted recently is shown as counted, and the report says so', async () => {
    const sqlite = store as Store & { database: { exec(sql: string): void } };
    while ((await store.measuring.fold(8)).pending > 0);
    const lagging = await compose(
      { ...composed.config, reportMaxLagMs: 5 * 60_000 },
      {
        store,
        clock: new VirtualClock(START),
      },
    );
    const server = await lagging.buildHttp({ logger: false });
    const at = await server.listen({ host: '127.0.0.1', port: 0 });
    try {
      const period = async (url: string) => {
        const response = await fetch(`${url}/api/v1/reports/summary`, {
          headers: { authorization: `Bearer ${readKey}` },
        });
        assert.equal(response.status, 200);
        return ((await response.json()) as { period: { lag: unknown } }).period;
      };
      assert.equal((await period(at)).lag, null, 'everything counted: nothing lags');
      // Two stored days change (as a send or an answer would mark them).
      sqlite.database.exec(
        'INSERT INTO measure_dirty (day) SELECT day FROM measure_days ORDER BY day LIMIT 2',
      );
      const lagged = (await period(at)).lag as { days: number; countedAt: string };
      assert.equal(lagged.days, 2);
      assert.ok(Date.now() - Date.parse(lagged.countedAt) < 5 * 60_000);
      reportLiftResponse.parse(
        await (
          await fetch(`${at}/api/v1/reports/lift`, { headers: { authorization: `Bearer ${readKey}` } })
        ).json(),
      );
      assert.equal((await period(base)).lag, null, 'the default counts them afresh');
      const html = await (
        await fetch(`${at}/api/v1/reports/summary.html`, { headers: { authorization: `Bearer ${readKey}` } })
      ).text();
      assert.match(
        html,
        /2 days of purchases changed since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC are shown as counted then/,
      );
    } finally {
      await server.close();
      await lagging.close();
    }
  });
});
