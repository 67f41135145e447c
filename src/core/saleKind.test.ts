// Services, software and subscriptions through the lifecycle and the planner: they never ship,
// so what follows delivery follows their start; each renewal cycle gets its own touch points.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Customer, DomainEvent, Enrollment, EventType, Order, TouchPoint } from './domain.js';
import { applyEventToOrder, newOrder } from './lifecycle.js';
import { planTouchPoints, type PlanInput } from './planner.js';
import type { Playbook, Step, StepTiming } from './playbook/types.js';
import { baseStepKey, cycleOfStepKey, cycleStepKey, nextRenewalAfter } from './renewalCycle.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Tuesday 3 March 2026, 19:00 UTC = 14:00 in New York: a monthly plan bought in the afternoon.
const T0 = Date.UTC(2026, 2, 3, 19, 0);
const at10 = { hour: 10, minute: 0 };

let seq = 0;
function ev(type: EventType, at: number, extra: Partial<DomainEvent> = {}): DomainEvent {
  seq += 1;
  return { id: `e${seq}`, type, at, customerId: 'c1', orderId: 'o1', data: {}, ...extra };
}

function sale(kind: Order['kind'], period: Order['renewalPeriod'], renewalAt: number | null): Order {
  const event = ev('order.placed', T0, {
    order: {
      placedAt: T0,
      currency: 'USD',
      total: 400,
      segment: 'b2b',
      kind,
      renewalPeriod: period,
      renewalAt,
    },
  });
  return applyEventToOrder(newOrder('o1', 'c1', event.order, { at: T0, segment: 'b2b' }), event);
}

function step(
  key: string,
  timing: Partial<StepTiming> & Pick<StepTiming, 'moment'>,
  extra: Partial<Step> = {},
): Step {
  return {
    key,
    description: null,
    timing: { offsetMs: 0, atLocal: null, ...timing },
    channel: 'email',
    template: key,
    purpose: 'reassurance',
    when: null,
    cancelOn: [],
    survey: null,
    owner: null,
    ...extra,
  };
}

const playbook: Playbook = {
  name: 'care',
  version: 1,
  description: null,
  exitOn: ['returned', 'cancelled'],
  returnWindowMs: 30 * DAY,
  delayGraceMs: DAY,
  staleAfterMs: 3 * DAY,
  source: 'test',
  steps: [
    step('thank-you', { moment: 'placed', offsetMs: DAY, atLocal: at10 }),
    step('arrival-check', { moment: 'delivered', offsetMs: DAY, atLocal: at10 }),
    step('onboarding-check', { moment: 'onboarded', offsetMs: 2 * DAY, atLocal: at10 }),
    step('renewal-heads-up', { moment: 'renewal', offsetMs: -30 * DAY, atLocal: at10 }),
    step('renewal-call', { moment: 'renewal', offsetMs: -14 * DAY, atLocal: at10 }, { channel: 'task:call' }),
    step('renewal-notice', { moment: 'renewal', offsetMs: -7 * DAY, atLocal: at10 }),
  ],
};

const customer: Customer = {
  id: 'c1',
  email: 'ines@northwind.example',
  firstName: 'Inês',
  lastName: 'Costa',
  phone: null,
  timezone: 'America/New_York',
  locale: 'en-US',
  segment: 'b2b',
  holdout: false,
  temperature: 50,
  temperatureReasons: [],
  openConcerns: 0,
  awaitingPersonSince: null,
  lastNps: null,
  engagedAt: null,
  preferences: { topicsOff: [], channelsOff: [], pausedUntil: null },
  unsubscribedAt: null,
  emailBouncedAt: null,
  attributes: {},
  createdAt: T0,
  orderCount: 1,
  lastOrderId: null,
};

const enrollment: Enrollment = {
  id: 'care:o1',
  customerId: 'c1',
  orderId: 'o1',
  playbook: 'care',
  playbookVersion: 1,
  holdout: false,
  status: 'active',
  endedReason: null,
  enrolledAt: T0,
};

function plan(order: Order, existing: TouchPoint[] = [], extra: Partial<PlanInput> = {}) {
  return planTouchPoints({
    playbook,
    customer,
    order,
    enrollment,
    existing,
    now: T0,
    defaultTimezone: 'UTC',
    ...extra,
  });
}

