// 0017-dashboard-scale on a database that already holds customers: the migration back-fills every
// named customer's folded name, so name search finds customers who arrived before it, on SQLite
// and on PostgreSQL. The database is put back as it was before 0017 (column, index, table and
// bookkeeping row gone), then migrated again.
import assert from 'node:assert/strict';
import type { DomainEvent } from '../../src/core/domain.js';
import type { Store } from '../../src/store/store.js';
import { placedEvent, testReducer } from './fixtures.js';
import { describeOnSqlStores } from './migrationStores.js';

const UNDO_0017 = [
  'DROP INDEX IF EXISTS {s}customers_name_key',
  'DROP INDEX IF EXISTS {s}touch_points_scheduled',
  'DROP INDEX IF EXISTS {s}touch_points_failed',
  'ALTER TABLE {s}customers DROP COLUMN name_key',
  'DROP TABLE {s}rate_windows',
  "DELETE FROM {s}aftercare_migrations WHERE name = '0017-dashboard-scale'",
];

/** More customers than one back-fill batch (500), some without a name. */
const COUNT = 1203;

function customer(i: number): DomainEvent {
  const id = `c${String(i).padStart(5, '0')}`;
  const email = `${id}@shop.test`;
  const base = placedEvent(`e${i}`, `o${i}`, { customerId: id, email });
  const firstName = i % 10 === 0 ? null : i % 3 === 0 ? 'RENÉ' : 'Rene';
  return { ...base, customer: { email, firstName, lastName: i % 10 === 0 ? null : `Ö${i}` } };
}

async function backFilled(store: Store, undo: (statement: string) => Promise<void>): Promise<void> {
  const events = Array.from({ length: COUNT }, (_, i) => customer(i));
  for (let i = 0; i < events.length; i += 200) {
    await store.intake.apply(events.slice(i, i + 200), testReducer().reduce);
  }
  for (const statement of UNDO_0017) await undo(statement);
  assert.deepEqual((await store.schemaState()).pending, ['0017-dashboard-scale']);
  await store.migrate();
  assert.deepEqual((await store.schemaState()).pending, []);
  const named = Array.from({ length: COUNT }, (_, i) => i).filter((i) => i % 10 !== 0);
  let found = 0;
  let after: { key: string; id: string } | undefined;
  for (;;) {
    const page = await store.customerSearch.searchCustomers({
      namePrefix: 'rene o',
      limit: 100,
      ...(after ? { after } : {}),
    });
    found += page.length;
    const last = page.at(-1);
    if (last === undefined) break;
    after = { key: `rene o${Number(last.id.slice(1))}`, id: last.id };
  }
  assert.equal(found, named.length);
  // Folded names in bytewise order: "rene o1201" comes before "rene o121".
  const one = await store.customerSearch.searchCustomers({ namePrefix: 'rene o12', limit: 50 });
  assert.deepEqual(
    one.map((c) => c.id),
    [
      'c00012',
      'c01201',
      'c01202',
      'c00121',
      'c00122',
      'c00123',
      'c00124',
      'c00125',
      'c00126',
      'c00127',
      'c00128',
      'c00129',
    ],
  );
  // The sign-in windows' table is back too.
  assert.equal((await store.rateWindows.hit('k', 'a', 1, 1000)).count, 1);
}

describeOnSqlStores('0017-dashboard-scale back-fills existing customers', 'migrate17', (store, raw) =>
  backFilled(store, (statement) => raw.run(statement)),
);
