// 0019-measure-pairs on a store whose days were folded before pair cells existed: the migration
// marks every stored day, so the first report counts them afresh and gets the pairs, and a day
// stored in the old format by a worker of the previous release (after the migration) is counted
// afresh too, never read as a day without pairs. On SQLite and on PostgreSQL. The stored rows
// are put back as the previous release wrote them (format 1, no `p`), with the bookkeeping row gone.
import assert from 'node:assert/strict';
import type { DomainEvent } from '../../src/core/domain.js';
import type { Store } from '../../src/store/store.js';
import { DAY, T0, event, placedEvent, testReducer } from './fixtures.js';
import { describeOnSqlStores, type RawSql } from './migrationStores.js';

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

async function folded(store: Store, raw: RawSql, oldFormat: string): Promise<void> {
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

describeOnSqlStores(
  '0019-measure-pairs recounts the days stored before pair cells',
  'migrate19',
  (store, raw) =>
    folded(
      store,
      raw,
      raw.dialect === 'sqlite'
        ? "json_set(json_remove(cells, '$.p'), '$.v', 1)"
        : "jsonb_set(cells::jsonb - 'p', '{v}', '1')::text",
    ),
);
