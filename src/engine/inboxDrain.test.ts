import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent, Millis } from '../core/domain.js';
import { AftercareError } from '../errors.js';
import type { InboxEntry, InboxStore } from '../store/ports/inbox.js';
import type { IntakeResult } from '../store/ports/intake.js';
import { InboxDrain, type DrainedBatch, type InboxDrainOptions } from './inboxDrain.js';

const event = (id: string): DomainEvent => ({
  id,
  type: 'order.placed',
  at: 0,
  customerId: 'c',
  orderId: id,
  data: {},
});

const result = (e: DomainEvent): IntakeResult => ({
  eventId: e.id,
  duplicate: false,
  customerId: 'c',
  orderId: e.orderId,
  planned: 1,
  cancelled: 0,
  rejected: null,
});

/** The inbox port over an array, with leases, as small as it can be. */
class ArrayInbox implements InboxStore {
  private seq = 0;
  readonly rows: (InboxEntry & { leaseUntil: Millis })[] = [];
  takes = 0;
  appendInbox(entries: { event: DomainEvent; source: string }[], at: Millis): Promise<void> {
    for (const e of entries) this.rows.push({ seq: ++this.seq, ...e, receivedAt: at, leaseUntil: 0 });
    return Promise.resolve();
  }
  takeInbox(limit: number, now: Millis, leaseUntil: Millis): Promise<InboxEntry[]> {
    this.takes += 1;
    const free = this.rows.filter((row) => row.leaseUntil <= now).slice(0, limit);
    for (const row of free) row.leaseUntil = leaseUntil;
    return Promise.resolve(free.map(({ leaseUntil: _lease, ...entry }) => entry));
  }
  ackInbox(seqs: number[]): Promise<void> {
    const gone = new Set(seqs);
    for (let i = this.rows.length - 1; i >= 0; i -= 1)
      if (gone.has(this.rows[i]!.seq)) this.rows.splice(i, 1);
    return Promise.resolve();
  }
  inboxDepth(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function drainOver(
  inbox: ArrayInbox,
  ingest: (events: DomainEvent[]) => Promise<IntakeResult[]>,
  options: Partial<InboxDrainOptions> = {},
): { drain: InboxDrain; batches: DrainedBatch[]; errors: { error: unknown; ids: string[] }[] } {
  const batches: DrainedBatch[] = [];
  const errors: { error: unknown; ids: string[] }[] = [];
  const drain = new InboxDrain({
    inbox,
    intake: { ingest },
    batchSize: 100,
    maxWaitMs: 20,
    onApplied: (batch) => batches.push(batch),
    onError: (error, entries) => errors.push({ error, ids: entries.map((e) => e.event.id) }),
    ...options,
  });
  return { drain, batches, errors };
}

const append = (inbox: ArrayInbox, ids: string[], at = Date.now()) =>
  inbox.appendInbox(
    ids.map((id) => ({ event: event(id), source: 'shopify' })),
    at,
  );

test('entries appended together are applied in one batch, in order, then acknowledged', async () => {
  const inbox = new ArrayInbox();
  const calls: string[][] = [];
  const { drain, batches } = drainOver(inbox, (events) => {
    calls.push(events.map((e) => e.id));
    return Promise.resolve(events.map(result));
  });
  drain.start();
  const ids = Array.from({ length: 30 }, (_, i) => `e${i}`);
  await append(inbox, ids);
  drain.appended(ids.length);
  await until(() => inbox.rows.length === 0);
  await drain.stop();
  assert.deepEqual(calls, [ids]);
  assert.deepEqual(
    batches[0]?.results.map((r) => r.eventId),
    ids,
  );
  assert.equal(batches[0]?.entries[0]?.source, 'shopify');
});

test('a full batch is applied at once; the rest waits at most the longest wait', async () => {
  const inbox = new ArrayInbox();
  const calls: number[] = [];
  const { drain } = drainOver(
    inbox,
    (events) => {
      calls.push(events.length);
      return Promise.resolve(events.map(result));
    },
    { batchSize: 10, maxWaitMs: 200, pollMs: 60_000 },
  );
  drain.start();
  await until(() => inbox.takes >= 1);
  // Nine entries wait for a tenth (or for 200 ms).
  await append(inbox, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
  drain.appended(9);
  await new Promise((resolve) => setTimeout(resolve, 40));
  assert.deepEqual(calls, [], 'no batch before it is full or has waited');
  await append(inbox, ['a10', 'b1', 'b2']);
  const started = Date.now();
  drain.appended(3);
  await until(() => calls.length >= 1);
  assert.ok(Date.now() - started < 100, 'a full batch does not wait');
  assert.equal(calls[0], 10);
  await until(() => inbox.rows.length === 0);
  assert.deepEqual(calls, [10, 2]);
  await drain.stop();
});

test('lag runs from the oldest entry of the batch to the commit of its intake', async () => {
  const inbox = new ArrayInbox();
  let now = 1_000_000;
  const { drain, batches } = drainOver(
    inbox,
    (events) => {
      now += 250;
      return Promise.resolve(events.map(result));
    },
    { now: () => now },
  );
  await append(inbox, ['old'], now - 4000);
  await append(inbox, ['new'], now - 10);
  drain.start();
  await until(() => batches.length === 1);
  await drain.stop();
  assert.equal(batches[0]?.lagMs, 4250);
});

test('an event that makes intake fail is kept back alone; the rest of its batch goes through', async () => {
  const inbox = new ArrayInbox();
  const { drain, errors } = drainOver(inbox, (events) =>
    events.some((e) => e.id === 'poison')
      ? Promise.reject(new Error('reducer bug'))
      : Promise.resolve(events.map(result)),
  );
  await append(inbox, ['a', 'poison', 'b']);
  drain.start();
  await until(() => inbox.rows.length === 1);
  await drain.stop();
  assert.deepEqual(
    inbox.rows.map((row) => row.event.id),
    ['poison'],
  );
  assert.deepEqual(
    errors.map((e) => e.ids),
    [['a', 'poison', 'b'], ['poison']],
  );
});

test('a store that is down is not hammered one entry at a time; the entries are retried after the lease', async () => {
  const inbox = new ArrayInbox();
  let down = true;
  let now = 5_000_000;
  let calls = 0;
  const { drain, errors } = drainOver(
    inbox,
    (events) => {
      calls += 1;
      return down
        ? Promise.reject(new AftercareError('AFTERCARE_E_STORE', 'the store is unavailable'))
        : Promise.resolve(events.map(result));
    },
    { now: () => now, leaseMs: 30_000, pollMs: 5 },
  );
  await append(inbox, ['a', 'b', 'c'], now);
  drain.start();
  await until(() => errors.length === 1);
  assert.equal(calls, 1, 'no retry of each entry alone when the store is down');
  down = false;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(inbox.rows.length, 3, 'still held by the lease');
  now += 30_001;
  await until(() => inbox.rows.length === 0);
  await drain.stop();
});

test('an intake that committed but whose acknowledgement failed is simply taken again later', async () => {
  const inbox = new ArrayInbox();
  const ack = inbox.ackInbox.bind(inbox);
  let acks = 0;
  inbox.ackInbox = (seqs) => (++acks === 1 ? Promise.reject(new Error('connection reset')) : ack(seqs));
  let now = 9_000_000;
  const applied: string[] = [];
  const { drain, errors } = drainOver(
    inbox,
    (events) => {
      applied.push(...events.map((e) => e.id));
      return Promise.resolve(events.map(result));
    },
    { now: () => now, leaseMs: 1000, pollMs: 5 },
  );
  await append(inbox, ['x'], now);
  drain.start();
  await until(() => errors.length === 1);
  now += 1001;
  await until(() => inbox.rows.length === 0);
  await drain.stop();
  assert.deepEqual(applied, ['x', 'x'], 'applied twice: event ids make the second a duplicate');
});

test('stop applies what is waiting, then no more takes', async () => {
  const inbox = new ArrayInbox();
  const { drain } = drainOver(inbox, (events) => Promise.resolve(events.map(result)), {
    batchSize: 5,
    maxWaitMs: 60_000,
    pollMs: 60_000,
  });
  drain.start();
  await until(() => inbox.takes >= 1);
  await append(
    inbox,
    Array.from({ length: 12 }, (_, i) => `s${i}`),
  );
  // Not told: only the stop finds them.
  await drain.stop();
  assert.equal(inbox.rows.length, 0);
  const takes = inbox.takes;
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(inbox.takes, takes);
});
