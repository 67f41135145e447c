import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelName } from '../core/domain.js';
import { DEFAULT_POLICY_CONFIG } from '../core/policy/decide.js';
import { ChannelError, type Channel, type OutboundMessage, type SendReceipt } from '../channels/port.js';
import { ChannelRouter } from '../channels/router.js';
import { TaskChannel } from '../channels/task.js';
import {
  BUSINESS,
  customer,
  DAY,
  HOUR,
  openWorld,
  order,
  seed,
  step,
  T0,
  type World,
} from '../../test/support/world.js';
import { VirtualClock } from './clock.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';
import { messageIdFor } from './message.js';

/** An email channel whose next answers are scripted: 'ok', a ChannelError kind, or 'hang' (never settles until released). */
class ScriptedChannel implements Channel {
  readonly handles: readonly ChannelName[] = ['email', 'sms', 'webhook'];
  readonly sent: OutboundMessage[] = [];
  private release: (() => void) | null = null;
  constructor(private readonly script: ('ok' | 'retryable' | 'permanent' | 'uncertain' | 'hang')[] = []) {}
  async send(message: OutboundMessage): Promise<SendReceipt> {
    const next = this.script.shift() ?? 'ok';
    if (next === 'hang') await new Promise<void>((resolve) => (this.release = resolve));
    else if (next !== 'ok')
      throw new ChannelError(next, `TEST_${next.toUpperCase()}`, `scripted ${next} failure`);
    this.sent.push(message);
    return { providerId: `p-${this.sent.length}` };
  }
  resume(): void {
    this.release?.();
  }
}

const worlds: World[] = [];
afterEach(async () => {
  while (worlds.length > 0) await worlds.pop()!.close();
});

async function setup(steps = [step('hello')]) {
  const world = await openWorld(steps);
  worlds.push(world);
  return world;
}

function dispatcher(
  world: World,
  clock: VirtualClock,
  channel: Channel,
  extra: Partial<DispatcherOptions> = {},
) {
  return new Dispatcher({
    queue: world.store.queue,
    consent: world.store.consent,
    clock,
    channels: new ChannelRouter([channel, new TaskChannel(world.store.tasks, () => clock.now())]),
    renderer: world.renderer,
    playbooks: [world.playbook],
    policy: { ...DEFAULT_POLICY_CONFIG, defaultTimezone: 'UTC' },
    business: BUSINESS,
    publicUrl: 'https://care.example',
    workerId: 'w1',
    random: () => 1,
    ...extra,
  });
}

