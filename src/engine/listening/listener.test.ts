// The listener end to end on every store (SQLite, memory, PostgreSQL) with the production intake:
// a survey answer becomes a concern, a task and a cooler customer; a crash before the write is
// heard again later; two listeners racing write once; a worker hears promptly after intake.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { compose } from '../../app/compose.js';
import { loadPlaybooks } from '../../app/playbooks.js';
import { loadConfig } from '../../config.js';
import type { DomainEvent } from '../../core/domain.js';
import { openMemoryStore } from '../../store/memory/store.js';
import { openStore } from '../../store/open.js';
import { openPostgresStore } from '../../store/postgres/store.js';
import type { ListeningStore } from '../../store/ports/listening.js';
import type { Store } from '../../store/store.js';
import { VirtualClock } from '../clock.js';
import { Intake, makeIntakeReducer } from '../intake.js';
import { Listener } from './listener.js';
import {
  TEST_PG_URL,
  holdServer,
  postgresSkipReason,
  uniqueSchema,
} from '../../../test/reliability/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wednesday 2026-06-10 15:00 UTC: 10:00 in Chicago, 17:00 in Berlin (closed). */
const NOW = Date.UTC(2026, 5, 10, 15, 0);
const HOURS = { days: [1, 2, 3, 4, 5], start: { hour: 9, minute: 0 }, end: { hour: 17, minute: 0 } };

function placed(
  orderId: string,
  customer: DomainEvent['customer'],
  total: number,
  currency: string,
): DomainEvent {
  const at = NOW - 8 * DAY;
  return {
    id: `shop:${orderId}:placed`,
    type: 'order.placed',
    at,
    customerId: null,
    orderId,
    customer,
    order: { placedAt: at, number: `#${orderId}`, total, currency, items: [] },
    data: {},
  };
}

function answer(id: string, orderId: string, score: number, comment: string): DomainEvent {
  return {
    id,
    type: 'survey.answered',
    at: NOW - HOUR,
    customerId: null,
    orderId,
    data: { survey: 'nps', score, comment },
  };
}

const acme = {
  email: 'buyer@acme-tools.com',
  firstName: 'Dana',
  lastName: 'Ruiz',
  timezone: 'America/Chicago',
  segment: 'b2b' as const,
};
const jonas = { email: 'jonas.weber@example.de', firstName: 'Jonas', timezone: 'Europe/Berlin' };

interface World {
  store: Store;
  clock: VirtualClock;
  intake: Intake;
  listener(listening?: ListeningStore): Listener;
}

interface Opened {
  store: Store;
  cleanup: () => Promise<void>;
}

/** The same scenarios on every store: the listener's write differs per dialect (row locks on PostgreSQL). */
const STORES: { name: string; open: () => Promise<Opened> }[] = [
  { name: 'sqlite', open: async () => withClose(await openStore(':memory:')) },
  { name: 'memory', open: async () => withClose(await openMemoryStore()) },
];
const pgSkip = await postgresSkipReason();
if (pgSkip === null) {
  // The reliability tests restart the server under an exclusive hold; this keeps them apart.
  let release: (() => Promise<void>) | null = null;
  before(async () => {
    release = await holdServer('shared');
  });
  after(() => release?.());
  STORES.push({
    name: 'postgres',
    open: async () => {
      const store = await openPostgresStore(TEST_PG_URL, { schema: uniqueSchema('listener'), poolSize: 4 });
      return {
        store,
        cleanup: async () => {
          await store.dropSchema();
          await store.close();
        },
      };
    },
  });
}

function withClose(store: Store): Opened {
  return { store, cleanup: () => store.close() };
}

