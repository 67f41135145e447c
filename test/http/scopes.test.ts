// API key scopes, expiry and last use on the real routes, on SQLite and on PostgreSQL: every route
// admits a key holding one of its declared scopes and answers any other key 403 naming them, before
// the body is read; a rep's `tasks` key works a task end to end; an expired key is told so; the
// last use is written at most once a minute; the OpenAPI document lists each route's scopes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Task } from '../../src/core/domain.js';
import { newApiKey } from '../../src/engine/commands/apiKeyTokens.js';
import { API_PREFIX, API_ROUTES } from '../../src/http/api.js';
import type { ApiRoute } from '../../src/http/route.js';
import { API_SCOPES, type ApiScope } from '../../src/store/ports/access.js';
import { holdServer, postgresSkipReason } from '../reliability/server.js';
import { DAY, HOUR, T0, openTestApp, orderBody, type TestApp } from './harness.js';

const skipPostgres = await postgresSkipReason();

/** A request each route can take: real ids where they matter, else a plausible body. */
function requestFor(route: ApiRoute): { method: ApiRoute['method']; url: string; payload?: object } {
  const path = route.path.replace(':name', 'reassure').replace(':id', 'sc-missing');
  const url = API_PREFIX + (route.path === '/customers' ? `${path}?email=sam@example.de` : path);
  if (route.method === 'GET' || route.method === 'DELETE') return { method: route.method, url };
  const payload: Record<string, unknown> =
    route.path === '/orders'
      ? orderBody('sc-order-2', { customer: { email: 'sam@example.de', timezone: 'Europe/Berlin' } })
      : route.path === '/events'
        ? { id: 'sc-ev-1', type: 'shipment.shipped', at: new Date(T0).toISOString(), orderId: 'sc-order-1' }
        : {};
  return { method: route.method, url, payload };
}

