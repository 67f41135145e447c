// 0019-measure-pairs on a store whose days were folded before pair cells existed: the migration
// marks every stored day, so the first report counts them afresh and gets the pairs, and a day
// stored in the old format by a worker of the previous release (after the migration) is counted
// afresh too, never read as a day without pairs. On SQLite and on PostgreSQL. The stored rows
// are put back as the previous release wrote them (format 1, no `p`), with the bookkeeping row gone.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_PG_URL, postgresSkipReason, uniqueSchema } from '../reliability/server.js';
import { DAY, T0, TEST_INSTALL_KEY, event, placedEvent, testReducer } from './fixtures.js';

const AS_OF = T0 + 60 * DAY;

/** Three days of orders, each answered on two steps: a pair per order. */
function history(): DomainEvent[] {
  const events: DomainEvent[] = [];
  for (let i = 0; i < 6; i++) {
    const order = `o${i}`;
    const at = T0 + (i % 3) * DAY;
    events.push(placedEvent(`p${i}`, order, { at, customerId: `c${i}`, email: `c${i}@shop.test` }));
    for (const [step, survey, score] of [
      ['week', 'csat', 1 + (i % 5)],
      ['month', 'nps', 10 - i],
    ] as const) {
      events.push(
        event(`a${i}-${step}`, 'survey.answered', order, {
          at: at + DAY,
          customerId: `c${i}`,
          data: { survey, score, touchPointId: `test:${order}:${step}` },
        }),
      );
    }
  }
  return events;
}

interface Raw {
  /** Runs a statement; `{s}` is the schema prefix. */
  run(statement: string): Promise<void>;
  /** The first column of every row. */
  column(statement: string): Promise<unknown[]>;
}

async function folded(store: Store, raw: Raw, oldFormat: string): Promise<void> {
  await store.intake.apply(history(), testReducer().reduce);
  const fresh = await store.measuring.cells({ asOf: AS_OF });
  assert.equal(fresh.pairs.length, 6);
  while ((await store.measuring.fold(8)).pending > 0);
  // As the previous release left it: every day stored in format 1, without pairs, nothing marked.
  await raw.run(`UPDATE {s}measure_days SET cells = ${oldFormat}`);
  await raw.run("DELETE FROM {s}aftercare_migrations WHERE name = '0019-measure-pairs'");
  assert.deepEqual((await raw.column('SELECT day FROM {s}measure_dirty')).length, 0);
  // Before the migration, the old rows are still counted afresh (they are not the current format).
  assert.deepEqual(await store.measuring.cells({ asOf: AS_OF }), fresh);

  assert.deepEqual((await store.schemaState()).pending, ['0019-measure-pairs']);
  await store.migrate();
  assert.deepEqual((await store.schemaState()).pending, []);
  const marked = (await raw.column('SELECT day FROM {s}measure_dirty')).map(Number).sort();
  const stored = (await raw.column('SELECT day FROM {s}measure_days')).map(Number).sort();
  assert.equal(stored.length, 3);
  assert.deepEqual(marked, stored, 'every stored day is marked');
  assert.deepEqual(await store.measuring.cells({ asOf: AS_OF }), fresh);
  while ((await store.measuring.fold(8)).pending > 0);
  assert.deepEqual(await store.measuring.cells({ asOf: AS_OF }), fresh);
  assert.equal((await raw.column('SELECT day FROM {s}measure_dirty')).length, 0);
}

describe('0019-measure-pairs recounts the days stored before pair cells', () => {
  test('on SQLite', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-0019-'));
    const store = await openSqliteStore(join(dir, 'aftercare.db'), { installKey: TEST_INSTALL_KEY });
    try {
      await folded(
        store,
        {
          run: (statement) => {
            store.database.exec(statement.replaceAll('{s}', ''));
            return Promise.resolve();
          },
          column: (statement) =>
            Promise.resolve(
              store.database
                .prepare(statement.replaceAll('{s}', ''))
                .raw()
                .all()
                .map((row) => (row as unknown[])[0]),
            ),
        },
        "json_set(json_remove(cells, '$.p'), '$.v', 1)",
      );
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
      schema: uniqueSchema('migrate19'),
      poolSize: 2,
      installKey: TEST_INSTALL_KEY,
    });
    const prefix = `${store.names.quotedSchema}.`;
    try {
      await folded(
        store,
        {
          run: async (statement) => {
            await store.pool.query(statement.replaceAll('{s}', prefix));
          },
          column: async (statement) =>
            (
              await store.pool.query({ text: statement.replaceAll('{s}', prefix), rowMode: 'array' })
            ).rows.map((row: unknown[]) => row[0]),
        },
        "jsonb_set(cells::jsonb - 'p', '{v}', '1')::text",
      );
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });
});