for (const { name, open } of STORES) {
  describe(`listener on ${name}`, () => {
    let w: World;
    let cleanup: () => Promise<void>;
    beforeEach(async () => {
      const { playbooks } = await loadPlaybooks(['reassure']);
      const opened = await open();
      const store = opened.store;
      cleanup = opened.cleanup;
      const clock = new VirtualClock(NOW);
      const intake = new Intake(
        store.intake,
        makeIntakeReducer({
          playbooks,
          defaultTimezone: 'UTC',
          holdoutShare: 0,
          holdoutSalt: 't',
          now: () => clock.now(),
        }),
      );
      w = {
        store,
        clock,
        intake,
        listener: (listening = store.listening) =>
          new Listener({ store: listening, clock, businessHours: HOURS, defaultTimezone: 'UTC' }),
      };
    });
    afterEach(() => cleanup());

    test('an order and a low answer: concern, task, temperature, open concerns and last NPS', async () => {
      await w.intake.ingest([
        placed('PO-7731', acme, 12_480, 'USD'),
        placed('DE-1042', jonas, 349, 'EUR'),
        answer('nps:PO-7731', 'PO-7731', 2, 'arrived broken'),
        answer('nps:DE-1042', 'DE-1042', 10, 'perfect'),
      ]);
      const acmeId = (await w.store.reads.findCustomerByEmail(acme.email))!.id;
      const jonasId = (await w.store.reads.findCustomerByEmail(jonas.email))!.id;
      assert.equal(
        (await w.store.reads.getCustomer(acmeId))?.temperature,
        50,
        'intake leaves it to the listener',
      );

      const report = await w.listener().hearPending({ limit: 100 });
      assert.deepEqual(report.heard.sort(), ['nps:DE-1042', 'nps:PO-7731']);
      assert.deepEqual(
        [report.customers, report.concernsChanged, report.tasksCreated, report.conflicts],
        [2, 1, 1, 0],
      );

      const [concern] = await w.store.listening.listConcerns({ customerId: acmeId });
      assert.deepEqual(
        [concern?.id, concern?.severity, concern?.summary, concern?.orderId, concern?.status],
        ['concern:nps:PO-7731', 'high', 'NPS 2: arrived broken', 'PO-7731', 'open'],
      );
      const task = await w.store.tasks.get('care:concern:nps:PO-7731');
      assert.equal(task?.dueAt, NOW, 'open now in Chicago');
      assert.match(task.script, /#PO-7731: 12480\.00 USD/);
      assert.match(task.script, /Customer: Dana Ruiz \(B2B\)/);
      const cooled = (await w.store.reads.getCustomer(acmeId))!;
      assert.deepEqual(
        [cooled.temperature, cooled.openConcerns, cooled.lastNps, cooled.engagedAt],
        [20, 1, 2, NOW - HOUR],
      );
      assert.deepEqual(
        cooled.temperatureReasons.map((r) => r.delta),
        [-20, 5, -15],
        'the score, answering at all, and the concern it opened',
      );
      assert.match(cooled.temperatureReasons[0]!.why, /gave 2 out of 10/);
      const warm = (await w.store.reads.getCustomer(jonasId))!;
      assert.deepEqual([warm.temperature, warm.openConcerns, warm.lastNps], [65, 0, 10]);
      assert.deepEqual(await w.store.listening.unheard(10), []);
      // The timeline shows the concern the answer opened.
      const raised = await w.store.reads.listEvents(acmeId, ['concern.raised']);
      assert.deepEqual(
        raised.map((e) => e.id),
        ['concern:nps:PO-7731:raised'],
      );
      assert.deepEqual((await w.listener().hearPending()).heard, [], 'nothing left to hear');
    });

    test('a crash before the write leaves the events unheard; heard later, opened once', async () => {
      await w.intake.ingest([
        placed('PO-7731', acme, 12_480, 'USD'),
        answer('nps:1', 'PO-7731', 3, 'late and dented'),
      ]);
      let failures = 1;
      const crashing: ListeningStore = Object.create(w.store.listening) as ListeningStore;
      crashing.apply = (changes, heard) => {
        if (failures-- > 0) return Promise.reject(new Error('power cut'));
        return w.store.listening.apply(changes, heard);
      };
      const errors: unknown[] = [];
      const listener = new Listener({
        store: crashing,
        clock: w.clock,
        businessHours: HOURS,
        defaultTimezone: 'UTC',
        onError: (_customer, error) => errors.push(error),
      });
      const first = await listener.hearPending();
      assert.deepEqual([first.heard, first.failures.length, errors.length], [[], 1, 1]);
      assert.deepEqual(
        (await w.store.listening.unheard(10)).map((e) => e.id),
        ['nps:1'],
      );
      assert.deepEqual((await listener.hearPending()).heard, ['nps:1']);
      assert.equal((await w.store.listening.listConcerns({})).length, 1);
      assert.equal((await w.store.tasks.list({})).filter((t) => t.concernId !== null).length, 1);
    });

    test('two listeners racing over the same events write them once', async () => {
      await w.intake.ingest([
        placed('PO-7731', acme, 12_480, 'USD'),
        answer('nps:1', 'PO-7731', 0, 'never again'),
      ]);
      const [a, b] = await Promise.all([w.listener().hearPending(), w.listener().hearPending()]);
      assert.deepEqual([a.heard.length + b.heard.length, a.conflicts + b.conflicts], [1, 1]);
      const customer = (await w.store.reads.findCustomerByEmail(acme.email))!;
      assert.equal(customer.openConcerns, 1);
      assert.equal((await w.store.listening.listConcerns({})).length, 1);
    });

    test('what a customer says about someone unknown is rejected by intake, not made a customer', async () => {
      const [result] = await w.intake.ingest([
        {
          id: 'nps:ghost',
          type: 'survey.answered',
          at: NOW,
          customerId: 'cus_ghost',
          orderId: null,
          data: { survey: 'nps', score: 1 },
        },
      ]);
      assert.equal(result?.rejected, 'unknown_customer');
      assert.equal(await w.store.reads.getCustomer('cus_ghost'), null);
      assert.deepEqual(await w.store.listening.unheard(10), []);
    });
  });
}

describe('listener in the worker', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aftercare-listener-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test("intake wakes the worker's listener: the answer is heard without waiting for the period", async () => {
    const config = loadConfig({
      AFTERCARE_DATA_DIR: dir,
      AFTERCARE_HOLDOUT: '0',
      AFTERCARE_LOG_LEVEL: 'silent',
    });
    const app = await compose(config, { clock: new VirtualClock(NOW) });
    try {
      await app.commands.ingest.events([placed('DE-1042', jonas, 349, 'EUR')]);
      // The period is a minute of real time: only the wake-up can hear it within the test.
      const worker = await app.startWorker({ idleMs: 60_000, listenEveryMs: 60_000 });
      try {
        await app.commands.ingest.events([answer('nps:DE-1042', 'DE-1042', 4, 'the grinder is loud')]);
        const deadline = Date.now() + 5_000;
        while ((await app.store.listening.unheard(1)).length > 0 && Date.now() < deadline) await sleep(20);
        const [concern] = await app.commands.concerns.list({});
        assert.deepEqual([concern?.severity, concern?.summary], ['medium', 'NPS 4: the grinder is loud']);
      } finally {
        await worker.stop();
      }
    } finally {
      await app.close();
    }
  });
});
