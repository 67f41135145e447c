// The demo's built-in effect and its two worlds: drawn at once, consistent each, the effect in
// the direction the docs state; back-filled history dated before the demo's period; and the
// feeder passing on, through the real intake, only what each customer's own group does.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent } from '../../core/domain.js';
import { isHoldout } from '../../core/holdout.js';
import { makeIntakeReducer, Intake } from '../../engine/intake.js';
import { openMemoryStore } from '../../store/memory/store.js';
import { DemoFeeder } from '../../cli/demoFeeder.js';
import { VirtualClock } from '../../engine/clock.js';
import { DEMO_EFFECT, demoAnswer, factFor, type DemoGroup } from './effect.js';
import { generateDemoOrders, type DemoOrder } from './generate.js';
import { seededRandom } from './random.js';
import { eventCondition, orderIn } from './worlds.js';

const DAY = 86_400_000;
const start = Date.UTC(2026, 2, 20);

describe('the demo effect', () => {
  test('one draw decides a fact for both worlds; the holdout gets it more often', () => {
    assert.deepEqual(factFor(0.01, DEMO_EFFECT.returnRate), ['treatment', 'holdout']);
    assert.deepEqual(factFor(0.07, DEMO_EFFECT.returnRate), ['holdout']);
    assert.deepEqual(factFor(0.5, DEMO_EFFECT.returnRate), []);
  });

  test('holdout customers answer the measurement surveys lower, at the same rate', () => {
    const r = seededRandom('answers');
    const mean = (group: 'treatment' | 'holdout', survey: 'csat' | 'nps') => {
      const scores: number[] = [];
      let asked = 0;
      for (let i = 0; i < 4000; i++) {
        asked++;
        const answer = demoAnswer(r, survey, group, false);
        if (answer !== null) scores.push(answer.score);
      }
      return { mean: scores.reduce((a, b) => a + b, 0) / scores.length, rate: scores.length / asked };
    };
    for (const survey of ['csat', 'nps'] as const) {
      const treated = mean('treatment', survey);
      const held = mean('holdout', survey);
      assert.ok(held.mean < treated.mean, `${survey}: ${held.mean} < ${treated.mean}`);
      assert.ok(Math.abs(held.rate - treated.rate) < 0.04, 'the same answer rate');
    }
  });
});

describe('the demo worlds', () => {
  const orders = [
    ...generateDemoOrders({
      orders: 300,
      seed: 'worlds',
      start,
      pastDays: 2,
      history: { days: 240, orders: 1500 },
    }),
  ];

  test('back-filled history is dated before the period, spread over it, and marked', () => {
    const history = orders.filter((o) => o.backfilled);
    assert.equal(history.length, 1500);
    assert.ok(history.every((o) => o.placedAt < start - 2 * DAY + DAY));
    const oldest = Math.min(...history.map((o) => o.placedAt));
    assert.ok(oldest < start - 235 * DAY && oldest > start - 244 * DAY, 'eight months back');
    assert.ok(history.filter((o) => o.placedAt < start - 180 * DAY).length > 300, 'old enough for 180 days');
    assert.equal(orders.filter((o) => !o.backfilled).length, 300);
  });

  test('the effect shows: the holdout world has more returns and cancellations, fewer repeat orders', () => {
    const count = (group: 'treatment' | 'holdout', p: (o: DemoOrder) => boolean) =>
      orders.map((o) => orderIn(o, group)).filter((o): o is DemoOrder => o !== null && p(o)).length;
    assert.ok(
      count('holdout', (o) => o.returnedAt !== null) > count('treatment', (o) => o.returnedAt !== null),
    );
    assert.ok(
      count('holdout', (o) => o.cancelledAt !== null) > count('treatment', (o) => o.cancelledAt !== null),
    );
    assert.ok(count('holdout', () => true) < count('treatment', () => true), 'repeat orders forgone');
    // Only later orders of a returning customer are forgone, never anyone's first.
    for (const o of orders) if (o.onlyFor.order !== undefined) assert.notEqual(o.firstOrderId, o.orderId);
  });

  test('each world is consistent, and what the feeder asks of an event agrees with it', () => {
    for (const o of orders) {
      for (const group of ['treatment', 'holdout'] as const) {
        const lived = orderIn(o, group);
        if (lived?.cancelledAt != null) assert.equal(lived.shippedAt, null, o.orderId);
      }
      // What the feeder asks of an event agrees with what each world holds.
      const facts = {
        'order.placed': (v: DemoOrder) => v.placedAt,
        'shipment.delivered': (v: DemoOrder) => v.deliveredAt,
        'order.returned': (v: DemoOrder) => v.returnedAt,
        'order.cancelled': (v: DemoOrder) => v.cancelledAt,
      } as const;
      for (const [type, at] of Object.entries(facts) as [
        keyof typeof facts,
        (v: DemoOrder) => number | null,
      ][]) {
        if (at(o) === null) continue;
        const condition = eventCondition(o, type);
        for (const group of ['treatment', 'holdout'] as const) {
          const lived = orderIn(o, group);
          const happens = lived !== null && at(lived) !== null;
          assert.equal(
            happens,
            condition === null || condition.group === group,
            `${o.orderId} ${type} ${group}`,
          );
        }
      }
    }
  });
});

