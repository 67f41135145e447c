// Runs the store contract on the in-memory store: a fresh store per test, dropped in cleanup; then
// what only it promises: frozen answers and copied inputs, close dropping everything, and the
// same answers as SQLite after the same random operations.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import type { DomainEvent, Millis } from '../../src/core/domain.js';
import { makeIntakeReducer } from '../../src/engine/intake.js';
import { collectCsvEvents } from '../../src/integrations/csv/collect.js';
import { writeDemoCsv } from '../../src/integrations/demo/csv.js';
import { generateDemoOrders } from '../../src/integrations/demo/generate.js';
import { seededRandom } from '../../src/integrations/demo/random.js';
import { openMemoryStore } from '../../src/store/memory/store.js';
import type { AttemptOutcome } from '../../src/store/ports/queue.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { storeContract } from './contract.js';
import {
  DAY,
  HOUR,
  T0,
  TEST_INSTALL_KEY,
  placedEvent,
  task,
  testReducer,
  touchPointIdFor,
} from './fixtures.js';

storeContract('memory', async () => {
  const store = await openMemoryStore({ installKey: TEST_INSTALL_KEY });
  return { store, cleanup: () => store.close() };
});

async function demoEvents(seed: string): Promise<DomainEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-memory-'));
  try {
    const orders = generateDemoOrders({ orders: 120, seed, start: T0, pastDays: 10, futureDays: 10 });
    await writeDemoCsv(orders, join(dir, 'orders.csv'), join(dir, 'events.csv'));
    const csv = await collectCsvEvents({ orders: join(dir, 'orders.csv'), events: join(dir, 'events.csv') });
    return csv.events.sort((a, b) => a.at - b.at);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('memory specifics', () => {
  test('answers are frozen, and what the store was given is copied', async () => {
    const store = await openMemoryStore({ installKey: TEST_INSTALL_KEY });
    const attributes: Record<string, unknown> = { vip: true, tags: ['a'] };
    const placed = placedEvent('e1', 'o1', { email: 'ada@example.com' });
    await store.intake.apply(
      [{ ...placed, customer: { ...placed.customer, attributes } }],
      testReducer().reduce,
    );
    attributes.vip = false;
    (attributes.tags as string[]).push('b');
    const customer = (await store.reads.getCustomer('c1'))!;
    assert.deepEqual(customer.attributes, { vip: true, tags: ['a'] });
    assert.ok(Object.isFrozen(customer) && Object.isFrozen(customer.attributes));
    assert.throws(() => {
      (customer as { email: string | null }).email = 'eve@example.com';
    }, TypeError);

    const [claimed] = await store.queue.claimDue({ now: T0 + HOUR, limit: 1, leaseMs: HOUR, worker: 'w' });
    for (const part of [claimed!.touchPoint, claimed!.customer, claimed!.order, claimed!.enrollment]) {
      assert.ok(Object.isFrozen(part));
    }
    // Recording the outcome replaces the row: the claimed copy handed out stays as it was.
    await store.queue.recordOutcomes([
      { kind: 'sent', id: claimed!.touchPoint.id, attempt: 1, at: T0 + HOUR, providerId: null },
    ]);
    assert.equal(claimed!.touchPoint.status, 'claimed');
    assert.equal((await store.reads.getTouchPoint(claimed!.touchPoint.id))?.status, 'sent');

    const given = task('t1', touchPointIdFor('o1', 'thanks'));
    await store.tasks.create(given);
    given.title = 'changed by the caller';
    assert.equal((await store.tasks.get('t1'))?.title, 'Call Ada');

    // Lists are the caller's own.
    const listed = await store.reads.listTouchPoints({ orderId: 'o1' });
    listed.reverse();
    assert.deepEqual(
      (await store.reads.listTouchPoints({ orderId: 'o1' })).map((t) => t.stepKey),
      ['thanks', 'arrived', 'tips'],
    );
    await store.close();
  });

  test('close drops everything', async () => {
    const store = await openMemoryStore({ installKey: TEST_INSTALL_KEY });
    await store.intake.apply([placedEvent('e1', 'o1')], testReducer().reduce);
    await store.close();
    assert.equal(await store.reads.getCustomer('c1'), null);
    assert.equal(await store.queue.nextDueAt(), null);
    assert.equal((await store.reads.counts()).touchPoints.scheduled, 0);
  });

  test('after the same random operations it answers every read like SQLite', async () => {
    const events = await demoEvents('memory-vs-sqlite');
    const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
    const stores: Store[] = [
      await openSqliteStore(':memory:', { installKey: TEST_INSTALL_KEY }),
      await openMemoryStore({ installKey: TEST_INSTALL_KEY }),
    ];
    let clock: Millis = T0 - 10 * DAY;
    const reduce = makeIntakeReducer({
      playbooks: [playbook],
      defaultTimezone: 'America/New_York',
      holdoutShare: 0.2,
      holdoutSalt: 'memory',
      now: () => clock,
    });
    const same = async <T>(what: string, read: (store: Store) => Promise<T>): Promise<T> => {
      const [sqlite, memory] = [await read(stores[0]!), await read(stores[1]!)];
      assert.deepEqual(memory, sqlite, what);
      return sqlite;
    };
    const random = seededRandom('memory-vs-sqlite');
    const claims: { id: string; attempt: number }[] = [];
    try {
      for (let next = 0, step = 0; next < events.length || step < 400; step++) {
        clock += random.int(0, 4) * HOUR;
        const op = random.int(0, 9);
        if (op <= 3 && next < events.length) {
          const chunk = events.slice(next, next + random.int(1, 40));
          next += chunk.length;
          clock = Math.max(clock, chunk.at(-1)!.at);
          await same('intake', (s) => s.intake.apply(chunk, reduce));
        } else if (op <= 5) {
          // Limits that cut between touch points due at the same moment are left to the contract:
          // SQLite picks among equal queued rows by its index, not by id.
          const leaseMs = random.int(1, 4) * HOUR;
          const claimed = await same('claim', (s) =>
            s.queue.claimDue({ now: clock, limit: 1000, leaseMs, worker: 'w' }),
          );
          claims.push(...claimed.map(({ touchPoint: t }) => ({ id: t.id, attempt: t.attempt })));
        } else if (op <= 7) {
          const outcomes = claims.splice(0, random.int(0, claims.length)).map((c, i): AttemptOutcome => {
            const attempt = i % 7 === 3 ? c.attempt - 1 : c.attempt;
            if (i % 3 === 0) return { kind: 'sent', id: c.id, attempt, at: clock, providerId: null };
            if (i % 3 === 1)
              return {
                kind: 'rescheduled',
                id: c.id,
                attempt,
                dueAt: clock + DAY,
                reason: { code: 'quiet_hours', detail: null },
              };
            return {
              kind: 'skipped',
              id: c.id,
              attempt,
              at: clock,
              reason: { code: 'frequency_cap', detail: null },
            };
          });
          await same('record', (s) => s.queue.recordOutcomes(outcomes));
          const customers = [
            ...new Set((await stores[0]!.reads.listTouchPoints({ limit: 50 })).map((t) => t.customerId)),
          ];
          const since = clock - 3 * DAY;
          await same('recent sends', (s) =>
            s.queue.recentNonTransactional(customers, since).then((m) => [...m].sort()),
          );
        } else if (op === 8) {
          const ids = (await stores[0]!.reads.listTouchPoints({ status: 'scheduled', limit: 200 })).map(
            (t) => t.id,
          );
          const id = ids[random.int(0, Math.max(0, ids.length - 1))] ?? 'none';
          const to = clock + random.int(-2, 48) * HOUR;
          if (random.chance(0.5)) await same('move', (s) => s.schedule.move(id, to));
          else
            await same('cancel', (s) =>
              s.schedule.cancel(id, { code: 'cancelled_by_hand', detail: 'test' }, clock),
            );
        } else {
          const customerIds = [
            ...new Set((await stores[0]!.reads.listTouchPoints({})).map((t) => t.customerId)),
          ].sort();
          const id = customerIds[random.int(0, Math.max(0, customerIds.length - 1))] ?? 'none';
          await same('export', (s) => s.privacy.exportCustomer(id));
          if (random.chance(0.2)) await same('erase', (s) => s.privacy.eraseCustomer(id, clock));
          const ended = (leases: { id: string }[]) => leases.map((l) => l.id).sort();
          await same('lease sweep', (s) => s.queue.requeueExpiredLeases(clock).then(ended));
        }
      }
      await same('touch points', (s) => s.reads.listTouchPoints({}));
      await same('counts', (s) => s.reads.counts());
      await same('next due', (s) => s.queue.nextDueAt());
      // The report's cells: counted by a scan in memory and by aggregate queries on SQLite.
      await same('cells', (s) => s.measuring.cells({ asOf: clock }));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
