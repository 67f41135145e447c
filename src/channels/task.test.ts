// The task channel against the real SQLite store: a call or meeting touch point becomes one open
// Task, and a resend of the same touch point writes nothing new.
import { describe, test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../engine/clock.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import type { Store } from '../store/store.js';
import { ChannelError, type OutboundMessage } from './port.js';
import { TaskChannel, taskIdFor } from './task.js';

const T0 = Date.UTC(2026, 2, 9, 9, 0);
const DUE = Date.UTC(2026, 2, 10, 14, 0);

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    touchPointId: 'enr_1:check_in_call',
    idempotencyKey: 'enr_1:check_in_call',
    messageId: '<abc@shop.example>',
    channel: 'task:call',
    purpose: 'reassurance',
    customerId: 'cus_1',
    orderId: 'ord_1',
    stepKey: 'check_in_call',
    to: { email: 'ada@example.net', phone: '+1 555 0100', name: 'Ada Lovelace' },
    subject: 'Call Ada',
    text: 'Ask Ada whether the desk arrived well and how the first week went.',
    html: null,
    headers: {},
    task: { kind: 'call', title: 'Check-in call with Ada', dueAt: DUE, owner: 'account_manager' },
    ...overrides,
  };
}

describe('TaskChannel', () => {
  let store: Store;
  let clock: VirtualClock;
  let channel: TaskChannel;
  beforeEach(async () => {
    store = await openSqliteStore(':memory:');
    clock = new VirtualClock(T0);
    channel = new TaskChannel(store.tasks, () => clock.now());
  });
  afterEach(async () => {
    await store.close();
  });

  test('handles the four task channels and nothing else', () => {
    assert.deepEqual([...channel.handles].sort(), ['task:call', 'task:gift', 'task:letter', 'task:meeting']);
  });

  test('writes one open task with the script, due time and owner', async () => {
    const receipt = await channel.send(message());
    assert.equal(receipt.providerId, 'task:enr_1:check_in_call');
    assert.deepEqual(await store.tasks.list({}), [
      {
        id: 'task:enr_1:check_in_call',
        touchPointId: 'enr_1:check_in_call',
        customerId: 'cus_1',
        orderId: 'ord_1',
        concernId: null,
        kind: 'call',
        title: 'Check-in call with Ada',
        script: 'Ask Ada whether the desk arrived well and how the first week went.',
        dueAt: DUE,
        owner: 'account_manager',
        status: 'open',
        outcome: null,
        notes: null,
        createdAt: T0,
        completedAt: null,
      },
    ]);
  });

  test('a resend of the same touch point keeps the one task as it was', async () => {
    await channel.send(message());
    clock.advance(60_000);
    const again = await channel.send(message({ text: 'a different script' }));
    assert.equal(again.providerId, taskIdFor('enr_1:check_in_call'));
    const tasks = await store.tasks.list({});
    assert.equal(tasks.length, 1);
    assert.equal(tasks[0]!.script, message().text);
    assert.equal(tasks[0]!.createdAt, T0);
  });

  test('the kind comes from the channel; each touch point gets its own task', async () => {
    await channel.send(
      message({
        touchPointId: 'enr_1:qbr',
        channel: 'task:meeting',
        task: null,
        subject: 'Quarterly review',
      }),
    );
    await channel.send(message({ touchPointId: 'enr_1:card', channel: 'task:letter' }));
    const tasks = await store.tasks.list({});
    const byId = new Map(tasks.map((task) => [task.id, task]));
    assert.equal(byId.size, 2);
    // Without task details the subject is the title and the task is due now.
    assert.equal(byId.get('task:enr_1:qbr')?.kind, 'meeting');
    assert.equal(byId.get('task:enr_1:qbr')?.title, 'Quarterly review');
    assert.equal(byId.get('task:enr_1:qbr')?.dueAt, T0);
    assert.equal(byId.get('task:enr_1:qbr')?.owner, null);
    assert.equal(byId.get('task:enr_1:card')?.kind, 'letter');
  });

  test('a message for another channel is refused for good', async () => {
    await assert.rejects(
      channel.send(message({ channel: 'email' })),
      (error: unknown) =>
        error instanceof ChannelError && error.kind === 'permanent' && error.code === 'NOT_A_TASK',
    );
    assert.equal((await store.tasks.list({})).length, 0);
  });

  test('a store that is gone is retryable', async () => {
    await store.close();
    await assert.rejects(
      channel.send(message()),
      (error: unknown) =>
        error instanceof ChannelError && error.kind === 'retryable' && error.code === 'TASK_STORE',
    );
    store = await openSqliteStore(':memory:'); // for afterEach
  });
});
