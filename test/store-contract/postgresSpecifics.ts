// What only the PostgreSQL store has: concurrent migration, the schema in the URL, NOTIFY
// wake-ups, cluster-wide exclusive jobs, the lease sweep, concurrent intake of the same orders,
// and errors that carry AFTERCARE_E_STORE.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pg from 'pg';
import {
  openPostgresStore,
  parsePostgresUrl,
  type PostgresHandle as PostgresStore,
} from '../../src/store/postgres/store.js';
import { migrations } from '../../src/store/sql/schema/migrate.js';
import { TEST_PG_URL, dropSchema, uniqueSchema } from '../reliability/server.js';
import { DAY, HOUR, MINUTE, T0, event, placedEvent, testReducer } from './fixtures.js';

async function withSchema(body: (schema: string) => Promise<void>): Promise<void> {
  const schema = uniqueSchema('pgspec');
  try {
    await body(schema);
  } finally {
    await dropSchema(schema);
  }
}

function open(schema: string, poolSize = 3): Promise<PostgresStore> {
  return openPostgresStore(TEST_PG_URL, { schema, poolSize, now: () => Date.now() });
}

function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  return new Promise((resolve) => {
    const tick = (): void => {
      if (condition()) resolve(true);
      else if (Date.now() > deadline) resolve(false);
      else setTimeout(tick, 10);
    };
    tick();
  });
}

