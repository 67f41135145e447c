// PostgreSQL's measuring triggers on a store being filled: statistics that lag behind its size
// (a new store, a bulk import) must not turn a batch of 1,000 orders into a scan of every order
// (0008-measuring as first shipped; docs/benchmarks.md "Measuring triggers"). The plans the
// trigger runs are read from auto_explain, nested statements included. And 0020-measure-trigger-
// plans replaces the functions of a store made by an earlier release.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openPostgresStore, type PostgresHandle } from '../../src/store/postgres/store.js';
import { holdServer, postgresSkipReason, TEST_PG_URL, uniqueSchema } from '../reliability/server.js';
import { DAY, T0, TEST_INSTALL_KEY, placedEvent, testReducer } from './fixtures.js';

const FUNCTIONS = ['concerns', 'enrollments', 'events', 'orders', 'tasks', 'touch_points'].map(
  (table) => `measure_mark_${table}`,
);

describe('measuring triggers on PostgreSQL', async () => {
  const skip = await postgresSkipReason();
  let store: PostgresHandle;
  let release: () => Promise<void>;
  let client: pg.Client;
  let s: string;

  before(async () => {
    if (skip !== null) return;
    release = await holdServer('shared');
    store = await openPostgresStore(TEST_PG_URL, {
      schema: uniqueSchema('trigger_plans'),
      poolSize: 2,
      installKey: TEST_INSTALL_KEY,
    });
    s = store.names.quotedSchema;
    client = new pg.Client({ connectionString: TEST_PG_URL });
    await client.connect();
    // As a store being filled: nothing has analyzed `orders` since it was empty.
    await client.query(`ALTER TABLE ${s}.orders SET (autovacuum_enabled = false)`);
    const { reduce } = testReducer();
    for (let from = 0; from < 20_000; from += 2_000) {
      const batch = Array.from({ length: 2_000 }, (_, k) => {
        const i = from + k;
        return placedEvent(`p${i}`, `o${i}`, {
          at: T0 + (i % 90) * DAY,
          customerId: `c${Math.floor(i / 1.3)}`,
          email: `c${Math.floor(i / 1.3)}@shop.test`,
        });
      });
      await store.intake.apply(batch, reduce);
    }
  });

  after(async () => {
    if (skip !== null) return;
    await client.end();
    await store.dropSchema();
    await store.close();
    await release();
  });

  test('a batch of 1,000 orders finds its customers by index, not by scanning every order', async (t) => {
    if (skip !== null) return t.skip(skip);
    const plans: string[] = [];
    const listen = (notice: { message?: string }): void => {
      if (notice.message?.includes('measure_dirty') === true) plans.push(notice.message);
    };
    client.on('notice', listen);
    try {
      await client.query(`LOAD 'auto_explain'`);
      await client.query(
        'SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET auto_explain.log_level = notice',
      );
      await client.query('BEGIN');
      // 1,000 new orders of existing customers, copied from the newest ones.
      await client.query(`INSERT INTO ${s}.orders
        SELECT (jsonb_populate_record(NULL::${s}.orders, to_jsonb(o) || jsonb_build_object('id', o.id || '-again'))).*
        FROM (SELECT * FROM ${s}.orders ORDER BY id DESC LIMIT 1000) o`);
      await client.query('ROLLBACK');
    } finally {
      client.off('notice', listen);
      await client.query('RESET ALL');
    }
    assert.equal(plans.length, 1, 'one statement marks the days of the whole batch');
    const plan = plans[0]!;
    assert.match(plan, /Index (Only )?Scan[^\n]* on orders_customer|Bitmap Index Scan on orders_customer/);
    assert.doesNotMatch(plan, /Seq Scan on orders/);
  });

  test('0020-measure-trigger-plans replaces the functions an earlier release made', async (t) => {
    if (skip !== null) return t.skip(skip);
    const sources = async (): Promise<string[]> =>
      (
        await client.query<{ source: string }>(
          `SELECT p.prosrc AS source FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = $1 AND p.proname = ANY($2) ORDER BY p.proname`,
          [store.names.schema, FUNCTIONS],
        )
      ).rows.map((row) => row.source);
    assert.equal((await sources()).length, FUNCTIONS.length);
    // As an earlier release left them: bodies that mark nothing stand for the old ones.
    for (const name of FUNCTIONS) {
      await client.query(
        `CREATE OR REPLACE FUNCTION ${s}.${name}() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RETURN NULL; END $fn$`,
      );
    }
    await client.query(`DELETE FROM ${s}.aftercare_migrations WHERE name = '0020-measure-trigger-plans'`);
    assert.deepEqual((await store.schemaState()).pending, ['0020-measure-trigger-plans']);
    await store.migrate();
    assert.deepEqual((await store.schemaState()).pending, []);
    for (const source of await sources()) assert.match(source, /CROSS JOIN LATERAL/);

    // The replaced functions mark again: a new order marks every day its customer ordered on.
    await client.query(`DELETE FROM ${s}.measure_dirty`);
    await store.intake.apply(
      [placedEvent('p-new', 'o-new', { at: T0 + 200 * DAY, customerId: 'c0', email: 'c0@shop.test' })],
      testReducer().reduce,
    );
    const days = (await client.query<{ day: string }>(`SELECT day FROM ${s}.measure_dirty ORDER BY day`))
      .rows;
    assert.deepEqual(
      days.map((row) => Number(row.day)),
      [0, 1, 200].map((d) => Math.floor((T0 + d * DAY) / DAY)),
    );
  });
});
