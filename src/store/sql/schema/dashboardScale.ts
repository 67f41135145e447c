// 0017-dashboard-scale: what the dashboard needs to stay fast and safe with a million customers
// and several `serve` processes. `customers.name_key` is the customer's name folded for search
// (core/nameKey.ts), indexed with the id so a name search is a keyset range like the e-mail one;
// existing rows are back-filled here, a batch at a time, with the same folding intake uses.
// `rate_windows` holds the sign-in limits' fixed windows (kind + key: an account or a client
// address), counted with one atomic upsert so every process sharing the database counts together.
// Two partial indexes serve the overview's lists of scheduled and failed touch points (found by
// bench/dashboard.ts: at 100,000 customers the failed list took 330 ms on SQLite).
import { sql, type Kysely, type Migration } from 'kysely';
import { nameKeyOf } from '../../../core/nameKey.js';
import type { Tables } from '../tables.js';
import { columnTypes, type SqlDialectName } from './types.js';

/** Customers back-filled per statement (three parameters each, well under SQLite's limit). */
const BATCH = 500;

export function dashboardScaleSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('customers').addColumn('name_key', t.key).execute();
      await backFillNameKeys(db);
      await db.schema
        .createIndex('customers_name_key')
        .on('customers')
        .columns(['name_key', 'id'])
        .where(sql.ref('name_key'), 'is not', null)
        .execute();
      // The overview lists the next scheduled and the failed touch points, by due time: rows in
      // those states are few among millions sent or skipped, and without these the list walked
      // (SQLite) or sorted (PostgreSQL) the whole table. Partial, so sending does not pay for them.
      for (const status of ['scheduled', 'failed'] as const) {
        await db.schema
          .createIndex(`touch_points_${status}`)
          .on('touch_points')
          .columns(['due_at', 'priority', 'id'])
          .where(sql.ref('status'), '=', sql.lit(status))
          .execute();
      }
      await db.schema
        .createTable('rate_windows')
        .addColumn('kind', t.key, (c) => c.notNull())
        .addColumn('key', t.key, (c) => c.notNull())
        .addColumn('started_at', t.millis, (c) => c.notNull())
        .addColumn('count', t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint('rate_windows_pk', ['kind', 'key'])
        .execute();
      await db.schema.createIndex('rate_windows_started').on('rate_windows').column('started_at').execute();
    },
  };
}

/** Every named customer's key, by id in batches (written with the builder so the schema applies). */
async function backFillNameKeys(db: Kysely<Pick<Tables, 'customers'>>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('customers')
      .select(['id', 'first_name', 'last_name'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    const last = rows.at(-1);
    if (last === undefined) return;
    after = last.id;
    const named = rows
      .map((r) => ({ id: r.id, key: nameKeyOf(r.first_name, r.last_name) }))
      .filter((r): r is { id: string; key: string } => r.key !== null);
    const [first, ...rest] = named;
    if (first === undefined) continue;
    await db
      .updateTable('customers')
      .set((eb) => {
        let chosen = eb.case('id').when(first.id).then(first.key);
        for (const r of rest) chosen = chosen.when(r.id).then(r.key);
        return { name_key: chosen.end() };
      })
      .where(
        'id',
        'in',
        named.map((r) => r.id),
      )
      .execute();
  }
}
