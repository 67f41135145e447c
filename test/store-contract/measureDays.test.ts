// The days kept per purchase day (store/sql/measuring.ts), on SQLite and on PostgreSQL:
// - which marked days a fold takes first: days never stored, then the days stored longest ago,
//   so a busy store's newest days (marked again every few seconds by new orders and thank-you
//   notes) cannot keep an older marked day waiting;
// - MeasureQuery.maxLagMs (AFTERCARE_REPORT_MAX_LAG): a day changed since it was stored is read
//   as stored when that count is recent enough, and says so (`lag`); counted afresh when the
//   count is older, or when no lag is allowed (the default).
import assert from 'node:assert/strict';
import type { Store } from '../../src/store/store.js';
import { DAY, T0, event, placedEvent, testReducer } from './fixtures.js';
import { describeOnSqlStores } from './migrationStores.js';

const AS_OF = T0 + 60 * DAY;
const MINUTE = 60_000;
const day = (offset: number): number => Math.floor((T0 + offset * DAY) / DAY);
const placed = (i: number, offset: number) =>
  placedEvent(`p${i}`, `o${i}`, { at: T0 + offset * DAY, customerId: `c${i}`, email: `c${i}@shop.test` });

/** Orders on days 0 and 30, both days counted and stored. */
async function twoStoredDays(store: Store): Promise<void> {
  await store.intake.apply([placed(1, 0), placed(2, 30)], testReducer().reduce);
  while ((await store.measuring.fold(8)).pending > 0);
}

describeOnSqlStores(
  'a fold takes unstored days first, then those stored longest ago',
  'foldorder',
  async (store, raw) => {
    await twoStoredDays(store);
    // Day 30 was counted more recently than day 0; both are marked again (a check-in was sent).
    await raw.run(`UPDATE {s}measure_days SET counted_at = 1000 WHERE day = ${day(0)}`);
    await raw.run(`UPDATE {s}measure_days SET counted_at = 2000 WHERE day = ${day(30)}`);
    await raw.run(`INSERT INTO {s}measure_dirty (day) VALUES (${day(0)}), (${day(30)})`);
    // And an order on day 7, a day never stored.
    await store.intake.apply([placed(3, 7)], testReducer().reduce);

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

describeOnSqlStores(
  'a report may read a recently counted day as counted',
  'measurelag',
  async (store, raw) => {
    await twoStoredDays(store);
    const counted = await store.measuring.cells({ asOf: AS_OF });
    assert.equal(counted.lag, undefined);

    // An answer about the day-30 order marks its day.
    const before = Date.now();
    await store.intake.apply(
      [
        event('a2', 'survey.answered', 'o2', {
          at: T0 + 31 * DAY,
          customerId: 'c2',
          data: { survey: 'csat', score: 5 },
        }),
      ],
      testReducer().reduce,
    );
    const exact = await store.measuring.cells({ asOf: AS_OF });
    assert.equal(exact.answers.length, counted.answers.length + 1, 'the answer counts at once');
    assert.deepEqual(await store.measuring.cells({ asOf: AS_OF, maxLagMs: 0 }), exact);

    // Allowed five minutes: the day was counted a moment ago, so it is read as counted then.
    const lagged = await store.measuring.cells({ asOf: AS_OF, maxLagMs: 5 * MINUTE });
    const { lag, ...cells } = lagged;
    assert.deepEqual(cells, counted);
    assert.equal(lag?.days, 1);
    assert.ok(lag.countedAt <= before && lag.countedAt > before - 5 * MINUTE, 'when the day was counted');

    // A count older than the lag allowed is not used: the day is counted afresh.
    await raw.run(`UPDATE {s}measure_days SET counted_at = counted_at - ${10 * MINUTE}`);
    assert.deepEqual(await store.measuring.cells({ asOf: AS_OF, maxLagMs: 5 * MINUTE }), exact);

    // Folded again, nothing lags.
    while ((await store.measuring.fold(8)).pending > 0);
    assert.deepEqual(await store.measuring.cells({ asOf: AS_OF, maxLagMs: 5 * MINUTE }), exact);
  },
);