describe('the demo feeder with two worlds, through the real intake', () => {
  test('passes on only what the customer’s own group does', async () => {
    const share = 0.5;
    const salt = 'demo-test';
    const orders = [...generateDemoOrders({ orders: 400, seed: 'feeder', start, pastDays: 60 })];
    const byId = new Map(orders.map((o) => [o.orderId, o]));
    // Every fact of either world, as the demo writes them.
    const events: DomainEvent[] = orders.flatMap((o) => eventsOf(o)).sort((a, b) => a.at - b.at);
    const store = await openMemoryStore({ installKey: 'demo-test' });
    await store.migrate();
    const clock = new VirtualClock(start + 400 * DAY);
    const intake = new Intake(
      store.intake,
      makeIntakeReducer({
        playbooks: [],
        defaultTimezone: 'UTC',
        holdoutShare: share,
        holdoutSalt: salt,
        now: () => clock.now(),
      }),
    );
    const groupOf = (customerId: string): DemoGroup =>
      isHoldout(customerId, share, salt) ? 'holdout' : 'treatment';
    const fed: DomainEvent[] = [];
    const feeder = new DemoFeeder({
      events,
      ingest: (batch) => intake.ingest(batch),
      clock,
      speed: 1,
      onFed: (batch) => fed.push(...batch),
      onDone: () => undefined,
      onError: (error) => {
        throw error;
      },
      worlds: {
        conditionOf: (event) => eventCondition(byId.get(event.orderId!)!, event.type),
        groupOf,
      },
    });
    assert.equal(await feeder.feedDue(clock.now()), events.length);
    assert.ok(feeder.passedOver > 0, 'some facts belonged to the other world');
    assert.equal(fed.length + feeder.passedOver, events.length);

    // What intake stored is exactly each customer's own world.
    let held = 0;
    for (const order of orders) {
      const stored = await store.reads.getOrder(order.orderId);
      const firstStored = await store.reads.getOrder(order.firstOrderId);
      const group = groupOf(firstStored!.customerId);
      if (group === 'holdout') held++;
      const lived = orderIn(order, group);
      assert.equal(stored === null, lived === null, order.orderId);
      if (lived === null || stored === null) continue;
      assert.equal(
        stored.moments.returned !== undefined,
        lived.returnedAt !== null,
        `${order.orderId} returned`,
      );
      assert.equal(
        stored.moments.cancelled !== undefined,
        lived.cancelledAt !== null,
        `${order.orderId} cancelled`,
      );
      const customer = await store.reads.getCustomer(stored.customerId);
      assert.equal(customer!.holdout, group === 'holdout', 'the feeder draws the group as intake does');
    }
    assert.ok(held > 50, 'both groups are there');
    await store.close();
  });
});

/** The events of one generated order, every fact of either world. */
function eventsOf(o: DemoOrder): DomainEvent[] {
  const base = { customerId: o.customer.customerId, orderId: o.orderId, data: {} };
  const out: DomainEvent[] = [
    {
      ...base,
      id: `${o.orderId}:placed`,
      type: 'order.placed',
      at: o.placedAt,
      customer: { customerId: o.customer.customerId, email: o.customer.email, segment: o.customer.segment },
      order: {
        placedAt: o.placedAt,
        currency: 'USD',
        total: o.total,
        segment: o.customer.segment,
        items: [],
      },
    },
  ];
  const fact = (at: number | null, type: DomainEvent['type']) => {
    if (at !== null) out.push({ ...base, id: `${o.orderId}:${type}`, type, at });
  };
  fact(o.shippedAt, 'shipment.shipped');
  fact(o.deliveredAt, 'shipment.delivered');
  fact(o.returnedAt, 'order.returned');
  fact(o.cancelledAt, 'order.cancelled');
  return out;
}
