// MeasureQuery.maxLagMs (AFTERCARE_REPORT_MAX_LAG) on SQLite and on PostgreSQL: a day changed
// since it was stored is read as stored when that count is recent enough, and says so (`lag`);
// counted afresh when the count is older, or when no lag is allowed (the default).
import assert from 'node:assert/strict';
import { DAY, T0, event, placedEvent, testReducer } from './fixtures.js';
import { describeOnSqlStores } from './migrationStores.js';

const AS_OF = T0 + 60 * DAY;
const MINUTE = 60_000;

describeOnSqlStores(
  'a report may read a recently counted day as counted',
  'measurelag',
  async (store, raw) => {
    const { reduce } = testReducer();
    const placed = (i: number, offset: number) =>
      placedEvent(`p${i}`, `o${i}`, { at: T0 + offset * DAY, customerId: `c${i}`, email: `c${i}@shop.test` });
    await store.intake.apply([placed(1, 0), placed(2, 30)], reduce);
    while ((await store.measuring.fold(8)).pending > 0);
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
      reduce,
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