function scopesSuite(store: 'sqlite' | 'postgres'): void {
  let t: TestApp;
  let release: (() => Promise<void>) | null = null;
  const keys = new Map<ApiScope, string>();
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  before(async () => {
    if (store === 'postgres') release = await holdServer('shared');
    t = await openTestApp({}, { store });
    for (const scope of API_SCOPES) {
      const made = newApiKey(`only ${scope}`, T0, { scopes: [scope] });
      await t.store.access.createApiKey(made.record);
      keys.set(scope, made.key);
    }
    const placed = await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody('sc-order-1', {
        currency: 'EUR',
        total: 89.9,
        customer: { email: 'jonas.weber@example.de', firstName: 'Jonas', timezone: 'Europe/Berlin' },
        items: [{ sku: 'KETTLE-2', productName: 'Kettle', quantity: 1, price: 89.9 }],
      }),
    });
    assert.equal(placed.statusCode, 201, placed.body);
  });
  after(async () => {
    await t?.close();
    await release?.();
  });

  test('every route admits exactly the keys holding one of its scopes; others get a 403 naming them', async () => {
    for (const route of API_ROUTES) {
      assert.ok(route.scopes.length > 0, `${route.method} ${route.path} declares no scope`);
      for (const scope of API_SCOPES) {
        const response = await t.app.inject({ ...requestFor(route), headers: as(keys.get(scope)!) });
        const what = `${route.method} ${route.path} with a ${scope} key`;
        if (route.scopes.includes(scope)) {
          assert.ok(![401, 403].includes(response.statusCode), `${what}: ${response.body}`);
        } else {
          assert.equal(response.statusCode, 403, `${what}: ${response.body}`);
          const { error } = response.json<{ error: { code: string; message: string; details: object } }>();
          assert.equal(error.code, 'AFTERCARE_E_FORBIDDEN', what);
          assert.deepEqual(error.details, { required: route.scopes, granted: [scope] }, what);
          assert.match(error.message, new RegExp(`lacks the \`${route.scopes[0]}\``), what);
          assert.match(error.message, /--scope/, what);
        }
      }
    }
    // The mapping itself, so a change to it is a decision rather than an accident.
    const byScope = (scope: ApiScope) =>
      API_ROUTES.filter((r) => r.scopes.includes(scope))
        .map((r) => `${r.method} ${r.path}`)
        .sort();
    assert.deepEqual(byScope('privacy'), ['DELETE /customers/:id', 'GET /customers/:id/export']);
    assert.deepEqual(byScope('tasks'), [
      'GET /tasks',
      'GET /tasks/:id',
      'POST /tasks/:id/claim',
      'POST /tasks/:id/complete',
    ]);
    assert.ok(
      API_ROUTES.filter((r) => r.method === 'GET' && !r.path.endsWith('/export')).every((r) =>
        r.scopes.includes('read'),
      ),
    );
    assert.ok(
      API_ROUTES.filter((r) => r.method !== 'GET').every((r) => !r.scopes.includes('read')),
      'read never changes anything',
    );
  });

  test('a forbidden request is refused before its body is read or its Idempotency-Key is kept', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...as(keys.get('read')!), 'content-type': 'application/json', 'idempotency-key': 'sc-1' },
      payload: '{not json',
    });
    assert.equal(refused.statusCode, 403);
    // The same Idempotency-Key is free for the request that is allowed.
    const allowed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { ...as(keys.get('write')!), 'idempotency-key': 'sc-1' },
      payload: orderBody('sc-order-3', { currency: 'JPY', total: 12000 }),
    });
    assert.equal(allowed.statusCode, 201, allowed.body);
  });

  test("a rep's tasks key lists, claims and completes a task, and reads nothing else", async () => {
    const [touchPoint] = await t.store.reads.listTouchPoints({ orderId: 'sc-order-1' });
    const customer = await t.store.reads.findCustomerByEmail('jonas.weber@example.de');
    const task: Task = {
      id: 'sc-task-1',
      touchPointId: touchPoint!.id,
      customerId: customer!.id,
      orderId: 'sc-order-1',
      concernId: null,
      kind: 'call',
      title: 'Call Jonas',
      script: 'Ask Jonas whether the kettle arrived well.',
      dueAt: T0 + DAY,
      owner: null,
      status: 'open',
      outcome: null,
      notes: null,
      createdAt: T0,
      completedAt: null,
    };
    await t.store.tasks.create(task);
    const rep = as(keys.get('tasks')!);
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/tasks?status=open', headers: rep });
    assert.deepEqual(
      listed.json<{ items: { id: string }[] }>().items.map((x) => x.id),
      ['sc-task-1'],
    );
    const claimed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks/sc-task-1/claim',
      headers: rep,
      payload: { owner: 'mara' },
    });
    assert.equal(claimed.statusCode, 200, claimed.body);
    const done = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tasks/sc-task-1/complete',
      headers: rep,
      payload: { outcome: 'reached', notes: 'arrived fine' },
    });
    assert.equal(done.json().status, 'done');
    const customerRead = await t.app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customer!.id}`,
      headers: rep,
    });
    assert.equal(customerRead.statusCode, 403);
  });

  test('an expired key gets a 401 that says so; a wrong secret for it stays the plain 401', async () => {
    const expiresAt = t.clock.now() + 90 * DAY;
    const made = newApiKey('quarterly', T0, { scopes: ['read'], expiresAt });
    await t.store.access.createApiKey(made.record);
    const get = (key: string) => t.app.inject({ method: 'GET', url: '/api/v1/playbooks', headers: as(key) });
    t.clock.advance(90 * DAY - 1);
    assert.equal((await get(made.key)).statusCode, 200);
    t.clock.advance(1);
    const expired = await get(made.key);
    assert.equal(expired.statusCode, 401);
    assert.equal(expired.headers['www-authenticate'], 'Bearer realm="aftercare"');
    const at = new Date(expiresAt).toISOString();
    assert.deepEqual(expired.json().error, {
      code: 'AFTERCARE_E_UNAUTHORIZED',
      message: `this API key expired at ${at}; create a new one: aftercare keys create --name NAME --scope ...`,
      details: { reason: 'expired', expiredAt: at },
    });
    const wrong = `${made.key.slice(0, -1)}${made.key.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(
      (await get(wrong)).json().error.message,
      'a valid API key is required: Authorization: Bearer ak_...',
    );
  });

  test('last used is written on first use, then once a minute however many requests come', async () => {
    const made = newApiKey('dashboard', T0, { scopes: ['read'] });
    await t.store.access.createApiKey(made.record);
    const lastUsed = async () => (await t.store.access.findApiKey(made.record.id))?.lastUsedAt;
    const get = () => t.app.inject({ method: 'GET', url: '/api/v1/playbooks', headers: as(made.key) });
    assert.equal(await lastUsed(), null);
    const first = t.clock.now();
    await get();
    assert.equal(await lastUsed(), first);
    for (let i = 0; i < 5; i++) {
      t.clock.advance(10_000);
      await get();
    }
    assert.equal(await lastUsed(), first, 'not written again within the minute');
    t.clock.advance(10_000);
    await get();
    assert.equal(await lastUsed(), first + 60_000);
    t.clock.advance(HOUR);
    // A refused request (403) was still made with the key: it counts as a use.
    await t.app.inject({ method: 'DELETE', url: '/api/v1/customers/sc-missing', headers: as(made.key) });
    assert.equal(await lastUsed(), first + 60_000 + HOUR);
  });

  test('the OpenAPI document names the scopes of every operation, and 403', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
      paths: Record<string, Record<string, { security: Record<string, string[]>[]; responses: object }>>;
    }>();
    for (const route of API_ROUTES) {
      const path = API_PREFIX + route.path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]![route.method.toLowerCase()]!;
      assert.deepEqual(
        operation.security,
        route.scopes.map((scope) => ({ apiKey: [scope] })),
        `${route.method} ${path}`,
      );
      assert.ok('403' in operation.responses, `${route.method} ${path}`);
    }
  });
}

describe('API key scopes on SQLite', () => scopesSuite('sqlite'));
describe('API key scopes on PostgreSQL', { skip: skipPostgres ?? false }, () => scopesSuite('postgres'));
