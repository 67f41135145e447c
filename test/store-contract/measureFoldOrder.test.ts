// Which marked days a fold takes first, on SQLite and on PostgreSQL: days never stored, then the
// days stored longest ago, so a busy store's newest days (marked again every few seconds by new
// orders and thank-you notes) cannot keep an older marked day waiting.
import assert from 'node:assert/strict';
import { DAY, T0, placedEvent, testReducer } from './fixtures.js';
import { describeOnSqlStores } from './migrationStores.js';

const day = (offset: number): number => Math.floor((T0 + offset * DAY) / DAY);

describeOnSqlStores(
  'a fold takes unstored days first, then those stored longest ago',
  'foldorder',
  async (store, raw) => {
    const { reduce } = testReducer();
    const placed = (i: number, offset: number) =>
      placedEvent(`p${i}`, `o${i}`, { at: T0 + offset * DAY, customerId: `c${i}`, email: `c${i}@shop.test` });
    await store.intake.apply([placed(1, 0), placed(2, 30)], reduce);
    while ((await store.measuring.fold(8)).pending > 0);
    // Day 30 was counted more recently than day 0; both are marked again (a check-in was sent).
    await raw.run(`UPDATE {s}measure_days SET counted_at = 1000 WHERE day = ${day(0)}`);
    await raw.run(`UPDATE {s}measure_days SET counted_at = 2000 WHERE day = ${day(30)}`);
    await raw.run(`INSERT INTO {s}measure_dirty (day) VALUES (${day(0)}), (${day(30)})`);
    // And an order on day 7, a day never stored.
    await store.intake.apply([placed(3, 7)], reduce);

    const marked = async (): Promise<number[]> =>
      (await raw.column('SELECT day FROM {s}measure_dirty')).map(Number).sort((a, b) => a - b);
    assert.deepEqual(await marked(), [day(0), day(7), day(30)]);
    assert.deepEqual(await store.measuring.fold(1), { folded: 1, pending: 2 });
    assert.deepEqual(await marked(), [day(0), day(30)], 'the day never stored goes first');
    await store.measuring.fold(1);
    assert.deepEqual(await marked(), [day(30)], 'then the day stored longest ago, though older');
    await store.measuring.fold(1);
    assert.deepEqual(await marked(), []);
  },
);
