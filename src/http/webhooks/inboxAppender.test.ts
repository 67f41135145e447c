import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent } from '../../core/domain.js';
import { InboxAppender, type InboxDraft } from './inboxAppender.js';

const draft = (id: string): InboxDraft => ({
  event: { id, type: 'order.placed', at: 0, customerId: 'c', orderId: id, data: {} },
  source: 'shopify',
});

test('requests that arrive together share one append; each resolves once it committed', async () => {
  const appends: string[][] = [];
  const told: number[] = [];
  let commit: () => void = () => {};
  const appender = new InboxAppender(
    {
      appendInbox: (entries: { event: DomainEvent }[]) => {
        appends.push(entries.map((e) => e.event.id));
        return new Promise<void>((resolve) => {
          commit = resolve;
        });
      },
    },
    () => 42,
    (count) => told.push(count),
  );
  const answered: string[] = [];
  const requests = [
    appender.append([draft('a1'), draft('a2')]).then(() => answered.push('a')),
    appender.append([draft('b1')]).then(() => answered.push('b')),
    appender.append([draft('c1'), draft('c2'), draft('c3')]).then(() => answered.push('c')),
  ];
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(appends, [['a1', 'a2', 'b1', 'c1', 'c2', 'c3']]);
  assert.deepEqual(answered, [], 'no request is answered before its append committed');
  commit();
  await Promise.all(requests);
  assert.deepEqual(answered, ['a', 'b', 'c']);
  assert.deepEqual(told, [6]);
});

test('requests arriving while an append commits go into the next one', async () => {
  const appends: string[][] = [];
  const commits: (() => void)[] = [];
  const appender = new InboxAppender(
    {
      appendInbox: (entries: { event: DomainEvent }[]) => {
        appends.push(entries.map((e) => e.event.id));
        return new Promise<void>((resolve) => commits.push(resolve));
      },
    },
    () => 0,
  );
  const first = appender.append([draft('a')]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const second = appender.append([draft('b')]);
  const third = appender.append([draft('c')]);
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(appends, [['a']]);
  commits[0]!();
  await first;
  await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(appends, [['a'], ['b', 'c']]);
  commits[1]!();
  await Promise.all([second, third]);
});

test('an append never exceeds the entry limit, a request is never split, a failure fails its own group only', async () => {
  const sizes: number[] = [];
  const appender = new InboxAppender(
    {
      appendInbox: (entries: { event: DomainEvent }[]) => {
        sizes.push(entries.length);
        return entries.some((e) => e.event.id === 'boom')
          ? Promise.reject(new Error('disk full'))
          : Promise.resolve();
      },
    },
    () => 0,
    () => {},
    3,
  );
  const settled = await Promise.allSettled([
    appender.append([draft('a1'), draft('a2')]),
    appender.append([draft('b1'), draft('b2')]),
    appender.append([draft('boom')]),
  ]);
  assert.deepEqual(sizes, [2, 3]);
  assert.deepEqual(
    settled.map((s) => s.status),
    ['fulfilled', 'rejected', 'rejected'],
  );
});
