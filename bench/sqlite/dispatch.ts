// Dispatch on embedded SQLite: N due touch points through the production dispatcher's full path
// (claim -> policies -> compiled render with the default templates -> channel -> record), one
// process, one thread. The process is put together by the composition root; the touch points are
// planned by the real intake (the reassure playbook, compact plans) from orders whose shipping
// and delivery put exactly one step of each order due at the dispatch time: thank-you,
// order-shipped, usage-tips or checkin-week, for customers in ten zones. The channel only counts
// (and measures what was rendered), so the figure is Aftercare's own cost, not a mail server's.
// Opening, seeding and one warm-up batch come before the clock starts; the clock stops when the
// last outcome has been recorded. Time is virtual (Monday 12:00 UTC, daytime in every zone used),
// so quiet hours never turn a send into a deferral whatever the hour of the run.
//   AFTERCARE_BENCH_DISPATCH_TOUCH_POINTS=100000 node --import tsx bench/sqlite/dispatch.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { compose } from '../../src/app/compose.js';
import type { ChannelName, DomainEvent, Millis } from '../../src/core/domain.js';
import type { Channel, OutboundMessage, SendReceipt } from '../../src/channels/port.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { loadConfig } from '../../src/config.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { Dispatcher } from '../../src/engine/dispatcher.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/store.js';
import { envInt, isMain, peakRssMb } from '../common.js';
import { HotPaths, timed } from '../hotPaths.js';
import { dueSteps } from '../planTally.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Dispatch time: Monday 2026-06-01 12:00 UTC; 10:00-19:00 local in every zone below. */
const T: Millis = Date.UTC(2026, 5, 1, 12, 0);
/** Intake ran an hour before: steps due more than 3 days before that were planned as stale. */
const INTAKE_AT: Millis = T - HOUR;
const ZONES = [
  'America/Noronha',
  'Atlantic/Cape_Verde',
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Istanbul',
  'Asia/Dubai',
  'Asia/Karachi',
  'Asia/Dhaka',
  'Asia/Bangkok',
];
const GOALS = { touchPointsPerSecond: 20_000, peakRssMb: 500 };

/** Accepts every message, keeps a count and the size of what was rendered. */
class CountingChannel implements Channel {
  readonly handles: readonly ChannelName[] = ['email', 'sms', 'webhook'];
  count = 0;
  chars = 0;
  send(message: OutboundMessage): Promise<SendReceipt> {
    this.count += 1;
    this.chars += message.subject.length + message.text.length + (message.html?.length ?? 0);
    return Promise.resolve({ providerId: null });
  }
}

/**
 * The events of order `i`, chosen so that exactly one step of the reassure playbook is due at T
 * (the others are either stale when planned, more than 3 days late, or still to come):
 *   0 thank-you     placed 2 days before T (due the next day at 10:00 local)
 *   1 order-shipped placed 6 days before, shipped the day before T
 *   2 usage-tips    placed 10 days before, delivered 5 days before (tips 3 days after delivery)
 *   3 checkin-week  placed 14 days before, delivered 9 days before (check-in 7 days after)
 */
function orderEvents(i: number): DomainEvent[] {
  const kind = i % 4;
  const zone = ZONES[Math.floor(i / 4) % ZONES.length]!;
  const orderId = `bench-${i}`;
  const customerId = `cust-${i}`;
  const day = T - (T % DAY);
  const placedAt = day - [2, 6, 10, 14][kind]! * DAY + 9 * HOUR + (i % 60) * 60_000;
  const shippedAt = kind === 1 ? day - DAY + (6 + (i % 12)) * HOUR : placedAt + 2 * DAY;
  const deliveredAt = day - [0, 0, 5, 9][kind]! * DAY + 8 * HOUR;
  const total = 20 + (i % 400);
  const carrier = ['DHL', 'UPS', 'DPD'][i % 3]!;
  const trackingNumber = `TRK${100_000 + i}`;
  const base = (type: DomainEvent['type'], suffix: string, at: Millis): DomainEvent => ({
    id: `bench:${orderId}:${suffix}`,
    type,
    at,
    customerId,
    orderId,
    data: {},
    embedded: true,
  });
  const events: DomainEvent[] = [
    {
      ...base('order.placed', 'placed', placedAt),
      customer: {
        customerId,
        email: `customer${i}@example.com`,
        firstName: ['Ada', 'Bo', 'Chen', 'Dara', 'Eli', 'Fatima'][i % 6]!,
        lastName: `Example${i}`,
        timezone: zone,
        locale: 'en-US',
        segment: 'b2c',
      },
      order: {
        placedAt,
        currency: 'EUR',
        total,
        segment: 'b2c',
        items: [
          {
            sku: `LMP-${i % 40}`,
            productName: 'Arc floor lamp',
            category: 'lighting',
            quantity: 1,
            price: total,
          },
        ],
        promisedDeliveryAt: placedAt + 6 * DAY,
      },
    },
  ];
  if (kind === 0) return events;
  events.push({
    ...base('shipment.shipped', 'shipped', shippedAt),
    order: { placedAt, shipment: { carrier, trackingNumber, shippedAt, status: 'in_transit' } },
    data: { carrier, tracking_number: trackingNumber },
  });
  if (kind === 1) return events;
  events.push({
    ...base('shipment.delivered', 'delivered', deliveredAt),
    order: { placedAt, shipment: { carrier, trackingNumber, shippedAt, deliveredAt, status: 'delivered' } },
    data: { carrier, tracking_number: trackingNumber },
  });
  return events;
}

