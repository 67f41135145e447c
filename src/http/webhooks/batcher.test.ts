import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent } from '../../core/domain.js';
import type { IntakeResult } from '../../store/ports/intake.js';
import { IntakeBatcher } from './batcher.js';

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

test('concurrent requests share one intake call and each gets its own results, in order', async () => {
  const calls: string[][] = [];
  const batcher = new IntakeBatcher({
    ingest: (events) => {
      calls.push(events.map((e) => e.id));
      return Promise.resolve(events.map(result));
    },
  });
  const answers = await Promise.all([
    batcher.ingest([event('a1'), event('a2')]),
    batcher.ingest([event('b1')]),
    batcher.ingest([event('c1'), event('c2'), event('c3')]),
  ]);
  assert.deepEqual(calls, [['a1', 'a2', 'b1', 'c1', 'c2', 'c3']]);
  assert.deepEqual(
    answers.map((list) => list.map((r) => r.eventId)),
    [['a1', 'a2'], ['b1'], ['c1', 'c2', 'c3']],
  );
});

test('a batch never exceeds the event limit, a request is never split, a failure fails its batch only', async () => {
  const calls: number[] = [];
  const batcher = new IntakeBatcher(
    {
      ingest: (events) => {
        calls.push(events.length);
        if (events.some((e) => e.id === 'boom')) return Promise.reject(new Error('store down'));
        return Promise.resolve(events.map(result));
      },
    },
    3,
  );
  const settled = await Promise.allSettled([
    batcher.ingest([event('a1'), event('a2')]),
    batcher.ingest([event('b1'), event('b2')]),
    batcher.ingest([event('boom')]),
  ]);
  assert.deepEqual(calls, [2, 3]);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'rejected', 'rejected'],
  );
});
