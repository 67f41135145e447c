// Repeat and parallel orders at dispatch, on every store: two orders of one customer with the
// same step due together get ONE message naming both (the other skipped `coalesced`), a carrier
// that fails hands its companions back, and two programs' same step within the window goes once
// (`same_step_recently`).
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChannelName } from '../../src/core/domain.js';
import { DEFAULT_POLICY_CONFIG } from '../../src/core/policy/decide.js';
import type { Step } from '../../src/core/playbook/types.js';
import {
  ChannelError,
  type Channel,
  type OutboundMessage,
  type SendReceipt,
} from '../../src/channels/port.js';
import { ChannelRouter } from '../../src/channels/router.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { Dispatcher, type DispatcherOptions } from '../../src/engine/dispatcher.js';
import { openMemoryStore } from '../../src/store/memory/store.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import type { Store } from '../../src/store/store.js';
import {
  TEST_PG_URL,
  dropSchema,
  holdServer,
  postgresSkipReason,
  uniqueSchema,
} from '../reliability/server.js';
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
} from '../support/world.js';

class ScriptedEmail implements Channel {
  readonly handles: readonly ChannelName[] = ['email'];
  readonly sent: OutboundMessage[] = [];
  constructor(private readonly script: ('ok' | 'retryable' | 'permanent')[] = []) {}
  send(message: OutboundMessage): Promise<SendReceipt> {
    const next = this.script.shift() ?? 'ok';
    if (next !== 'ok') {
      return Promise.reject(new ChannelError(next, `TEST_${next.toUpperCase()}`, `scripted ${next} failure`));
    }
    this.sent.push(message);
    return Promise.resolve({ providerId: `p-${this.sent.length}` });
  }
}

const THANKS =
  '---\nsubject: Thank you, {{ customer.first_name }}\n---\n' +
  'Thank you for {% if orders.size > 1 %}your orders {% for o in orders %}{% if forloop.first %}{% elsif forloop.last %} and {% else %}, {% endif %}#{{ o.id }}{% endfor %}{% else %}your order #{{ order.id }}{% endif %}.\n';

const thankYou = (): Step => step('thank-you', { template: 'thanks' });

interface StoreKind {
  name: string;
  skip: string | null;
  open(): Promise<{ store?: Store; drop?: () => Promise<void> }>;
}

const pgSkip = await postgresSkipReason();
const KINDS: StoreKind[] = [
  { name: 'sqlite', skip: null, open: () => Promise.resolve({}) },
  { name: 'memory', skip: null, open: async () => ({ store: await openMemoryStore() }) },
  {
    name: 'postgres',
    skip: pgSkip,
    open: async () => {
      const schema = uniqueSchema('samestep');
      return {
        store: await openPostgresStore(TEST_PG_URL, { schema, poolSize: 4 }),
        drop: () => dropSchema(schema),
      };
    },
  },
];

let release: (() => Promise<void>) | null = null;
before(async () => {
  if (pgSkip === null) release = await holdServer('shared');
});
after(async () => {
  await release?.();
});

