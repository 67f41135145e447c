// Listening on embedded SQLite: what customers say, heard by the production listener. N
// customers each have a delivered order (seeded through the real intake before the clock starts);
// then N events arrive the way they do after a busy week — survey answers (about one in six a
// detractor), replies in three tones, damaged parcels, returns with a reason — and are taken in
// through intake (measured: they are stored unheard) and heard by the listener until nothing is
// left (measured to the last write: concerns, their tasks with scripts, temperature folds over
// each customer's history, heard marks). One process, one thread; time is virtual.
//   AFTERCARE_BENCH_LISTEN_EVENTS=20000 node --import tsx bench/sqlite/listen.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compose } from '../../src/app/compose.js';
import type { DomainEvent, Millis } from '../../src/core/domain.js';
import { loadConfig } from '../../src/config.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { envInt, isMain, peakRssMb } from '../common.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-06-01 12:00 UTC: the answers come in over the week before. */
const T: Millis = Date.UTC(2026, 5, 1, 12, 0);
const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Sydney', 'America/Chicago'];
const CURRENCIES = ['EUR', 'USD', 'JPY', 'AUD', 'USD'];
const REPLIES: [string, string][] = [
  ['It arrived broken and nobody answers my mails. I want a refund.', 'negative'],
  ['When will the second box ship?', 'neutral'],
  ['Thanks, all good, the lamp looks great!', 'positive'],
];

function order(i: number): DomainEvent[] {
  const zone = ZONES[i % ZONES.length]!;
  const placedAt = T - 14 * DAY + (i % 600) * 60_000;
  const customerId = `cust-${i}`;
  const orderId = `ord-${i}`;
  const segment = i % 5 === 0 ? 'b2b' : 'b2c';
  return [
    {
      id: `bench:${orderId}:placed`,
      type: 'order.placed',
      at: placedAt,
      customerId,
      orderId,
      customer: { customerId, email: `c${i}@example.com`, firstName: 'Ada', timezone: zone, segment },
      order: { placedAt, currency: CURRENCIES[i % CURRENCIES.length]!, total: 40 + (i % 900), segment },
      data: {},
      embedded: true,
    },
    {
      id: `bench:${orderId}:delivered`,
      type: 'shipment.delivered',
      at: placedAt + 4 * DAY,
      customerId,
      orderId,
      data: {},
      embedded: true,
    },
  ];
}

/** What customer `i` says, some time in the week before T. */
function said(i: number): DomainEvent {
  const at = T - 7 * DAY + ((i * 7919) % (7 * 24 * 60)) * 60_000;
  const base = { id: `said-${i}`, at, customerId: `cust-${i}`, orderId: `ord-${i}` };
  const kind = i % 20;
  if (kind < 12) {
    // NPS: about one in six a detractor, the rest passives and promoters.
    const score = [2, 5, 7, 8, 9, 10, 10, 9, 8, 10, 6, 9][kind]!;
    return { ...base, type: 'survey.answered', data: { survey: 'nps', score, comment: 'from the bench' } };
  }
  if (kind < 15) {
    const [text, sentiment] = REPLIES[kind - 12]!;
    return { ...base, type: 'reply.received', data: { text, sentiment, from: `c${i}@example.com` } };
  }
  if (kind < 17) return { ...base, type: 'shipment.delayed', data: { reason: 'parcel damaged in transit' } };
  if (kind < 18) return { ...base, type: 'order.returned', data: { reason: 'wrong size' } };
  return { ...base, type: 'survey.answered', data: { survey: 'csat', score: 1 + (i % 5) } };
}

export async function benchSqliteListen(): Promise<Record<string, unknown>> {
  const total = envInt('AFTERCARE_BENCH_LISTEN_EVENTS', 20_000);
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-listen-'));
  const db = join(dir, 'aftercare.db');
  const store = await openSqliteStore(db);
  try {
    const config = loadConfig({ AFTERCARE_DB: db, AFTERCARE_DATA_DIR: dir, AFTERCARE_HOLDOUT: '0' });
    const clock = new VirtualClock(T - 14 * DAY);
    const app = await compose(config, { clock, store });
    const seedBegan = performance.now();
    for (let from = 0; from < total; from += 1000) {
      const events: DomainEvent[] = [];
      for (let i = from; i < Math.min(total, from + 1000); i++) events.push(...order(i));
      await app.intake.ingest(events);
    }
    const seedSeconds = (performance.now() - seedBegan) / 1000;
    clock.set(T);

    const heardBefore = await store.listening.unheard(1);
    if (heardBefore.length !== 0) throw new Error('seeding left unheard events');
    const intakeBegan = performance.now();
    for (let from = 0; from < total; from += 1000) {
      const events: DomainEvent[] = [];
      for (let i = from; i < Math.min(total, from + 1000); i++) events.push(said(i));
      await app.intake.ingest(events);
    }
    const intakeSeconds = (performance.now() - intakeBegan) / 1000;

    const began = performance.now();
    let heard = 0;
    let rounds = 0;
    let concerns = 0;
    let tasks = 0;
    for (;;) {
      const report = await app.listener.hearPending({ limit: 500 });
      if (report.heard.length === 0) break;
      rounds += 1;
      heard += report.heard.length;
      concerns += report.concernsChanged;
      tasks += report.tasksCreated;
    }
    const seconds = (performance.now() - began) / 1000;
    const left = (await store.listening.unheard(1)).length;
    await app.close();
    if (heard !== total || left !== 0) throw new Error(`heard ${heard} of ${total}, ${left} left`);
    return {
      events: total,
      intake: { seconds: round(intakeSeconds), eventsPerSecond: Math.round(total / intakeSeconds) },
      hearing: {
        seconds: round(seconds),
        eventsPerSecond: Math.round(heard / seconds),
        rounds,
        concernsOpened: concerns,
        tasksCreated: tasks,
      },
      startUp: { seedOrders: total, seedSeconds: round(seedSeconds) },
      peakRssMb: peakRssMb(),
    };
  } finally {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchSqliteListen(), null, 2));
