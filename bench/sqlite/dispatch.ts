// Dispatch on embedded SQLite: N due touch points through the production dispatcher's full path
// (claim -> policy -> render with the default templates -> channel -> record), single process.
// The channel only counts, so the figure is Aftercare's own cost, not a mail server's.
//   AFTERCARE_BENCH_DISPATCH_TOUCH_POINTS=100000 node --import tsx bench/sqlite/dispatch.ts
import { mkdtempSync, rmSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelName, DomainEvent, TouchPoint } from '../../src/core/domain.js';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import { loadConfig } from '../../src/config.js';
import type { Channel, OutboundMessage, SendReceipt } from '../../src/channels/port.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { Dispatcher } from '../../src/engine/dispatcher.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { IntakeChanges } from '../../src/store/ports/intake.js';
import { TemplateRenderer } from '../../src/templates/render.js';
import { envInt, isMain, peakRssMb, seconds } from '../common.js';

// Monday 2026-06-01 12:00 UTC: inside business hours and outside quiet hours for UTC customers.
const T0 = Date.UTC(2026, 5, 1, 12, 0);
const DAY = 86_400_000;
const STEPS = ['thank-you', 'usage-tips', 'checkin-week', 'order-shipped'];

class CountingChannel implements Channel {
  readonly handles: readonly ChannelName[] = ['email', 'sms', 'webhook'];
  count = 0;
  bytes = 0;
  send(message: OutboundMessage): Promise<SendReceipt> {
    this.count += 1;
    this.bytes += message.text.length;
    return Promise.resolve({ providerId: null });
  }
}