/** Plan steps due at T by step key, and queued rows due (there should be none). */
function dueAtT(store: SqliteStore): { byStep: Record<string, number>; total: number; rows: number } {
  const plans = store.database
    .prepare('SELECT plan FROM enrollments')
    .pluck()
    .iterate() as IterableIterator<string>;
  const byStep = dueSteps(plans, T);
  const total = Object.values(byStep).reduce((sum, n) => sum + n, 0);
  const queued = store.database
    .prepare("SELECT count(*) AS n FROM touch_points WHERE status = 'scheduled' AND due_at <= ?")
    .get(T) as { n: number };
  return { byStep, total, rows: queued.n };
}

export async function benchSqliteDispatch(): Promise<Record<string, unknown>> {
  const total = envInt('AFTERCARE_BENCH_DISPATCH_TOUCH_POINTS', 100_000);
  // The dispatcher's own defaults unless set: what `serve` runs with.
  const batchSize = envInt('AFTERCARE_BENCH_DISPATCH_BATCH', 500);
  const concurrency = envInt('AFTERCARE_BENCH_DISPATCH_CONCURRENCY', 1);
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-dispatch-'));
  const db = join(dir, 'aftercare.db');
  const paths = new HotPaths();
  const opened = await openSqliteStore(db);
  // The named hot paths, timed from outside the store.
  const store: SqliteStore = {
    ...opened,
    intake: timed(opened.intake, paths, {
      apply: { name: 'sqlite.intake', items: ([events]) => events.length },
    }),
    queue: timed(opened.queue, paths, {
      claimDue: { name: 'sqlite.claim', items: (_args, claimed) => claimed.length },
      recordOutcomes: { name: 'sqlite.record', items: ([outcomes]) => outcomes.length },
    }),
  };
  try {
    const config = loadConfig({
      AFTERCARE_DB: db,
      AFTERCARE_DATA_DIR: dir,
      AFTERCARE_PLAYBOOKS: 'reassure',
      // Everyone in the program: every due touch point is rendered and sent, none held out.
      AFTERCARE_HOLDOUT: '0',
      AFTERCARE_TIMEZONE: 'UTC',
    });
    // AFTERCARE_MAX_UNRECORDED's default unless set here: outcomes are written once per this many sends.
    const maxUnrecorded = envInt('AFTERCARE_BENCH_DISPATCH_MAX_UNRECORDED', config.dispatch.maxUnrecorded);
    const clock = new VirtualClock(INTAKE_AT);
    const app = await compose(config, { clock, store });
    // One warm-up batch is dispatched before the clock starts; N are measured.
    const orders = total + batchSize;
    const seedBegan = performance.now();
    for (let from = 0; from < orders; from += 1000) {
      const events: DomainEvent[] = [];
      for (let i = from; i < Math.min(orders, from + 1000); i++) events.push(...orderEvents(i));
      await app.intake.ingest(events);
    }
    const seedSeconds = (performance.now() - seedBegan) / 1000;
    const intake = paths.report()['sqlite.intake'];
    const due = dueAtT(opened);
    if (due.total !== orders || due.rows !== 0) {
      throw new Error(`seeding left ${due.total} plan steps and ${due.rows} rows due, not ${orders}`);
    }

    clock.set(T);
    const channel = new CountingChannel();
    const dispatcher = new Dispatcher({
      queue: store.queue,
      consent: store.consent,
      clock,
      channels: new ChannelRouter([channel]),
      playbooks: app.playbooks,
      renderer: app.renderer,
      policy: config.policy,
      business: config.business,
      publicUrl: config.publicUrl,
      workerId: 'bench-dispatch',
      batchSize,
      concurrency,
      maxUnrecorded,
    });
    const warmBegan = performance.now();
    const warm = await dispatcher.runOnce();
    const warmSeconds = (performance.now() - warmBegan) / 1000;
    paths.reset();
    const sentBefore = channel.count;

    const began = performance.now();
    const stats = await dispatcher.runUntilIdle();
    const lastRecorded = paths.lastEnd.get('sqlite.record') ?? performance.now();
    const elapsed = (lastRecorded - began) / 1000;
    const hotPaths = paths.report();
    await app.close();

    const statuses = Object.fromEntries(
      (
        opened.database.prepare('SELECT status, count(*) AS n FROM touch_points GROUP BY status').all() as {
          status: string;
          n: number;
        }[]
      ).map((r) => [r.status, r.n]),
    );
    const rate = stats.claimed / elapsed;
    const peakMb = peakRssMb();
    return {
      touchPoints: total,
      measured: stats.claimed,
      dueByStep: due.byStep,
      batchSize,
      concurrency,
      maxUnrecorded,
      seconds: round(elapsed),
      touchPointsPerSecond: Math.round(rate),
      outcomes: {
        sent: stats.sent,
        skipped: stats.skipped,
        deferred: stats.deferred,
        failed: stats.failed,
        cancelled: stats.cancelled,
        retried: stats.retried,
        stale: stats.stale,
      },
      sentByChannel: channel.count - sentBefore,
      renderedCharsPerSend: Math.round(channel.chars / Math.max(1, channel.count)),
      storeAfter: statuses,
      hotPaths: { ...hotPaths, 'sqlite.intake': intake },
      startUp: {
        seedOrders: orders,
        seedSeconds: round(seedSeconds),
        warmupTouchPoints: warm.claimed,
        warmupSeconds: round(warmSeconds),
      },
      peakRssMb: peakMb,
      goals: GOALS,
      met: { touchPointsPerSecond: rate >= GOALS.touchPointsPerSecond, peakRssMb: peakMb < GOALS.peakRssMb },
    };
  } finally {
    await opened.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await benchSqliteDispatch(), null, 2));
