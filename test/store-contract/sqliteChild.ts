// Child process for the SQLite concurrency test: opens (and so migrates) the given file at the
// same moment as its siblings, ingests a few orders, claims what is due, and prints what it got.
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { HOUR, T0, placedEvent, testReducer } from './fixtures.js';

const [path, prefix] = process.argv.slice(2);
if (!path || !prefix) throw new Error('usage: sqliteChild.ts <file> <prefix>');
const store = await openSqliteStore(path);
const events = Array.from({ length: 20 }, (_, i) =>
  placedEvent(`${prefix}-e${i}`, `${prefix}-o${i}`, { customerId: `${prefix}-c${i}` }),
);
await store.intake.apply(events, testReducer().reduce);
const claimed = await store.queue.claimDue({ now: T0 + HOUR, limit: 1000, leaseMs: HOUR, worker: prefix });
process.stdout.write(JSON.stringify(claimed.map((c) => c.touchPoint.id)));
await store.close();
