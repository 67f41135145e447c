// The concurrency-sensitive API behaviour on PostgreSQL, where requests really run at once:
// parallel copies of one order make one order and one plan; one Idempotency-Key runs once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { PostgresHandle } from '../../src/store/postgres/store.js';
import { holdServer, postgresSkipReason } from '../reliability/server.js';
import { DAY, T0, openTestApp, orderBody, type TestApp } from './harness.js';
import { seededRandom, shuffle } from './random.js';

const skip = await postgresSkipReason();

describe('the API on PostgreSQL', { skip: skip ?? false }, () => {
  let t: TestApp;
  let release: (() => Promise<void>) | null = null;
  before(async () => {
    release = await holdServer('shared');
    t = await openTestApp({}, { store: 'postgres' });
  });
  after(async () => {
    await t?.close();
    await release?.();
  });

  test('an order and its events, each sent 1-5 times at once and out of order: one order, one plan', async () => {
    const random = seededRandom(99);
    for (let round = 0; round < 5; round++) {
      const orderId = `pg-${round}`;
      const email = `pg${round}@example.com`;
      const at = (offset: number): string => new Date(T0 + offset).toISOString();
      const requests = [
        { url: '/api/v1/orders', payload: orderBody(orderId, { customer: { email } }) },
        {
          url: '/api/v1/events',
          payload: {
            id: `${orderId}:s`,
            type: 'shipment.shipped',
            at: at(DAY),
            orderId,
            customer: { email },
          },
        },
        {
          url: '/api/v1/events',
          payload: {
            id: `${orderId}:d`,
            type: 'shipment.delivered',
            at: at(3 * DAY),
            orderId,
            customer: { email },
          },
        },
      ].flatMap((request) => Array.from({ length: 1 + Math.floor(random() * 5) }, () => request));
      const answers = await Promise.all(
        shuffle(requests, random).map((request) => t.call({ method: 'POST', ...request })),
      );
      for (const answer of answers) assert.ok([200, 201].includes(answer.statusCode), answer.body);
      assert.equal(answers.filter((a) => a.statusCode === 201).length, 3);
      const customer = await t.store.reads.findCustomerByEmail(email);
      const held = await t.store.privacy.exportCustomer(customer!.id);
      assert.deepEqual(
        held!.orders.map((o) => o.id),
        [orderId],
      );
      assert.equal(held!.enrollments.length, 1);
      const keys = held!.touchPoints.map((tp) => tp.stepKey);
      assert.equal(new Set(keys).size, keys.length, keys.join());
      assert.equal(held!.events.length, 3);
    }
  });

  test('parallel requests with one Idempotency-Key run exactly once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        t.call({
          method: 'POST',
          url: '/api/v1/orders',
          headers: { 'idempotency-key': 'pg-idem' },
          payload: orderBody('pg-idem-order'),
        }),
      ),
    );
    const ran = answers.filter((a) => a.statusCode === 201 && a.headers['idempotent-replayed'] === undefined);
    assert.equal(ran.length, 1, answers.map((a) => a.statusCode).join());
    assert.ok(answers.every((a) => a.statusCode === 201 || a.statusCode === 409));
    const replay = await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { 'idempotency-key': 'pg-idem' },
      payload: orderBody('pg-idem-order'),
    });
    assert.deepEqual([replay.statusCode, replay.body], [201, ran[0]!.body]);
  });

  test('export and erasure', async () => {
    await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody('pg-gdpr', { customer: { email: 'gdpr@example.com', firstName: 'Grizelda' } }),
    });
    const customer = await t.store.reads.findCustomerByEmail('gdpr@example.com');
    const erased = await t.call({ method: 'DELETE', url: `/api/v1/customers/${customer!.id}` });
    assert.equal(erased.statusCode, 200);
    assert.equal(erased.headers['cache-control'], 'no-store');
    const exported = await t.call({ method: 'GET', url: `/api/v1/customers/${customer!.id}/export` });
    assert.equal(/grizelda|gdpr@/i.test(exported.body), false, exported.body);
    // The same person, a new order id and a new event id: refused, nothing recreated.
    const again = await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody('pg-gdpr-2', { customer: { email: 'GDPR@example.com', firstName: 'Grizelda' } }),
    });
    assert.equal(again.statusCode, 422, again.body);
    assert.equal(again.json().error.code, 'AFTERCARE_E_ERASED');
    assert.equal(await t.store.reads.findCustomerByEmail('gdpr@example.com'), null);
    assert.equal(await t.store.reads.getOrder('pg-gdpr-2'), null);
    // No live row of any table names her (dead tuples wait for VACUUM: docs/privacy.md).
    const pg = t.store as PostgresHandle;
    const { rows: tables } = await pg.pool.query<{ name: string }>(
      'SELECT tablename AS name FROM pg_tables WHERE schemaname = $1',
      [pg.names.schema],
    );
    assert.ok(tables.length >= 12);
    for (const { name } of tables) {
      const { rows } = await pg.pool.query<{ row: string }>(
        `SELECT r::text AS row FROM ${pg.names.table(name)} r`,
      );
      const text = rows.map((r) => r.row.toLowerCase()).join('\n');
      for (const personal of ['grizelda', 'gdpr@example.com'])
        assert.equal(text.includes(personal), false, `"${personal}" is still in ${name}`);
    }
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/readyz' })).json<{ store: string }>().store,
      'postgres',
    );
  });
});