describe('services and software', () => {
  test('a service is delivered when it starts: the steps after delivery follow the start', () => {
    const order = sale('service', 'annual', Date.UTC(2027, 2, 3, 19));
    assert.equal(order.moments.delivered, undefined);
    const started = applyEventToOrder(order, ev('order.started', T0 + 2 * DAY));
    assert.equal(started.moments.started, T0 + 2 * DAY);
    assert.equal(started.moments.delivered, T0 + 2 * DAY);
    const onboarded = applyEventToOrder(started, ev('order.onboarded', T0 + 9 * DAY));
    assert.equal(onboarded.moments.onboarded, T0 + 9 * DAY);
    const keys = plan(onboarded, [], { now: T0 + 9 * DAY }).insert.map((tp) => tp.stepKey);
    assert.ok(keys.includes('arrival-check'), 'the $4,800 subscription is no longer silent for a year');
    assert.ok(keys.includes('onboarding-check'));
  });

  test('goods are delivered by the carrier, never by a start', () => {
    const order = applyEventToOrder(sale('goods', null, null), ev('order.started', T0 + DAY));
    assert.equal(order.moments.delivered, undefined);
  });

  test('a start date on the order counts like the event, and the kind may come later', () => {
    const event = ev('order.updated', T0 + HOUR, {
      order: { placedAt: T0, kind: 'software', startedAt: T0 },
    });
    const order = applyEventToOrder(sale('goods', null, null), event);
    assert.equal(order.kind, 'software');
    assert.equal(order.moments.delivered, T0);
  });
});

