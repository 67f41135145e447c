// Playbook versions are pinned: a touch point planned under v1 is decided and rendered with v1's
// step and words after v2 is deployed, new orders get v2, and a playbook changed without a new
// version number is refused before anything is planned with it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Channel, OutboundMessage } from '../channels/port.js';
import { ChannelRouter } from '../channels/router.js';
import type { DomainEvent } from '../core/domain.js';
import { DEFAULT_POLICY_CONFIG } from '../core/policy/decide.js';
import type { Playbook } from '../core/playbook/types.js';
import { TemplateRenderer } from '../templates/render.js';
import { BUSINESS, DAY, T0, openWorld, step, type World } from '../../test/support/world.js';
import { VirtualClock } from './clock.js';
import { Dispatcher } from './dispatcher.js';
import { Intake, makeIntakeReducer } from './intake.js';
import { PlaybookRegistry } from './playbookRegistry.js';

class Capture implements Channel {
  readonly handles = ['email'] as const;
  readonly sent: OutboundMessage[] = [];
  send(message: OutboundMessage) {
    this.sent.push(message);
    return Promise.resolve({ providerId: null });
  }
}

const worlds: World[] = [];
after(() => Promise.all(worlds.map((w) => w.close())));

function placed(orderId: string, at: number): DomainEvent {
  return {
    id: `${orderId}:placed`,
    type: 'order.placed',
    at,
    customerId: `c-${orderId}`,
    orderId,
    customer: { email: `${orderId}@example.com`, firstName: 'Ada' },
    order: { placedAt: at, currency: 'EUR', total: 10 },
    data: {},
  };
}

/** A deploy: the same playbook name at `version`, its steps and its templates in a folder of their own. */
function release(
  world: World,
  version: number,
  subject: string,
  options: { extraStep?: boolean; folder?: string } = {},
): { playbook: Playbook; renderer: TemplateRenderer } {
  const dir = join(world.dir, options.folder ?? `v${version}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'note.liquid'),
    `---\nsubject: ${subject}\n---\nHello {{ customer.first_name }}.\n`,
  );
  const steps = [
    step('hello', { timing: { moment: 'placed', offsetMs: DAY, atLocal: null }, purpose: 'transactional' }),
  ];
  if (options.extraStep)
    steps.push(
      step('later', {
        timing: { moment: 'placed', offsetMs: 2 * DAY, atLocal: null },
        purpose: 'transactional',
      }),
    );
  return {
    playbook: { ...world.playbook, version, steps, templatesDir: dir },
    renderer: new TemplateRenderer({ dirs: [dir] }),
  };
}

async function run(
  world: World,
  registry: PlaybookRegistry,
  clock: VirtualClock,
  events: DomainEvent[],
): Promise<Capture> {
  const intake = new Intake(
    world.store.intake,
    makeIntakeReducer({
      playbooks: registry.current,
      versions: registry,
      defaultTimezone: 'UTC',
      holdoutShare: 0,
      holdoutSalt: 'pinning',
      now: () => clock.now(),
    }),
    undefined,
    registry,
  );
  await intake.ingest(events);
  const channel = new Capture();
  await new Dispatcher({
    queue: world.store.queue,
    consent: world.store.consent,
    clock,
    channels: new ChannelRouter([channel]),
    steps: registry.steps(),
    policy: { ...DEFAULT_POLICY_CONFIG, defaultTimezone: 'UTC' },
    business: BUSINESS,
    publicUrl: 'https://care.lumen.example',
    workerId: 'w',
  }).runUntilIdle();
  return channel;
}

test('a touch point planned under v1 goes out with v1 after v2 is deployed; new orders get v2', async () => {
  const world = await openWorld([]);
  worlds.push(world);
  const clock = new VirtualClock(T0);
  const v1 = release(world, 1, 'Version one');
  const first = await PlaybookRegistry.open({
    store: world.store.playbooks,
    ...v1,
    playbooks: [v1.playbook],
    now: T0,
  });
  await run(world, first, clock, [placed('o1', T0)]);

  // v2 changes the words and adds a step; the running process is replaced by one that knows
  // only v2 (it reads v1 back from the store when o1's touch point comes due).
  const v2 = release(world, 2, 'Version two', { extraStep: true });
  const second = await PlaybookRegistry.open({
    store: world.store.playbooks,
    ...v2,
    playbooks: [v2.playbook],
    now: T0,
  });
  clock.set(T0 + 3 * DAY);
  const channel = await run(world, second, clock, [
    placed('o2', T0 + 3 * DAY - 2 * DAY - 1),
    { ...placed('o1', T0), id: 'o1:shipped', type: 'shipment.shipped', at: T0 + 2 * DAY },
  ]);
  const byOrder = new Map(channel.sent.map((m) => [`${m.orderId}:${m.stepKey}`, m.subject]));
  assert.equal(byOrder.get('o1:hello'), 'Version one');
  assert.equal(byOrder.has('o1:later'), false, 'v1 had no such step');
  assert.equal(byOrder.get('o2:hello'), 'Version two');
  assert.equal(byOrder.get('o2:later'), 'Version two');
  const o1 = await world.store.reads.listTouchPoints({ orderId: 'o1' });
  assert.deepEqual(
    o1.map((t) => [t.stepKey, t.playbookVersion, t.status]),
    [['hello', 1, 'sent']],
  );
});

test('a playbook changed under the same version number is refused', async () => {
  const world = await openWorld([]);
  worlds.push(world);
  const v1 = release(world, 1, 'Version one');
  await PlaybookRegistry.open({ store: world.store.playbooks, ...v1, playbooks: [v1.playbook], now: T0 });
  // Same version, other words.
  const edited = release(world, 1, 'Edited in place', { folder: 'v1-edited' });
  await assert.rejects(
    PlaybookRegistry.open({ store: world.store.playbooks, ...edited, playbooks: [edited.playbook], now: T0 }),
    { code: 'AFTERCARE_E_PLAYBOOK_VERSION_CHANGED', message: /raise its "version:"/ },
  );
  // The same content again is fine (a restart).
  await PlaybookRegistry.open({ store: world.store.playbooks, ...v1, playbooks: [v1.playbook], now: T0 });
});
