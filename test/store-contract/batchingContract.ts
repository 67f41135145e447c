// Contract: intake gives the same state whatever the batching. Generated shop orders (repeat
// customers, shipments, deliveries, returns, cancellations, events CSV) go through the real
// reducer once in batches of random sizes with claims and outcomes in between, and once one event
// per batch with the same claims; every customer, order, timeline and touch point must match.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import type { DomainEvent, Millis } from '../../src/core/domain.js';
import type { Playbook } from '../../src/core/playbook/types.js';
import { makeIntakeReducer } from '../../src/engine/intake.js';
import { collectCsvEvents } from '../../src/integrations/csv/collect.js';
import { writeDemoCsv } from '../../src/integrations/demo/csv.js';
import { generateDemoOrders } from '../../src/integrations/demo/generate.js';
import { seededRandom } from '../../src/integrations/demo/random.js';
import type { IntakeResult } from '../../src/store/ports/intake.js';
import type { Store } from '../../src/store/store.js';
import { DAY, HOUR, T0, type OpenStore } from './fixtures.js';

async function demoEvents(seed: string): Promise<DomainEvent[]> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-batching-'));
  try {
    const orders = generateDemoOrders({ orders: 120, seed, start: T0, pastDays: 10, futureDays: 10 });
    await writeDemoCsv(orders, join(dir, 'orders.csv'), join(dir, 'events.csv'));
    const csv = await collectCsvEvents({ orders: join(dir, 'orders.csv'), events: join(dir, 'events.csv') });
    // Arrival order: by time, so later lifecycle events meet the orders they are about.
    return csv.events.sort((a, b) => a.at - b.at);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Everything a reader can see, in a comparable form. */
async function snapshot(store: Store, results: IntakeResult[]): Promise<unknown> {
  const customerIds = [
    ...new Set(results.map((r) => r.customerId).filter((id): id is string => id !== null)),
  ].sort();
  const customers = [];
  for (const id of customerIds) {
    customers.push({
      customer: await store.reads.getCustomer(id),
      orders: await store.reads.listOrders(id),
      events: await store.reads.listEvents(id),
      touchPoints: await store.reads.listTouchPoints({ customerId: id }),
    });
  }
  return { customers, counts: await store.reads.counts() };
}

export function batchingContract(open: OpenStore): void {
  test('intake in random batches with claims between them equals one event per batch', async () => {
    const playbook: Playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
    const events = await demoEvents('batching');
    const random = seededRandom('batches');
    const sizes: number[] = [];
    for (let left = events.length; left > 0;) {
      const size = Math.min(left, random.int(1, 60));
      sizes.push(size);
      left -= size;
    }

    const run = async (batching: 'random' | 'single'): Promise<unknown> => {
      const { store, cleanup } = await open();
      try {
        let clock: Millis = T0 - 10 * DAY;
        const reduce = makeIntakeReducer({
          playbooks: [playbook],
          defaultTimezone: 'America/New_York',
          holdoutShare: 0.1,
          holdoutSalt: 'batching',
          now: () => clock,
        });
        const results: IntakeResult[] = [];
        let next = 0;
        for (const size of sizes) {
          const chunk = events.slice(next, next + size);
          next += size;
          clock = Math.max(clock, chunk.at(-1)!.at);
          if (batching === 'random') results.push(...(await store.intake.apply(chunk, reduce)));
          else for (const event of chunk) results.push(...(await store.intake.apply([event], reduce)));
          // Between batches, a dispatcher claims what is due and sends half, defers the rest.
          const claimed = await store.queue.claimDue({ now: clock, limit: 25, leaseMs: HOUR, worker: 'w' });
          await store.queue.recordOutcomes(
            claimed.map(({ touchPoint: t }, i) =>
              i % 2 === 0
                ? { kind: 'sent', id: t.id, attempt: t.attempt, at: clock, providerId: null }
                : {
                    kind: 'rescheduled',
                    id: t.id,
                    attempt: t.attempt,
                    dueAt: clock + DAY,
                    reason: { code: 'quiet_hours', detail: null },
                  },
            ),
          );
        }
        return { results, state: await snapshot(store, results) };
      } finally {
        await cleanup();
      }
    };

    const batched = await run('random');
    const single = await run('single');
    assert.deepEqual(batched, single);
  });
}