describe('dispatcher', () => {
  test('sends a due touch point once, rendered, with a Message-ID derived from its id', async () => {
    const world = await setup();
    const [tp] = await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    });
    const clock = new VirtualClock(T0 - HOUR);
    const channel = new ScriptedChannel();
    const d = dispatcher(world, clock, channel);

    assert.equal((await d.runUntilIdle()).claimed, 0, 'nothing is due before its time');
    clock.set(T0);
    const stats = await d.runUntilIdle();
    assert.equal(stats.sent, 1);
    assert.equal(channel.sent.length, 1);
    const message = channel.sent[0]!;
    assert.equal(message.subject, 'A note for Ana');
    assert.match(message.text, /Hello Ana, order o1\./);
    assert.equal(message.messageId, messageIdFor(tp!.id, 'lumen.example'));
    assert.equal(message.idempotencyKey, tp!.id);
    assert.ok(message.headers['List-Unsubscribe']?.startsWith('<https://care.example/u/'));
    assert.equal(message.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');

    const [row] = await world.store.reads.listTouchPoints({ orderId: 'o1' });
    assert.equal(row!.status, 'sent');
    assert.equal(row!.outcomeAt, T0);
    assert.equal((await d.runUntilIdle()).claimed, 0, 'a sent touch point is never claimed again');
  });

  test('transactional messages carry no List-Unsubscribe header', async () => {
    const world = await setup([step('receipt', { purpose: 'transactional' })]);
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    });
    const channel = new ScriptedChannel();
    await dispatcher(world, new VirtualClock(T0), channel).runUntilIdle();
    assert.equal(channel.sent[0]!.headers['List-Unsubscribe'], undefined);
  });

  test('a retryable error reschedules with backoff; the retry sends with the same Message-ID', async () => {
    const world = await setup();
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    });
    const clock = new VirtualClock(T0);
    const channel = new ScriptedChannel(['retryable']);
    const d = dispatcher(world, clock, channel, { retry: { maxAttempts: 3, baseMs: 60_000, maxMs: HOUR } });

    const first = await d.runUntilIdle();
    assert.equal(first.retried, 1);
    let [row] = await world.store.reads.listTouchPoints({ orderId: 'o1' });
    assert.equal(row!.status, 'scheduled');
    assert.equal(row!.dueAt, T0 + 60_000, 'backoff of the first retry (jitter pinned to full step)');
    assert.equal(row!.reason?.code, 'retry');
    assert.match(row!.reason.detail ?? '', /TEST_RETRYABLE/);

    clock.set(T0 + 60_000);
    const second = await d.runUntilIdle();
    assert.equal(second.sent, 1);
    [row] = await world.store.reads.listTouchPoints({ orderId: 'o1' });
    assert.equal(row!.status, 'sent');
    assert.equal(row!.attempt, 2);
  });

  test('retryable errors end as failed after the last attempt; permanent ones at once', async () => {
    const world = await setup([step('a'), step('b')]);
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: [world.playbook.steps[0]!],
      dueAt: T0,
    });
    await seed(world, {
      customer: customer('c2'),
      order: order('o2', 'c2'),
      steps: [world.playbook.steps[1]!],
      dueAt: T0,
    });
    const clock = new VirtualClock(T0);
    // o1 fails retryably twice (max 2 attempts); o2 fails permanently.
    const channel = new ScriptedChannel(['retryable', 'permanent', 'retryable']);
    const d = dispatcher(world, clock, channel, {
      retry: { maxAttempts: 2, baseMs: 1000, maxMs: 1000 },
      concurrency: 1,
    });
    await d.runUntilIdle();
    clock.advance(1000);
    await d.runUntilIdle();
    const rows = await world.store.reads.listTouchPoints({});
    const byOrder = new Map(rows.map((r) => [r.orderId, r]));
    assert.equal(byOrder.get('o1')!.status, 'failed');
    assert.equal(byOrder.get('o1')!.reason?.code, 'send_failed');
    assert.match(byOrder.get('o1')!.reason?.detail ?? '', /TEST_RETRYABLE/);
    assert.equal(byOrder.get('o2')!.status, 'failed');
    assert.equal(byOrder.get('o2')!.reason?.code, 'send_failed');
    assert.match(byOrder.get('o2')!.reason?.detail ?? '', /TEST_PERMANENT/);
    assert.equal(byOrder.get('o2')!.attempt, 1, 'a permanent error is not retried');
  });

  test('a worker that crashed after claiming: its touch points are taken again after the lease, with the same Message-ID', async () => {
    const world = await setup();
    const [tp] = await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    });
    const clock = new VirtualClock(T0);
    // The crashed worker: claimed, then never recorded anything.
    const lost = await world.store.queue.claimDue({ now: T0, limit: 10, leaseMs: 30_000, worker: 'crashed' });
    assert.equal(lost.length, 1);

    const channel = new ScriptedChannel();
    const d = dispatcher(world, clock, channel, { leaseMs: 30_000 });
    assert.equal((await d.runUntilIdle()).claimed, 0, 'not while the lease holds');
    clock.advance(30_000);
    assert.equal((await d.runUntilIdle()).sent, 1);
    assert.equal(channel.sent[0]!.messageId, messageIdFor(tp!.id, 'lumen.example'));

    // The crashed worker comes back with its stale attempt: fenced out.
    const applied = await world.store.queue.recordOutcomes([
      {
        kind: 'failed',
        id: tp!.id,
        attempt: lost[0]!.touchPoint.attempt,
        at: clock.now(),
        reason: { code: 'send_failed', detail: 'late' },
      },
    ]);
    assert.equal(applied, 0);
    const [row] = await world.store.reads.listTouchPoints({ orderId: 'o1' });
    assert.equal(row!.status, 'sent');
  });

  test('a frozen worker past its lease changes nothing when it wakes up (fencing by attempt)', async () => {
    const world = await setup();
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    });
    const clock = new VirtualClock(T0);
    const frozenChannel = new ScriptedChannel(['hang', 'permanent']);
    const frozen = dispatcher(world, clock, frozenChannel, { leaseMs: 10_000, workerId: 'frozen' });
    const frozenRun = frozen.runOnce();
    await new Promise((resolve) => setImmediate(resolve));

    clock.advance(10_000);
    const healthyChannel = new ScriptedChannel();
    const healthy = dispatcher(world, clock, healthyChannel, { leaseMs: 10_000, workerId: 'healthy' });
    assert.equal((await healthy.runUntilIdle()).sent, 1);

    frozenChannel.resume();
    const stats = await frozenRun;
    assert.equal(stats.stale, 1, 'the frozen worker learns its outcome was refused');
    const [row] = await world.store.reads.listTouchPoints({ orderId: 'o1' });
    assert.equal(row!.status, 'sent');
    assert.equal(row!.attempt, 2);
    // Both copies carried the same Message-ID, so the receiver can drop the second.
    assert.equal(frozenChannel.sent[0]!.messageId, healthyChannel.sent[0]!.messageId);
  });

  test('quiet hours defer to the customer morning; the deferred touch point goes out then', async () => {
    const world = await setup();
    // 23:00 in New York (EDT, UTC-4) = 03:00 UTC next day.
    const due = Date.UTC(2026, 5, 2, 3, 0);
    await seed(world, {
      customer: customer('c1', { timezone: 'America/New_York' }),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: due,
    });
    const clock = new VirtualClock(due);
    const channel = new ScriptedChannel();
    const d = dispatcher(world, clock, channel);
    assert.equal((await d.runUntilIdle()).deferred, 1);
    const [row] = await world.store.reads.listTouchPoints({ orderId: 'o1' });
    assert.equal(row!.status, 'scheduled');
    assert.deepEqual(row!.reason, { code: 'quiet_hours', detail: null });
    assert.equal(row!.dueAt, Date.UTC(2026, 5, 2, 13, 0), '09:00 EDT');
    clock.set(row!.dueAt);
    assert.equal((await d.runUntilIdle()).sent, 1);
  });

  test('holdout customers get transactional messages only', async () => {
    const world = await setup([step('care'), step('receipt', { purpose: 'transactional' })]);
    await seed(world, {
      customer: customer('c1', { holdout: true }),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    });
    const channel = new ScriptedChannel();
    await dispatcher(world, new VirtualClock(T0), channel).runUntilIdle();
    const rows = new Map((await world.store.reads.listTouchPoints({})).map((r) => [r.stepKey, r]));
    assert.equal(rows.get('care')!.status, 'skipped');
    assert.deepEqual(rows.get('care')!.reason, { code: 'holdout', detail: null });
    assert.equal(rows.get('receipt')!.status, 'sent');
    assert.deepEqual(
      channel.sent.map((m) => m.stepKey),
      ['receipt'],
    );
  });

  test('the frequency cap holds within one batch', async () => {
    const steps = ['a', 'b', 'c', 'd', 'e'].map((k) =>
      step(k, { purpose: 'offer', timing: { moment: 'placed', offsetMs: 0, atLocal: null } }),
    );
    const world = await setup(steps);
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1', { moments: { placed: T0 - 40 * DAY, delivered: T0 - 30 * DAY } }),
      steps,
      dueAt: T0,
    });
    const channel = new ScriptedChannel();
    await dispatcher(world, new VirtualClock(T0), channel).runUntilIdle();
    assert.equal(channel.sent.length, DEFAULT_POLICY_CONFIG.frequencyCap.max);
    const skipped = (await world.store.reads.listTouchPoints({ status: 'skipped' })).map(
      (r) => r.reason?.code,
    );
    assert.deepEqual(skipped, ['frequency_cap', 'frequency_cap']);
  });

  test("an open concern: the tips e-mail is skipped, the shipping notice and the rep's call still go", async () => {
    const steps = [
      step('usage-tips', { purpose: 'education' }),
      step('order-shipped', { purpose: 'transactional' }),
      step('arrival-call', { channel: 'task:call', template: 'call' }),
    ];
    const world = await setup(steps);
    await seed(world, {
      customer: customer('c1', { openConcerns: 1 }),
      order: order('o1', 'c1', { moments: { placed: T0 - 5 * DAY, delivered: T0 - 3 * DAY } }),
      steps,
      dueAt: T0,
    });
    const channel = new ScriptedChannel();
    await dispatcher(world, new VirtualClock(T0), channel).runUntilIdle();
    const rows = new Map((await world.store.reads.listTouchPoints({})).map((r) => [r.stepKey, r]));
    assert.equal(rows.get('usage-tips')!.status, 'skipped');
    assert.deepEqual(rows.get('usage-tips')!.reason, { code: 'concern_open', detail: '1 open concern' });
    assert.equal(rows.get('order-shipped')!.status, 'sent');
    assert.equal(rows.get('arrival-call')!.status, 'sent');
    assert.deepEqual(
      channel.sent.map((m) => m.stepKey),
      ['order-shipped'],
    );
  });

  test('one survey per customer per 14 days, within a batch and across batches', async () => {
    const steps = [
      step('checkin-week', { survey: 'csat' }),
      step('b2b-survey', { survey: 'nps' }),
      step('checkin-month', { survey: 'nps' }),
    ];
    const world = await setup(steps);
    const [, , month] = await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps,
      dueAt: T0,
    });
    await world.store.schedule.move(month!.id, T0 + 3 * DAY);
    const clock = new VirtualClock(T0);
    const channel = new ScriptedChannel();
    const d = dispatcher(world, clock, channel);
    await d.runUntilIdle();
    clock.set(T0 + 3 * DAY);
    await d.runUntilIdle();
    const rows = new Map((await world.store.reads.listTouchPoints({})).map((r) => [r.stepKey, r]));
    assert.deepEqual(
      channel.sent.map((m) => m.stepKey),
      ['b2b-survey'],
      'the first claimed (by id) goes; the others are throttled',
    );
    const sentAt = new Date(T0).toISOString().slice(0, 16).replace('T', ' ');
    for (const key of ['checkin-week', 'checkin-month']) {
      assert.deepEqual(
        rows.get(key)!.reason,
        { code: 'survey_throttled', detail: `nps survey b2b-survey sent ${sentAt} UTC` },
        key,
      );
    }
  });

  test('a template that cannot render fails the touch point without retrying', async () => {
    const world = await openWorld([step('broken', { template: 'broken' })], {
      broken: '---\nsubject: x\n---\n{% if %}',
    });
    worlds.push(world);
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    }).catch(() => []);
    const channel = new ScriptedChannel();
    const stats = await dispatcher(world, new VirtualClock(T0), channel).runUntilIdle();
    assert.equal(stats.failed, 1);
    const [row] = await world.store.reads.listTouchPoints({});
    assert.equal(row!.status, 'failed');
    assert.equal(row!.reason?.code, 'render_failed');
    assert.equal(channel.sent.length, 0);
  });

  test('a step the playbook no longer has is cancelled', async () => {
    const world = await setup();
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: [step('gone')],
      dueAt: T0,
    });
    const stats = await dispatcher(world, new VirtualClock(T0), new ScriptedChannel()).runUntilIdle();
    assert.equal(stats.cancelled, 1);
    const [row] = await world.store.reads.listTouchPoints({});
    assert.deepEqual(row!.reason, { code: 'step_removed', detail: null });
  });

  test('call tasks become work items for a person, due when dispatched', async () => {
    const world = await setup([step('call', { channel: 'task:call', template: 'call', owner: 'success' })]);
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0 + 2 * HOUR,
    });
    const clock = new VirtualClock(T0 + 2 * HOUR); // Monday 14:00 UTC: business hours
    await dispatcher(world, clock, new ScriptedChannel()).runUntilIdle();
    const [task] = await world.store.tasks.list({});
    assert.equal(task!.kind, 'call');
    assert.equal(task!.title, 'Call Ana');
    assert.match(task!.script, /Ask how order o1 arrived/);
    assert.equal(task!.owner, 'success');
    assert.equal(task!.dueAt, T0 + 2 * HOUR);
  });

  test('start() keeps dispatching in the background, wake() brings new work forward, stop() ends the loop', async () => {
    const world = await setup();
    const clock = new VirtualClock(T0);
    const channel = new ScriptedChannel();
    const d = dispatcher(world, clock, channel, { idleMs: 60_000 });
    d.start();
    await seed(world, {
      customer: customer('c1'),
      order: order('o1', 'c1'),
      steps: world.playbook.steps,
      dueAt: T0,
    });
    d.wake();
    for (let i = 0; i < 100 && channel.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await d.stop();
    assert.equal(channel.sent.length, 1);
  });

  test('a wake() that arrives while the loop is busy is kept, not lost until the next poll', async () => {
    const world = await setup();
    const clock = new VirtualClock(T0);
    const channel = new ScriptedChannel();
    let d: Dispatcher | null = null;
    let first = true;
    // New work is committed and announced just after the loop's look for the next due time
    // found nothing, and before it goes to sleep: exactly the gap a NOTIFY can land in.
    const queue = new Proxy(world.store.queue, {
      get(target, key, receiver) {
        if (key !== 'nextDueAt') return Reflect.get(target, key, receiver) as unknown;
        return async () => {
          const next = await target.nextDueAt();
          if (first) {
            first = false;
            await seed(world, {
              customer: customer('c1'),
              order: order('o1', 'c1'),
              steps: world.playbook.steps,
              dueAt: T0,
            });
            d!.wake();
          }
          return next;
        };
      },
    });
    d = dispatcher(world, clock, channel, { queue, idleMs: 60_000 });
    d.start();
    for (let i = 0; i < 200 && channel.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await d.stop();
    assert.equal(channel.sent.length, 1, 'sent without waiting for the 60 s poll');
  });

  test('a worker that dies mid-batch repeats at most maxUnrecorded sends: earlier chunks are recorded', async () => {
    const steps = ['a', 'b', 'c', 'd', 'e'].map((k) => step(k, { purpose: 'transactional' }));
    const world = await setup(steps);
    await seed(world, { customer: customer('c1'), order: order('o1', 'c1'), steps, dueAt: T0 });
    const clock = new VirtualClock(T0);
    // The third send reaches the provider, then the worker "dies" (never returns).
    const provider: OutboundMessage[] = [];
    const dying: Channel = {
      handles: ['email'],
      send(message) {
        provider.push(message);
        return provider.length === 3
          ? new Promise<never>(() => undefined)
          : Promise.resolve({ providerId: null });
      },
    };
    // Outcomes are written every two sends: the first chunk (a, b) is recorded, c hangs, d waits.
    void dispatcher(world, clock, dying, { leaseMs: 10_000, workerId: 'dying', maxUnrecorded: 2 }).runOnce();
    for (let i = 0; i < 100 && provider.length < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 20));
    const recorded = await world.store.reads.listTouchPoints({ status: 'sent' });
    assert.equal(recorded.length, 2, 'the first chunk is recorded while the second is in flight');

    clock.advance(10_000);
    const healthy = new ScriptedChannel();
    await dispatcher(world, clock, healthy, { leaseMs: 10_000, workerId: 'healthy' }).runUntilIdle();
    const all = [...provider, ...healthy.sent];
    const perKey = new Map<string, string[]>();
    for (const m of all) perKey.set(m.idempotencyKey, [...(perKey.get(m.idempotencyKey) ?? []), m.messageId]);
    const duplicates = [...perKey.values()].filter((ids) => ids.length > 1);
    assert.equal(perKey.size, 5, 'every touch point reached the provider');
    assert.equal(duplicates.length, 1, 'only the send in flight at the crash was repeated');
    assert.equal(new Set(duplicates[0]).size, 1, 'with the same Message-ID');
    assert.equal((await world.store.reads.listTouchPoints({ status: 'sent' })).length, 5);
  });

  test('a worker that stalls mid-batch past its lease sends nothing more and hands the rest back', async () => {
    const steps = ['a', 'b', 'c', 'd'].map((k) => step(k, { purpose: 'transactional' }));
    const world = await setup(steps);
    await seed(world, { customer: customer('c1'), order: order('o1', 'c1'), steps, dueAt: T0 });
    const clock = new VirtualClock(T0);
    // The first send stalls for 9.5 s of a 10 s lease: too close to its end to start another.
    const slow: Channel = {
      handles: ['email'],
      send() {
        clock.advance(9_500);
        return Promise.resolve({ providerId: 'slow' });
      },
    };
    const stats = await dispatcher(world, clock, slow, { leaseMs: 10_000, workerId: 'slow' }).runOnce();
    assert.equal(stats.sent, 1);
    assert.equal(stats.expired, 3);
    assert.equal(stats.deferred, 0);
    const rows = await world.store.reads.listTouchPoints({ orderId: 'o1' });
    const handedBack = rows.filter((r) => r.status === 'scheduled');
    assert.equal(handedBack.length, 3);
    for (const row of handedBack) {
      assert.deepEqual(row.reason, { code: 'lease_expired', detail: null });
      assert.ok(row.dueAt <= clock.now(), 'due again at once');
    }
    // Another run takes them at once, each still sent once in all.
    const healthy = new ScriptedChannel();
    const next = await dispatcher(world, clock, healthy, { leaseMs: 10_000 }).runUntilIdle();
    assert.equal(next.sent, 3);
    assert.equal((await world.store.reads.listTouchPoints({ status: 'sent' })).length, 4);
  });
});