export function postgresSpecifics(): void {
  void describe('postgres specifics', () => {
    void test('0004-keys: keys made before it keep every scope; a missing schema is not created', () =>
      withSchema(async (schema) => {
        await (await open(schema)).close();
        const client = new pg.Client({ connectionString: TEST_PG_URL });
        await client.connect();
        try {
          // The schema as Aftercare made it before 0004-keys, holding one key.
          await client.query(
            `ALTER TABLE "${schema}".api_keys DROP COLUMN scopes, DROP COLUMN expires_at, DROP COLUMN last_used_at`,
          );
          await client.query(`DELETE FROM "${schema}".aftercare_migrations WHERE name = '0004-keys'`);
          await client.query(
            `INSERT INTO "${schema}".api_keys (id, name, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, NULL)`,
            ['oldkey000001', 'shopify sync', 'ab'.repeat(32), T0],
          );
          const store = await openPostgresStore(TEST_PG_URL, { schema, poolSize: 2, create: false });
          try {
            assert.deepEqual((await store.access.findApiKey('oldkey000001'))?.scopes, [
              'read',
              'write',
              'tasks',
              'privacy',
            ]);
            assert.deepEqual(await store.schemaState(), { exists: true, pending: [], unknown: [] });
          } finally {
            await store.close();
          }

          const typo = `${schema}_typo`;
          await assert.rejects(openPostgresStore(TEST_PG_URL, { schema: typo, poolSize: 1, create: false }), {
            code: 'AFTERCARE_E_STORE_NOT_FOUND',
            message: new RegExp(`schema ${typo}\\).*no Aftercare tables`),
          });
          const { rows } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [typo]);
          assert.equal(rows.length, 0, 'the mistyped schema was not created');
        } finally {
          await client.end();
        }
      }));

    void test('many stores opening one new schema at once migrate it exactly once', () =>
      withSchema(async (schema) => {
        const stores = await Promise.all(Array.from({ length: 6 }, () => open(schema, 1)));
        try {
          const client = new pg.Client({ connectionString: TEST_PG_URL });
          await client.connect();
          const { rows } = await client.query<{ name: string }>(
            `SELECT name FROM "${schema}".aftercare_migrations ORDER BY name`,
          );
          await client.end();
          assert.deepEqual(
            rows.map((r) => r.name),
            Object.keys(migrations('postgres')).sort(),
          );
        } finally {
          await Promise.all(stores.map((s) => s.close()));
        }
      }));

    void test('refuses a schema newer than this code', () =>
      withSchema(async (schema) => {
        const store = await open(schema);
        await store.pool.query(
          `INSERT INTO "${schema}".aftercare_migrations (name, applied_at) VALUES ('9999-future', now()::text)`,
        );
        await store.close();
        await assert.rejects(open(schema), {
          code: 'AFTERCARE_E_STORE',
          message: /newer than this Aftercare/,
        });
      }));

    void test('the schema can be named in the URL; a bad name is a config error', async () => {
      assert.deepEqual(parsePostgresUrl('postgres://u@h:5432/db?schema=shop_a&sslmode=disable'), {
        url: 'postgres://u@h:5432/db?sslmode=disable',
        schema: 'shop_a',
      });
      await withSchema(async (schema) => {
        const store = await openPostgresStore(`${TEST_PG_URL}?schema=${schema}`);
        assert.equal(store.names.schema, schema);
        await store.close();
      });
      await assert.rejects(openPostgresStore(TEST_PG_URL, { schema: 'Robert"); DROP' }), {
        code: 'AFTERCARE_E_CONFIG',
      });
    });

    void test('an unreachable server surfaces as AFTERCARE_E_STORE', async () => {
      await assert.rejects(openPostgresStore('postgres://postgres@127.0.0.1:1/test'), {
        code: 'AFTERCARE_E_STORE',
      });
    });

    void test('intake and moving a touch point wake listeners in other processes (NOTIFY)', () =>
      withSchema(async (schema) => {
        const [a, b] = await Promise.all([open(schema), open(schema)]);
        try {
          let wakes = 0;
          const unsubscribe = await a.cluster!.onDueWork(() => {
            wakes += 1;
          });
          // Due now (real time): announced.
          const now = Date.now();
          await b.intake.apply(
            [placedEvent('e1', 'o1', { at: now, steps: [{ key: 'soon', offset: MINUTE }] })],
            testReducer().reduce,
          );
          assert.ok(await waitFor(() => wakes >= 1, 5_000), 'no wake-up after intake');
          // Far in the future: not announced (workers find it by polling nextDueAt).
          const before = wakes;
          await b.intake.apply(
            [placedEvent('e2', 'o2', { at: now + 30 * DAY, steps: [{ key: 'later', offset: DAY }] })],
            testReducer().reduce,
          );
          await new Promise((resolve) => setTimeout(resolve, 300));
          assert.equal(wakes, before);
          const [later] = await b.reads.listTouchPoints({ orderId: 'o2' });
          await b.schedule.move(later!.id, Date.now());
          assert.ok(await waitFor(() => wakes > before, 5_000), 'no wake-up after a move');
          await unsubscribe();
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      }));

    void test('runExclusive runs a job in one process at a time across the cluster', () =>
      withSchema(async (schema) => {
        const [a, b] = await Promise.all([open(schema), open(schema)]);
        try {
          let release!: () => void;
          const held = new Promise<void>((resolve) => {
            release = resolve;
          });
          const first = a.cluster!.runExclusive('sweep', async () => {
            await held;
            return 'a';
          });
          await new Promise((resolve) => setTimeout(resolve, 100));
          assert.equal(await b.cluster!.runExclusive('sweep', () => Promise.resolve('b')), null);
          assert.equal(await b.cluster!.runExclusive('other-job', () => Promise.resolve('b')), 'b');
          release();
          assert.equal(await first, 'a');
          assert.equal(await b.cluster!.runExclusive('sweep', () => Promise.resolve('b')), 'b');
          // A job that throws releases the lock too.
          await assert.rejects(
            a.cluster!.runExclusive('sweep', () => Promise.reject(new Error('boom'))),
            /boom/,
          );
          assert.equal(await b.cluster!.runExclusive('sweep', () => Promise.resolve('b')), 'b');
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      }));

    void test('the lease sweep hands back long-expired claims; the old attempt stays fenced out', () =>
      withSchema(async (schema) => {
        const store = await open(schema);
        try {
          await store.intake.apply(
            [placedEvent('e1', 'o1', { steps: [{ key: 'a', offset: MINUTE }] })],
            testReducer().reduce,
          );
          const [claim] = await store.queue.claimDue({
            now: T0 + HOUR,
            limit: 10,
            leaseMs: MINUTE,
            worker: 'w1',
          });
          assert.ok(claim);
          assert.deepEqual(await store.queue.requeueExpiredLeases(T0 + HOUR), []);
          const swept = await store.queue.requeueExpiredLeases(T0 + 2 * HOUR);
          assert.deepEqual(swept, [
            { id: claim.touchPoint.id, attempt: 1, worker: 'w1', leaseUntil: T0 + HOUR + MINUTE },
          ]);
          assert.equal(await store.queue.nextDueAt(), claim.touchPoint.dueAt);
          const applied = await store.queue.recordOutcomes([
            { kind: 'sent', id: claim.touchPoint.id, attempt: 1, at: T0 + 2 * HOUR, providerId: null },
          ]);
          assert.equal(applied, 0);
          const [again] = await store.queue.claimDue({
            now: T0 + 2 * HOUR,
            limit: 10,
            leaseMs: MINUTE,
            worker: 'w2',
          });
          assert.equal(again?.touchPoint.attempt, 2);
        } finally {
          await store.close();
        }
      }));

    void test('concurrent batches over the same orders and events apply each event once', () =>
      withSchema(async (schema) => {
        const [a, b] = await Promise.all([open(schema), open(schema)]);
        try {
          const placed = Array.from({ length: 200 }, (_, i) =>
            placedEvent(`p${i}`, `o${i}`, { customerId: `c${i % 50}` }),
          );
          const delays = Array.from({ length: 200 }, (_, i) =>
            event(`d${i}`, 'shipment.delayed', `o${i}`, { customerId: `c${i % 50}`, at: T0 + MINUTE }),
          );
          // Both processes ingest everything, in different orders and batch sizes.
          const runA = async (): Promise<void> => {
            for (let i = 0; i < 200; i += 40)
              await a.intake.apply(placed.slice(i, i + 40), testReducer().reduce);
            for (let i = 0; i < 200; i += 25)
              await a.intake.apply(delays.slice(i, i + 25), testReducer().reduce);
          };
          const runB = async (): Promise<void> => {
            const reversed = [...placed].reverse();
            for (let i = 0; i < 200; i += 30)
              await b.intake.apply(reversed.slice(i, i + 30), testReducer().reduce);
            for (let i = 0; i < 200; i += 50)
              await b.intake.apply(delays.slice(i, i + 50), testReducer().reduce);
          };
          await Promise.all([runA(), runB()]);
          const counts = await a.reads.counts();
          assert.equal(counts.orders, 200);
          assert.equal(counts.customers, 50);
          assert.equal(counts.events, 400);
          assert.equal(counts.touchPoints.scheduled, 600);
          // Each delay applied exactly once: every touch point moved by one day, not two.
          const tps = await a.reads.listTouchPoints({ orderId: 'o7' });
          assert.deepEqual(
            tps.map((t) => t.dueAt),
            [T0 + HOUR + DAY, T0 + 3 * DAY + DAY, T0 + 7 * DAY + DAY],
          );
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      }));

    void test('one batch of 3,000 orders lands in one transaction', () =>
      withSchema(async (schema) => {
        const store = await open(schema);
        try {
          const events = Array.from({ length: 3000 }, (_, i) =>
            placedEvent(`e${i}`, `o${i}`, { customerId: `c${i}`, email: `Person${i}@Example.com` }),
          );
          const results = await store.intake.apply(events, testReducer().reduce);
          assert.equal(
            results.reduce((n, r) => n + r.planned, 0),
            9000,
          );
          const counts = await store.reads.counts();
          assert.equal(counts.touchPoints.scheduled, 9000);
          assert.equal((await store.reads.findCustomerByEmail('person17@example.com'))?.id, 'c17');
          // Text that needs escaping in COPY survives the trip.
          const odd = 'tab\there\nnew line \\ backslash';
          await store.intake.apply(
            [placedEvent('odd', 'odd-order', { customerId: 'odd', data: { note: odd } })],
            testReducer().reduce,
          );
          const [stored] = await store.reads.listEvents('odd');
          assert.equal(stored?.data.note, odd);
        } finally {
          await store.close();
        }
      }));
  });
}