describe('renewal cycles', () => {
  test('order.renewed moves the renewal on by a period and raises the cycle, once', () => {
    const first = Date.UTC(2026, 3, 3, 19);
    const order = sale('software', 'monthly', first);
    assert.equal(order.renewalCycle, 1);
    const renewed = ev('order.renewed', first + HOUR);
    const once = applyEventToOrder(order, renewed);
    assert.equal(once.moments.renewal, Date.UTC(2026, 4, 3, 19));
    assert.equal(once.renewalCycle, 2);
    assert.deepEqual(applyEventToOrder(once, renewed), once, 'the same event twice is one renewal');
    const stated = applyEventToOrder(
      once,
      ev('order.renewed', Date.UTC(2026, 4, 3, 20), {
        data: { next_renewal_at: '2026-06-01T00:00:00Z' },
      }),
    );
    assert.equal(stated.moments.renewal, Date.UTC(2026, 5, 1));
    assert.equal(stated.renewalCycle, 3);
  });

  test('a billing update that moves a passed renewal on counts as the renewal, once', () => {
    const first = Date.UTC(2026, 3, 3, 19);
    const second = Date.UTC(2026, 4, 3, 19);
    const order = sale('software', 'monthly', first);
    const moved = applyEventToOrder(
      order,
      ev('order.updated', first + 60_000, { order: { placedAt: T0, renewalAt: second } }),
    );
    assert.equal(moved.renewalCycle, 2);
    const renewed = applyEventToOrder(
      moved,
      ev('order.renewed', first + 120_000, { data: { next_renewal_at: second } }),
    );
    assert.equal(renewed.renewalCycle, 2, 'the invoice after the update is the same renewal');
    // Moving a renewal still ahead (a plan change) is no renewal.
    const changed = applyEventToOrder(
      order,
      ev('order.updated', T0 + DAY, { order: { placedAt: T0, renewalAt: second } }),
    );
    assert.equal(changed.renewalCycle, 1);
  });

  test('a period rolls over month ends as billing does', () => {
    assert.equal(nextRenewalAfter(Date.UTC(2026, 0, 31, 9), 'monthly'), Date.UTC(2026, 1, 28, 9));
    assert.equal(nextRenewalAfter(Date.UTC(2026, 10, 30), 'quarterly'), Date.UTC(2027, 1, 28));
    assert.equal(nextRenewalAfter(Date.UTC(2028, 1, 29), 'annual'), Date.UTC(2029, 1, 28));
  });

  test('step keys carry the cycle from the second renewal on', () => {
    assert.equal(cycleStepKey('renewal-notice', 1), 'renewal-notice');
    assert.equal(cycleStepKey('renewal-notice', 4), 'renewal-notice.4');
    assert.equal(baseStepKey('renewal-notice.4'), 'renewal-notice');
    assert.equal(cycleOfStepKey('renewal-notice.4'), 4);
    assert.equal(cycleOfStepKey('renewal-notice'), 1);
  });

  test('a monthly plan: the 30-days-before heads-up falls before the sale or with the thank-you, and is skipped saying so', () => {
    // Renewal one month after a 14:00 purchase: 30 days before is the day of the sale.
    const p = plan(sale('software', 'monthly', Date.UTC(2026, 3, 2, 18)));
    const headsUp = p.insert.find((tp) => tp.stepKey === 'renewal-heads-up');
    assert.equal(headsUp?.status, 'skipped');
    assert.deepEqual(headsUp?.reason, { code: 'before_sale', detail: null });
    // 31 days: 30 days before is the thank-you's morning.
    const later = plan(sale('software', 'monthly', Date.UTC(2026, 3, 3, 18)));
    const close = later.insert.find((tp) => tp.stepKey === 'renewal-heads-up');
    assert.equal(close?.status, 'skipped');
    assert.deepEqual(close?.reason, { code: 'too_close', detail: 'thank-you' });
    // The call and the formal notice are clear of everything else.
    for (const key of ['renewal-call', 'renewal-notice']) {
      assert.equal(later.insert.find((tp) => tp.stepKey === key)?.status, 'scheduled', key);
    }
  });

  test('a call is not crowded by an e-mail: only the same kind of channel counts', () => {
    const crowded: Playbook = {
      ...playbook,
      steps: [
        step('thank-you', { moment: 'placed', offsetMs: DAY, atLocal: at10 }),
        step(
          'renewal-call',
          { moment: 'renewal', offsetMs: -30 * DAY, atLocal: at10 },
          { channel: 'task:call' },
        ),
      ],
    };
    const p = plan(sale('software', 'monthly', Date.UTC(2026, 3, 3, 18)), [], { playbook: crowded });
    assert.equal(p.insert.find((tp) => tp.stepKey === 'renewal-call')?.status, 'scheduled');
  });

  test('every renewal cycle gets its own touch points; the last cycle leftovers are cancelled', () => {
    const first = Date.UTC(2027, 2, 3, 19);
    const order = sale('service', 'annual', first);
    const cycle1 = plan(order).insert;
    assert.deepEqual(
      cycle1.filter((tp) => tp.stepKey.startsWith('renewal')).map((tp) => [tp.id, tp.status]),
      [
        ['care:o1:renewal-heads-up', 'scheduled'],
        ['care:o1:renewal-call', 'scheduled'],
        ['care:o1:renewal-notice', 'scheduled'],
      ],
    );
    // The heads-up and call went out; the notice was still waiting (deferred) when it renewed.
    const existing = cycle1.map((tp) =>
      tp.stepKey === 'renewal-notice' ? tp : { ...tp, status: 'sent' as const, outcomeAt: tp.dueAt },
    );
    const renewed = applyEventToOrder(order, ev('order.renewed', first));
    const now = first + HOUR;
    const cycle2 = plan(renewed, existing, { now });
    assert.deepEqual(
      cycle2.insert.map((tp) => [tp.id, tp.status, new Date(tp.dueAt).toISOString()]),
      [
        ['care:o1:renewal-heads-up.2', 'scheduled', '2028-02-02T15:00:00.000Z'],
        ['care:o1:renewal-call.2', 'scheduled', '2028-02-18T15:00:00.000Z'],
        ['care:o1:renewal-notice.2', 'scheduled', '2028-02-25T15:00:00.000Z'],
      ],
    );
    assert.deepEqual(cycle2.cancel, [
      { id: 'care:o1:renewal-notice', reason: { code: 'renewed', detail: null } },
    ]);
    // Planned again with what it made: nothing more.
    const after = plan(renewed, [...existing, ...cycle2.insert], { now });
    assert.deepEqual(after.insert, []);
  });

  test('a renewal step of a new cycle gives way to the last cycle step it would crowd', () => {
    // Monthly: cycle 2's heads-up (30 days before) lands on cycle 1's renewal week.
    const tight: Playbook = {
      ...playbook,
      steps: [
        step('renewal-notice', { moment: 'renewal', offsetMs: -7 * DAY, atLocal: at10 }),
        step('renewal-thanks', { moment: 'renewal', offsetMs: -35 * DAY, atLocal: at10 }),
      ],
    };
    const first = Date.UTC(2026, 5, 3, 19);
    const order = sale('software', 'monthly', first);
    const cycle1 = plan(order, [], { playbook: tight }).insert.map((tp) => ({
      ...tp,
      status: 'sent' as const,
      outcomeAt: tp.dueAt,
    }));
    const renewed = applyEventToOrder(order, ev('order.renewed', first));
    const cycle2 = plan(renewed, cycle1, { playbook: tight, now: first });
    const thanks = cycle2.insert.find((tp) => tp.stepKey === 'renewal-thanks.2');
    assert.equal(thanks?.status, 'skipped');
    assert.deepEqual(thanks?.reason, { code: 'too_close', detail: 'renewal-notice' });
  });
});