export async function benchSqliteDispatch(): Promise<Record<string, unknown>> {
  const total = envInt('AFTERCARE_BENCH_DISPATCH_TOUCH_POINTS', 100_000);
  const batchSize = envInt('AFTERCARE_BENCH_DISPATCH_BATCH', 1000);
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-bench-dispatch-'));
  const store = await openSqliteStore(join(dir, 'aftercare.db'));
  try {
    const renderer = new TemplateRenderer({ dirs: [] });
    const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'), renderer);
    const steps = STEPS.map((key) => playbook.steps.find((s) => s.key === key)!);
    await seed(store, total, playbook.name, playbook.version, steps);

    const threads = envInt('AFTERCARE_BENCH_DISPATCH_THREADS', 1);
    await store.close();
    const began = process.hrtime.bigint();
    const parts = await Promise.all(
      Array.from(
        { length: threads },
        () =>
          new Promise<DrainResult>((resolve, reject) => {
            // Node 20 loads a worker's .ts entry before --import hooks apply: register tsx first.
            const bootstrap = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
            const worker = new Worker(bootstrap, {
              eval: true,
              workerData: { db: join(dir, 'aftercare.db'), batchSize },
            });
            worker.once('message', resolve);
            worker.once('error', reject);
          }),
      ),
    );
    const elapsed = seconds(began);
    const stats = parts.reduce(
      (sum, p) => ({
        claimed: sum.claimed + p.claimed,
        sent: sum.sent + p.sent,
        skipped: sum.skipped + p.skipped,
        deferred: sum.deferred + p.deferred,
        failed: sum.failed + p.failed,
        bytes: sum.bytes + p.bytes,
      }),
      { claimed: 0, sent: 0, skipped: 0, deferred: 0, failed: 0, bytes: 0 },
    );
    const channel = { bytes: stats.bytes };
    return {
      touchPoints: total,
      batchSize,
      threads,
      seconds: Math.round(elapsed * 1000) / 1000,
      touchPointsPerSecond: Math.round(stats.claimed / elapsed),
      outcomes: { sent: stats.sent, skipped: stats.skipped, deferred: stats.deferred, failed: stats.failed },
      renderedChars: channel.bytes,
      peakRssMb: peakRssMb(),
      goal: { touchPointsPerSecond: 20_000 },
    };
  } finally {
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One customer, one delivered order and one due touch point each, written through the store's intake. */
async function seed(
  store: Awaited<ReturnType<typeof openSqliteStore>>,
  total: number,
  playbookName: string,
  version: number,
  steps: { key: string; channel: ChannelName; purpose: TouchPoint['purpose'] }[],
): Promise<void> {
  for (let from = 0; from < total; from += 1000) {
    const events: DomainEvent[] = [];
    const changes: IntakeChanges[] = [];
    for (let i = from; i < Math.min(total, from + 1000); i++) {
      const id = `o${i}`;
      const customerId = `c${i}`;
      const step = steps[i % steps.length]!;
      const enrollmentId = `${playbookName}:${id}`;
      events.push({
        id: `seed:${id}`,
        type: 'order.placed',
        at: T0 - 10 * DAY,
        customerId,
        orderId: id,
        data: {},
      });
      changes.push({
        rejected: null,
        customer: {
          id: customerId,
          email: `customer${i}@example.com`,
          firstName: 'Sam',
          lastName: 'Lee',
          phone: null,
          timezone: 'UTC',
          locale: 'en',
          segment: 'b2c',
          holdout: false,
          temperature: 50,
          openConcerns: 0,
          unsubscribedAt: null,
          emailBouncedAt: null,
          attributes: {},
          createdAt: T0 - 10 * DAY,
        },
        order: {
          id,
          customerId,
          placedAt: T0 - 10 * DAY,
          currency: 'USD',
          total: 89.5,
          segment: 'b2c',
          items: [
            { sku: 'LMP-1', productName: 'Arc floor lamp', category: 'lighting', quantity: 1, price: 89.5 },
          ],
          shipments: [
            {
              id: 's1',
              carrier: 'UPS',
              trackingNumber: '1Z999',
              trackingUrl: 'https://track.example/1Z999',
              shippedAt: T0 - 9 * DAY,
              deliveredAt: T0 - 7 * DAY,
              status: 'delivered',
            },
          ],
          moments: { placed: T0 - 10 * DAY, shipped: T0 - 9 * DAY, delivered: T0 - 7 * DAY },
          attributes: {},
          updatedAt: T0 - 7 * DAY,
        },
        event: {
          id: `seed:${id}`,
          customerId,
          orderId: id,
          type: 'order.placed',
          at: T0 - 10 * DAY,
          data: {},
          receivedAt: T0 - 10 * DAY,
        },
        enrollments: [
          {
            id: enrollmentId,
            customerId,
            orderId: id,
            playbook: playbookName,
            playbookVersion: version,
            holdout: false,
            status: 'active',
            endedReason: null,
            enrolledAt: T0 - 10 * DAY,
          },
        ],
        insertTouchPoints: [
          {
            id: `${enrollmentId}:${step.key}`,
            enrollmentId,
            customerId,
            orderId: id,
            playbook: playbookName,
            playbookVersion: version,
            stepKey: step.key,
            channel: step.channel,
            purpose: step.purpose,
            holdout: false,
            dueAt: T0 - 60_000,
            status: 'scheduled',
            attempt: 0,
            leaseUntil: null,
            reason: null,
            outcomeAt: null,
            createdAt: T0 - 10 * DAY,
          },
        ],
        reschedule: [],
        cancel: [],
      });
    }
    let i = 0;
    await store.intake.apply(events, () => changes[i++]!);
  }
}

interface DrainResult {
  claimed: number;
  sent: number;
  skipped: number;
  deferred: number;
  failed: number;
  bytes: number;
}

/** One dispatcher thread: its own connection to the file, drains what is due, reports. */
async function drain(db: string, batchSize: number): Promise<DrainResult> {
  const store = await openSqliteStore(db);
  const renderer = new TemplateRenderer({ dirs: [] });
  const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'), renderer);
  const config = loadConfig({ AFTERCARE_TIMEZONE: 'UTC' });
  const channel = new CountingChannel();
  const dispatcher = new Dispatcher({
    queue: store.queue,
    consent: store.consent,
    clock: new VirtualClock(T0),
    channels: new ChannelRouter([channel]),
    renderer,
    playbooks: [playbook],
    policy: config.policy,
    business: config.business,
    publicUrl: config.publicUrl,
    workerId: `bench-${Math.random()}`,
    batchSize,
  });
  const stats = await dispatcher.runUntilIdle();
  await store.close();
  return { ...stats, bytes: channel.bytes };
}

if (!isMainThread) {
  const { db, batchSize } = workerData as { db: string; batchSize: number };
  parentPort!.postMessage(await drain(db, batchSize));
} else if (isMain(import.meta.url)) {
  console.log(JSON.stringify(await benchSqliteDispatch(), null, 2));
}