for (const kind of KINDS) {
  describe(`repeat and parallel orders at dispatch (${kind.name})`, { skip: kind.skip ?? false }, () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      while (cleanups.length > 0) await cleanups.pop()!();
    });

    async function world(steps: Step[], name?: string): Promise<World> {
      const { store, drop } = await kind.open();
      const w = await openWorld(
        steps,
        { thanks: THANKS },
        { ...(store ? { store } : {}), ...(name ? { name } : {}) },
      );
      cleanups.push(async () => {
        await w.close();
        await drop?.();
      });
      return w;
    }

    function dispatcher(
      w: World,
      clock: VirtualClock,
      channel: Channel,
      playbooks = [w.playbook],
      extra: Partial<DispatcherOptions> = {},
    ) {
      return new Dispatcher({
        queue: w.store.queue,
        consent: w.store.consent,
        clock,
        channels: new ChannelRouter([channel]),
        renderer: w.renderer,
        playbooks,
        policy: { ...DEFAULT_POLICY_CONFIG, defaultTimezone: 'UTC' },
        business: BUSINESS,
        publicUrl: 'https://care.example',
        workerId: 'w1',
        random: () => 1,
        ...extra,
      });
    }

    async function twoOrders(w: World, dueAt = T0): Promise<void> {
      const grace = customer('c-grace', { firstName: 'Grace', orderCount: 2, lastOrderId: '1042' });
      await seed(w, {
        customer: grace,
        order: order('1041', 'c-grace', {
          placedAt: T0 - 26 * HOUR,
          total: 89,
          currency: 'EUR',
          sequence: 1,
        }),
        steps: w.playbook.steps,
        dueAt,
      });
      await seed(w, {
        customer: grace,
        order: order('1042', 'c-grace', {
          placedAt: T0 - 22 * HOUR,
          total: 45.5,
          currency: 'EUR',
          sequence: 2,
        }),
        steps: w.playbook.steps,
        dueAt,
      });
    }

    async function rows(w: World) {
      const all = await w.store.reads.listTouchPoints({ customerId: 'c-grace' });
      return all.map((r) => [r.orderId, r.status, r.reason?.code ?? null, r.reason?.detail ?? null]);
    }

    test('two orders the same day: one thank-you names both, the other is skipped as coalesced', async () => {
      const w = await world([thankYou()]);
      await twoOrders(w);
      const channel = new ScriptedEmail();
      const stats = await dispatcher(w, new VirtualClock(T0), channel).runUntilIdle();
      assert.equal(channel.sent.length, 1, 'one message, not two identical ones');
      assert.match(channel.sent[0]!.text, /Thank you for your orders #1041 and #1042\./);
      assert.equal(stats.sent, 1);
      assert.equal(stats.skipped, 1);
      assert.deepEqual(await rows(w), [
        ['1041', 'sent', null, null],
        ['1042', 'skipped', 'coalesced', 'test:1041:thank-you'],
      ]);
    });

    test('a carrier that fails for good hands its companion back, which then goes on its own', async () => {
      const w = await world([thankYou()]);
      await twoOrders(w);
      const channel = new ScriptedEmail(['permanent']);
      const d = dispatcher(w, new VirtualClock(T0), channel);
      await d.runUntilIdle();
      assert.deepEqual(await rows(w), [
        ['1041', 'failed', 'send_failed', 'TEST_PERMANENT: scripted permanent failure'],
        ['1042', 'scheduled', 'retry', 'test:1041:thank-you, which carried it, failed: send_failed'],
      ]);
      await d.runUntilIdle();
      assert.equal(channel.sent.length, 1);
      assert.match(channel.sent[0]!.text, /Thank you for your order #1042\./);
      assert.equal((await rows(w))[1]![1], 'sent');
    });

    test('a carrier retried later takes its companion along, and still sends one message', async () => {
      const w = await world([thankYou()]);
      await twoOrders(w);
      const clock = new VirtualClock(T0);
      const channel = new ScriptedEmail(['retryable']);
      const d = dispatcher(w, clock, channel);
      await d.runUntilIdle();
      const held = await w.store.reads.listTouchPoints({ customerId: 'c-grace' });
      assert.deepEqual(
        held.map((r) => [r.status, r.reason?.code, r.dueAt]),
        [
          ['scheduled', 'retry', T0 + 30_000],
          ['scheduled', 'retry', T0 + 30_000],
        ],
      );
      clock.set(T0 + 30_000);
      await d.runUntilIdle();
      assert.equal(channel.sent.length, 1);
      assert.match(channel.sent[0]!.text, /your orders #1041 and #1042/);
      assert.deepEqual(
        (await rows(w)).map((r) => r.slice(0, 3)),
        [
          ['1041', 'sent', null],
          ['1042', 'skipped', 'coalesced'],
        ],
      );
    });

    test('two programs with the same step for one customer within the window: only the first goes', async () => {
      const w = await world([thankYou()]);
      // A second program words its own step with the same template.
      const winback = {
        ...w.playbook,
        name: 'winback',
        steps: [step('welcome-back', { template: 'thanks' })],
      };
      const grace = customer('c-grace', { firstName: 'Grace' });
      await seed(w, { customer: grace, order: order('1041', 'c-grace'), steps: w.playbook.steps, dueAt: T0 });
      // Its step for the customer's next order falls due five hours after the first went out.
      const [late] = await seed(
        { ...w, playbook: winback },
        {
          customer: grace,
          order: order('1042', 'c-grace', { sequence: 2 }),
          steps: winback.steps,
          dueAt: T0 + 5 * HOUR,
        },
      );
      const clock = new VirtualClock(T0);
      const channel = new ScriptedEmail();
      const d = dispatcher(w, clock, channel, [w.playbook, winback]);
      await d.runUntilIdle();
      clock.set(T0 + 5 * HOUR);
      await d.runUntilIdle();
      assert.equal(channel.sent.length, 1);
      const skipped = await w.store.reads.getTouchPoint(late!.id);
      assert.equal(skipped?.status, 'skipped');
      assert.deepEqual(skipped?.reason, {
        code: 'same_step_recently',
        detail: 'test thank-you sent 2026-06-01 12:00 UTC',
      });
    });

    test('two workers each claiming one of the pair at the same instant send the thank-you once', async () => {
      const w = await world([thankYou()]);
      await twoOrders(w);
      const clock = new VirtualClock(T0);
      const channels = [new ScriptedEmail(), new ScriptedEmail()];
      // One touch point per batch, so each worker holds one of the pair.
      const workers = channels.map((channel, i) =>
        dispatcher(w, clock, channel, [w.playbook], { workerId: `w${i + 1}`, batchSize: 1 }),
      );
      for (let round = 0; round < 30; round++) {
        await Promise.all(workers.map((d) => d.runOnce()));
        clock.advance(5_000);
      }
      const messages = channels.flatMap((c) => c.sent);
      assert.equal(messages.length, 1, 'never the same step twice');
      const [sent, other] = (await rows(w)).sort((a, b) => (a[1] === 'sent' ? -1 : b[1] === 'sent' ? 1 : 0));
      assert.equal(sent![1], 'sent');
      assert.equal(other![1], 'skipped', 'and never lost: the other ended, typed');
      assert.ok(['same_step_recently', 'coalesced'].includes(String(other![2])), String(other![2]));
    });

    test('the same step a day after the last one goes again', async () => {
      const w = await world([thankYou()]);
      const grace = customer('c-grace', { firstName: 'Grace' });
      await seed(w, { customer: grace, order: order('1041', 'c-grace'), steps: w.playbook.steps, dueAt: T0 });
      await seed(w, {
        customer: grace,
        order: order('1042', 'c-grace', { sequence: 2 }),
        steps: w.playbook.steps,
        dueAt: T0 + DAY + HOUR,
      });
      const clock = new VirtualClock(T0);
      const channel = new ScriptedEmail();
      const d = dispatcher(w, clock, channel);
      await d.runUntilIdle();
      clock.set(T0 + DAY + HOUR);
      await d.runUntilIdle();
      assert.equal(channel.sent.length, 2);
      assert.match(channel.sent[1]!.text, /your order #1042\./);
    });
  });
}
