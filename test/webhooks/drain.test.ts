// The inbox drain on real stores, opened with openStore (a SQLite file, and PostgreSQL when it is
// reachable): two drains never apply one entry at the same time and apply each once; a crash
// between intake and acknowledgement repeats an intake and changes nothing; an entry comes back
// from the inbox as it was appended.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import type { DomainEvent } from '../../src/core/domain.js';
import { InboxDrain } from '../../src/engine/inboxDrain.js';
import { Intake, makeIntakeReducer } from '../../src/engine/intake.js';
import { openStore } from '../../src/store/open.js';
import type { IntakeResult } from '../../src/store/ports/intake.js';
import type { Store } from '../../src/store/store.js';
import { TemplateRenderer } from '../../src/templates/render.js';
import {
  TEST_PG_URL,
  dropSchema,
  holdServer,
  postgresSkipReason,
  uniqueSchema,
} from '../reliability/server.js';
import { inboxEmpty } from './app.js';

const T0 = Date.parse('2026-06-01T12:00:00Z');

interface Target {
  name: string;
  /** A fresh database; `open` gives a handle on it (several handles: several processes). */
  create(): Promise<{ open: () => Promise<Store>; cleanup: () => Promise<void> }>;
  /** Whether two handles may drain at once (SQLite is one process's). */
  sharedByProcesses: boolean;
}

const sqlite: Target = {
  name: 'SQLite',
  sharedByProcesses: false,
  create: () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftercare-drain-'));
    return Promise.resolve({
      open: () => openStore(join(dir, 'aftercare.db')),
      cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    });
  },
};

const postgres: Target = {
  name: 'PostgreSQL',
  sharedByProcesses: true,
  create: () => {
    const schema = uniqueSchema('inbox');
    return Promise.resolve({
      open: () => openStore(`${TEST_PG_URL}?schema=${schema}`),
      cleanup: () => dropSchema(schema),
    });
  },
};

const skipPostgres = await postgresSkipReason();
const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'), new TemplateRenderer({ dirs: [] }));

function intakeOf(store: Store): Intake {
  return new Intake(
    store.intake,
    makeIntakeReducer({
      playbooks: [playbook],
      defaultTimezone: 'UTC',
      holdoutShare: 0,
      holdoutSalt: 'test',
      now: () => T0,
    }),
  );
}

function orderPlaced(n: number): DomainEvent {
  return {
    id: `drain-test:${n}`,
    type: 'order.placed',
    at: T0 - 60_000,
    customerId: null,
    orderId: `order-${n}`,
    customer: { email: `buyer${n}@example.com`, firstName: 'Ada', timezone: 'Europe/London' },
    order: { placedAt: T0 - 60_000, currency: 'EUR', total: 42 + n },
    data: {},
  };
}

async function appendOrders(store: Store, from: number, count: number): Promise<void> {
  const entries = Array.from({ length: count }, (_, i) => ({
    event: orderPlaced(from + i),
    source: 'standard',
  }));
  await store.inbox.appendInbox(entries, Date.now());
}

/** Intake that holds each batch a moment, recording which events are being applied at once. */
class Watched {
  readonly inFlight = new Set<string>();
  readonly applied = new Map<string, number>();
  overlaps: string[] = [];
  wrap(intake: Intake): Pick<Intake, 'ingest'> {
    return {
      ingest: async (events: DomainEvent[]): Promise<IntakeResult[]> => {
        for (const event of events) {
          if (this.inFlight.has(event.id)) this.overlaps.push(event.id);
          this.inFlight.add(event.id);
        }
        try {
          // Long enough for the other drain to take its own batch meanwhile.
          await new Promise((resolve) => setTimeout(resolve, 3));
          return await intake.ingest(events);
        } finally {
          for (const event of events) {
            this.inFlight.delete(event.id);
            this.applied.set(event.id, (this.applied.get(event.id) ?? 0) + 1);
          }
        }
      },
    };
  }
}

function drainFor(store: Store, intake: Pick<Intake, 'ingest'>, errors: unknown[]): InboxDrain {
  return new InboxDrain({
    inbox: store.inbox,
    intake,
    batchSize: 25,
    maxWaitMs: 0,
    pollMs: 5,
    onError: (error) => errors.push(error),
  });
}

