// The demo's clock runs 3600x: its worker must keep a lease of real time, or every batch would
// run out of lease within milliseconds and be handed back instead of sent.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Channel } from '../../src/channels/port.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { demoWorkerTiming } from '../../src/cli/serve.js';
import { DEFAULT_POLICY_CONFIG } from '../../src/core/policy/decide.js';
import { ScaledClock } from '../../src/engine/clock.js';
import { Dispatcher } from '../../src/engine/dispatcher.js';
import { BUSINESS, customer, openWorld, order, seed, step, T0, type World } from '../support/world.js';

const SPEED = 3600;
const worlds: World[] = [];
afterEach(async () => {
  while (worlds.length > 0) await worlds.pop()!.close();
});

/** Five due touch points, sent through a channel that takes 20 ms of real time per message. */
async function runDemoBatch(leaseMs: number | undefined) {
  const steps = ['a', 'b', 'c', 'd', 'e'].map((k) => step(k, { purpose: 'transactional' }));
  const world = await openWorld(steps);
  worlds.push(world);
  await seed(world, { customer: customer('c1'), order: order('o1', 'c1'), steps, dueAt: T0 });
  const slow: Channel = {
    handles: ['email'],
    async send() {
      await sleep(20);
      return { providerId: null };
    },
  };
  const dispatcher = new Dispatcher({
    queue: world.store.queue,
    consent: world.store.consent,
    clock: new ScaledClock(T0, SPEED),
    channels: new ChannelRouter([slow]),
    renderer: world.renderer,
    playbooks: [world.playbook],
    policy: { ...DEFAULT_POLICY_CONFIG, defaultTimezone: 'UTC' },
    business: BUSINESS,
    publicUrl: 'https://care.example',
    workerId: 'demo',
    ...(leaseMs === undefined ? {} : { leaseMs }),
  });
  return dispatcher.runOnce();
}

test('the demo worker keeps a minute of real time as its lease, so a slow batch is still sent', async () => {
  assert.equal(demoWorkerTiming(SPEED).leaseMs / SPEED, 60_000);
  const stats = await runDemoBatch(demoWorkerTiming(SPEED).leaseMs);
  assert.equal(stats.sent, 5);
  assert.equal(stats.expired, 0);
});

test('a lease of a clock minute on the demo clock would hand the batch back', async () => {
  const stats = await runDemoBatch(undefined);
  assert.ok(stats.expired > 0, JSON.stringify(stats));
  assert.ok(stats.sent < 5);
});
