// A migration test's two stores: the same body run on a SQLite file and on a fresh PostgreSQL
// schema (skipped with a reason when no server answers), each with plain SQL access so the
// test can put the database back as an earlier release left it. `{s}` in a statement stands for
// the schema prefix (nothing on SQLite).
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_PG_URL, postgresSkipReason, uniqueSchema } from '../reliability/server.js';
import { TEST_INSTALL_KEY } from './fixtures.js';

export interface RawSql {
  dialect: 'sqlite' | 'postgres';
  run(statement: string): Promise<void>;
  /** The first column of every row. */
  column(statement: string): Promise<unknown[]>;
}

export function describeOnSqlStores(
  title: string,
  name: string,
  body: (store: Store, raw: RawSql) => Promise<void>,
): void {
  describe(title, () => {
    test('on SQLite', async () => {
      const dir = await mkdtemp(join(tmpdir(), `aftercare-${name}-`));
      const store = await openSqliteStore(join(dir, 'aftercare.db'), { installKey: TEST_INSTALL_KEY });
      const sql = (statement: string): string => statement.replaceAll('{s}', '');
      try {
        await body(store, {
          dialect: 'sqlite',
          run: (statement) => {
            store.database.exec(sql(statement));
            return Promise.resolve();
          },
          column: (statement) =>
            Promise.resolve(
              store.database
                .prepare(sql(statement))
                .raw()
                .all()
                .map((row) => (row as unknown[])[0]),
            ),
        });
      } finally {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('on PostgreSQL', async (t) => {
      const skip = await postgresSkipReason();
      if (skip !== null) {
        t.skip(skip);
        return;
      }
      const store = await openPostgresStore(TEST_PG_URL, {
        schema: uniqueSchema(name),
        poolSize: 2,
        installKey: TEST_INSTALL_KEY,
      });
      const sql = (statement: string): string => statement.replaceAll('{s}', `${store.names.quotedSchema}.`);
      try {
        await body(store, {
          dialect: 'postgres',
          run: async (statement) => {
            await store.pool.query(sql(statement));
          },
          column: async (statement) =>
            (await store.pool.query<unknown[]>({ text: sql(statement), rowMode: 'array' })).rows.map(
              (row) => row[0],
            ),
        });
      } finally {
        await store.dropSchema();
        await store.close();
      }
    });
  });
}