for (const target of [sqlite, postgres]) {
  const skip = target === postgres ? skipPostgres : null;
  describe(`the inbox drain on ${target.name}`, { skip: skip ?? false }, () => {
    let release: (() => Promise<void>) | null = null;
    before(async () => {
      if (target === postgres) release = await holdServer('shared');
    });
    after(async () => {
      await release?.();
    });

    test('two drains on one inbox never apply one entry at the same time, and apply every entry once', async () => {
      const db = await target.create();
      const store = await db.open();
      // A second process's handle where the store is shared by processes; otherwise a second
      // drain in the same process.
      const other = target.sharedByProcesses ? await db.open() : store;
      try {
        await store.migrate();
        const count = 300;
        await appendOrders(store, 0, count);
        const watched = new Watched();
        const errors: unknown[] = [];
        const drains = [
          drainFor(store, watched.wrap(intakeOf(store)), errors),
          drainFor(other, watched.wrap(intakeOf(other)), errors),
        ];
        for (const drain of drains) drain.start();
        await inboxEmpty(store.inbox, 60_000);
        await Promise.all(drains.map((drain) => drain.stop()));
        assert.deepEqual(errors, []);
        assert.deepEqual(watched.overlaps, [], 'an entry was applied by both drains at once');
        assert.equal(watched.applied.size, count);
        assert.deepEqual(
          [...watched.applied.values()].filter((n) => n !== 1),
          [],
          'an entry was applied twice',
        );
        assert.equal((await store.reads.counts()).orders, count);
      } finally {
        if (other !== store) await other.close();
        await store.close();
        await db.cleanup();
      }
    });

    test('a crash between intake and acknowledgement repeats the intake, which changes nothing', async () => {
      const db = await target.create();
      const store = await db.open();
      try {
        await store.migrate();
        await appendOrders(store, 1000, 20);
        // The first drain applies the batch, then "dies": its acknowledgement never happens.
        const leaseMs = 60_000;
        let firstResults: IntakeResult[] = [];
        let markApplied = (): void => undefined;
        const applied = new Promise<void>((resolve) => {
          markApplied = resolve;
        });
        // Never stopped: like a killed process, it stays where it died.
        const crashed = new InboxDrain({
          inbox: { ...boundInbox(store), ackInbox: () => new Promise<void>(() => undefined) },
          intake: intakeOf(store),
          batchSize: 100,
          maxWaitMs: 0,
          leaseMs,
          onApplied: (batch) => {
            firstResults = batch.results;
            markApplied();
          },
        });
        crashed.start();
        await applied;
        const afterFirst = await store.reads.counts();
        assert.equal(afterFirst.orders, 20);
        assert.ok(firstResults.every((r) => !r.duplicate && r.rejected === null));
        assert.equal(await store.inbox.inboxDepth(), 20, 'not acknowledged');

        // Another drain, once the lease is over, takes the same entries again.
        const repeated: IntakeResult[] = [];
        const errors: unknown[] = [];
        const survivor = new InboxDrain({
          inbox: store.inbox,
          intake: intakeOf(store),
          batchSize: 100,
          maxWaitMs: 0,
          leaseMs,
          now: () => Date.now() + leaseMs + 1_000,
          onApplied: (batch) => repeated.push(...batch.results),
          onError: (error) => errors.push(error),
        });
        survivor.start();
        await inboxEmpty(store.inbox);
        await survivor.stop();
        assert.deepEqual(errors, []);
        assert.equal(repeated.length, 20);
        assert.ok(
          repeated.every((r) => r.duplicate),
          'the repeated intake finds every event seen',
        );
        assert.deepEqual(await store.reads.counts(), afterFirst, 'nothing changed');
        const customer = await store.reads.findCustomerByEmail('buyer1000@example.com');
        assert.equal((await store.reads.listEvents(customer!.id)).length, 1, 'one event on the timeline');
      } finally {
        await store.close();
        await db.cleanup();
      }
    });

    test('an entry comes back from the inbox as it was appended', async () => {
      const db = await target.create();
      const store = await db.open();
      try {
        await store.migrate();
        const event: DomainEvent = {
          id: 'stripe:evt_ünïcödé_1',
          type: 'order.placed',
          at: T0,
          orderId: 'stripe:pi_1',
          customerId: 'stripe:cus_1',
          customer: {
            email: 'zoë@example.com',
            firstName: 'Zoë 🚚',
            phone: '+49 30 1234 5678',
            segment: 'b2b',
          },
          order: {
            placedAt: T0,
            currency: 'JPY',
            total: 1_234_567.5,
            items: [
              { sku: 'A-1', productName: 'Grinder "C40"', category: null, quantity: 2, price: 0.1 + 0.2 },
            ],
          },
          data: { nested: { list: [1, 'two', null, { deep: true }] }, note: 'line\nbreak\ttab' },
        };
        await store.inbox.appendInbox([{ event, source: 'stripe' }], T0 + 5);
        const [entry] = await store.inbox.takeInbox(10, T0 + 10, T0 + 60_000);
        assert.ok(entry);
        assert.deepEqual(entry.event, event);
        assert.equal(entry.source, 'stripe');
        assert.equal(entry.receivedAt, T0 + 5);
        assert.deepEqual(await store.inbox.takeInbox(10, T0 + 20, T0 + 60_000), [], 'held by the lease');
        assert.equal((await store.inbox.takeInbox(10, T0 + 60_001, T0 + 120_000)).length, 1, 'free after it');
        await store.inbox.ackInbox([entry.seq]);
        assert.equal(await store.inbox.inboxDepth(), 0);
      } finally {
        await store.close();
        await db.cleanup();
      }
    });
  });
}

function boundInbox(store: Store): Store['inbox'] {
  const inbox = store.inbox;
  return {
    appendInbox: (entries, at) => inbox.appendInbox(entries, at),
    takeInbox: (limit, now, leaseUntil) => inbox.takeInbox(limit, now, leaseUntil),
    ackInbox: (seqs) => inbox.ackInbox(seqs),
    inboxDepth: () => inbox.inboxDepth(),
  };
}
