// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Customer, Enrollment, Moments, Order, TouchPoint } from './domain.js';
import type { Playbook, Step, StepTiming } from './playbook/types.js';
import { planTouchPoints, type PlanInput, type TouchPointPlan } from './planner.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 2 March 2026, 15:00 UTC = 10:00 in New York (EST).
const T0 = Date.UTC(2026, 2, 2, 15, 0);

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
  version: 3,
  description: null,
  exitOn: ['returned', 'cancelled'],
  returnWindowMs: 30 * DAY,
  delayGraceMs: DAY,
  staleAfterMs: 3 * DAY,
  source: 'test',
  steps: [
    step('thank_you', { moment: 'placed', offsetMs: DAY, atLocal: { hour: 10, minute: 0 } }),
    step('shipping_notice', { moment: 'shipped' }, { purpose: 'transactional', cancelOn: ['delivered'] }),
    step('delay_apology', { moment: 'delayed' }, { cancelOn: ['delivered'] }),
    step('arrived_check', { moment: 'delivered', offsetMs: 0, atLocal: { hour: 10, minute: 0 } }),
    step(
      'csat',
      { moment: 'delivered', offsetMs: 7 * DAY, atLocal: { hour: 10, minute: 0 } },
      { survey: 'csat' },
    ),
    step(
      'vip_call',
      { moment: 'delivered', offsetMs: 2 * DAY },
      { channel: 'task:call', owner: 'success', when: { field: 'order.total', op: 'gte', value: 500 } },
    ),
    step('return_followup', { moment: 'returned', offsetMs: 2 * DAY }),
    step('renewal_reminder', { moment: 'renewal', offsetMs: -7 * DAY, atLocal: { hour: 9, minute: 0 } }),
  ],
};

function customer(extra: Partial<Customer> = {}): Customer {
  return {
    id: 'c1',
    email: 'ada@example.com',
    firstName: 'Ada',
    lastName: null,
    phone: null,
    timezone: 'America/New_York',
    locale: 'en',
    segment: 'b2c',
    holdout: false,
    temperature: 50,
    openConcerns: 0,
    temperatureReasons: [],
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: { topicsOff: [], channelsOff: [], pausedUntil: null },
    unsubscribedAt: null,
    emailBouncedAt: null,
    attributes: {},
    orderCount: 1,
    lastOrderId: null,
    createdAt: T0,
    ...extra,
  };
}

function order(moments: Moments = {}, extra: Partial<Order> = {}): Order {
  return {
    id: 'o1',
    customerId: 'c1',
    number: null,
    shippingAddress: null,
    placedAt: T0,
    currency: 'USD',
    total: 120,
    segment: 'b2c',
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    items: [],
    shipments: [],
    moments: { placed: T0, promised: T0 + 4 * DAY, ...moments },
    attributes: {},
    sequence: 1,
    updatedAt: T0,
    ...extra,
  };
}

const enrollment: Enrollment = {
  id: 'care:o1',
  customerId: 'c1',
  orderId: 'o1',
  playbook: 'care',
  playbookVersion: 3,
  holdout: false,
  status: 'active',
  endedReason: null,
  enrolledAt: T0,
};

function plan(input: Partial<PlanInput> = {}): TouchPointPlan {
  return planTouchPoints({
    playbook,
    customer: customer(),
    order: order(),
    enrollment,
    existing: [],
    now: T0,
    defaultTimezone: 'Europe/Berlin',
    ...input,
  });
}

const keys = (tps: TouchPoint[]) => tps.map((tp) => tp.stepKey).sort();
const dueOf = (p: TouchPointPlan, key: string) => p.insert.find((tp) => tp.stepKey === key)?.dueAt;

/** The touch points a plan inserted, as they would exist afterwards (optionally changed). */
function existing(p: TouchPointPlan, patch: Record<string, Partial<TouchPoint>> = {}): TouchPoint[] {
  return p.insert.map((tp) => ({ ...tp, ...patch[tp.stepKey] }));
}

describe('planTouchPoints: a new order', () => {
  test('plans the steps whose moment is known, and only those', () => {
    const p = plan();
    // placed is known; delayed is derived from the promise; nothing has shipped or arrived.
    assert.deepEqual(keys(p.insert), ['delay_apology', 'thank_you']);
    assert.deepEqual(p.reschedule, []);
    assert.deepEqual(p.cancel, []);
  });

  test('fills a new touch point from the enrollment and the step', () => {
    const p = plan({ enrollment: { ...enrollment, holdout: true }, now: T0 + HOUR });
    const tp = p.insert.find((t) => t.stepKey === 'thank_you');
    assert.deepEqual(tp, {
      id: 'care:o1:thank_you',
      enrollmentId: 'care:o1',
      customerId: 'c1',
      orderId: 'o1',
      playbook: 'care',
      playbookVersion: 3,
      stepKey: 'thank_you',
      channel: 'email',
      purpose: 'reassurance',
      holdout: true,
      dueAt: Date.UTC(2026, 2, 3, 15, 0), // Tuesday 10:00 in New York
      status: 'scheduled',
      attempt: 0,
      leaseUntil: null,
      reason: null,
      outcomeAt: null,
      createdAt: T0 + HOUR,
    });
  });

  test('local times follow the customer zone, else the default zone', () => {
    assert.equal(dueOf(plan(), 'thank_you'), Date.UTC(2026, 2, 3, 15, 0));
    const unknownZone = plan({ customer: customer({ timezone: 'Mars/Olympus' }) });
    assert.equal(dueOf(unknownZone, 'thank_you'), Date.UTC(2026, 2, 3, 9, 0)); // 10:00 in Berlin (CET)
    const noZone = plan({ customer: customer({ timezone: null }) });
    assert.equal(dueOf(noZone, 'thank_you'), Date.UTC(2026, 2, 3, 9, 0));
  });

  test('a step without a local time is due at its moment plus the offset', () => {
    assert.equal(dueOf(plan(), 'delay_apology'), T0 + 4 * DAY + DAY);
  });

  test('"before" steps are planned from a future moment', () => {
    const renewal = Date.UTC(2027, 2, 2, 15, 0);
    assert.equal(
      dueOf(plan({ order: order({ renewal }) }), 'renewal_reminder'),
      Date.UTC(2027, 1, 23, 14, 0), // 9:00 EST a week before
    );
  });
});

describe('planTouchPoints: as the order moves on', () => {
  test('delivery plans the follow-ups and cancels what it makes pointless', () => {
    const first = plan({ order: order({ shipped: T0 + DAY }) });
    assert.deepEqual(keys(first.insert), ['delay_apology', 'shipping_notice', 'thank_you']);
    const delivered = T0 + 2 * DAY + 5 * HOUR; // Wednesday 15:00 in New York
    const p = plan({
      order: order({ shipped: T0 + DAY, delivered }),
      existing: existing(first),
      now: delivered,
    });
    assert.deepEqual(keys(p.insert), ['arrived_check', 'csat']);
    assert.equal(dueOf(p, 'arrived_check'), Date.UTC(2026, 2, 5, 15, 0), 'after 15:00: 10:00 the next day');
    assert.equal(dueOf(p, 'csat'), Date.UTC(2026, 2, 11, 14, 0), '10:00 EDT, after the DST change');
    assert.deepEqual(
      p.cancel.sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: 'care:o1:delay_apology', reason: { code: 'exit_moment', detail: 'delivered' } },
        { id: 'care:o1:shipping_notice', reason: { code: 'exit_moment', detail: 'delivered' } },
      ],
    );
  });

  test('a derived moment that vanishes cancels its scheduled step', () => {
    const noCancelOn: Playbook = {
      ...playbook,
      steps: [step('delay_apology', { moment: 'delayed' })],
    };
    const first = plan({ playbook: noCancelOn });
    const p = plan({
      playbook: noCancelOn,
      order: order({ delivered: T0 + DAY }),
      existing: existing(first),
    });
    assert.deepEqual(p.cancel, [
      { id: 'care:o1:delay_apology', reason: { code: 'moment_unknown', detail: 'delayed' } },
    ]);
  });

  test('replanning the same state inserts nothing twice and changes nothing', () => {
    const first = plan({ order: order({ shipped: T0 + DAY }) });
    const again = plan({ order: order({ shipped: T0 + DAY }), existing: existing(first), now: T0 + HOUR });
    assert.deepEqual(again, { insert: [], reschedule: [], cancel: [] });
  });

  test('a moved promise reschedules the delay apology', () => {
    const first = plan();
    const later = order({ promised: T0 + 6 * DAY });
    const p = plan({ order: later, existing: existing(first) });
    assert.deepEqual(p.reschedule, [{ id: 'care:o1:delay_apology', dueAt: T0 + 7 * DAY }]);
    assert.deepEqual(p.insert, []);
    assert.deepEqual(p.cancel, []);
  });

  test('with the state before the event, a hand-moved touch point stays where it was put', () => {
    const first = plan();
    const moved = existing(first, { thank_you: { dueAt: T0 + 2 * DAY } });
    const unrelated = plan({
      order: order({ shipped: T0 + DAY }),
      existing: moved,
      previous: { customer: customer(), order: order() },
    });
    assert.deepEqual(unrelated.reschedule, []);
    // Without the earlier state the planner cannot tell a move from a change and puts it back.
    const blind = plan({ order: order({ shipped: T0 + DAY }), existing: moved });
    assert.deepEqual(blind.reschedule, [{ id: 'care:o1:thank_you', dueAt: Date.UTC(2026, 2, 3, 15, 0) }]);
  });

  test('with the state before the event, a changed moment still moves its touch point', () => {
    const first = plan();
    const moved = existing(first, { delay_apology: { dueAt: T0 + 9 * DAY } });
    const p = plan({
      order: order({ promised: T0 + 6 * DAY }),
      existing: moved,
      previous: { customer: customer(), order: order() },
    });
    assert.deepEqual(p.reschedule, [{ id: 'care:o1:delay_apology', dueAt: T0 + 7 * DAY }]);
  });

  test('a new zone for the customer moves local-time steps', () => {
    const first = plan();
    const p = plan({
      customer: customer({ timezone: 'Europe/Berlin' }),
      existing: existing(first),
      previous: { customer: customer(), order: order() },
    });
    assert.deepEqual(p.reschedule, [{ id: 'care:o1:thank_you', dueAt: Date.UTC(2026, 2, 3, 9, 0) }]);
  });

  test('claimed and final touch points are left alone', () => {
    const first = plan();
    const p = plan({
      order: order({ promised: T0 + 6 * DAY, delivered: T0 + 5 * DAY }),
      existing: existing(first, {
        delay_apology: { status: 'claimed', attempt: 1, leaseUntil: T0 + 60_000 },
        thank_you: { status: 'sent', outcomeAt: T0 + DAY },
      }),
    });
    assert.ok(!p.cancel.some((c) => c.id === 'care:o1:delay_apology'));
    assert.ok(!p.reschedule.some((r) => r.id === 'care:o1:delay_apology'));
    assert.ok(!p.insert.some((tp) => tp.stepKey === 'thank_you' || tp.stepKey === 'delay_apology'));
  });

  test('a cancelled touch point is not planned again', () => {
    const first = plan();
    const p = plan({
      existing: existing(first, {
        thank_you: { status: 'cancelled', reason: { code: 'cancelled_by_hand', detail: 'by hand' } },
      }),
    });
    assert.deepEqual(p, { insert: [], reschedule: [], cancel: [] });
  });

  test('touch points of other enrollments are not this plan’s business', () => {
    const other = existing(plan({ enrollment: { ...enrollment, id: 'other:o1' } }));
    const p = plan({ existing: other });
    assert.deepEqual(keys(p.insert), ['delay_apology', 'thank_you']);
    assert.deepEqual(p.cancel, []);
  });

  test('a step no longer in the playbook is cancelled', () => {
    const first = plan();
    const slimmer: Playbook = { ...playbook, steps: playbook.steps.filter((s) => s.key !== 'thank_you') };
    const p = plan({ playbook: slimmer, existing: existing(first) });
    assert.deepEqual(p.cancel, [{ id: 'care:o1:thank_you', reason: { code: 'step_removed', detail: null } }]);
  });
});

describe('planTouchPoints: exits and conditions', () => {
  test('a return ends the program and plans only the return follow-up', () => {
    const delivered = T0 + 2 * DAY;
    const first = plan({ order: order({ shipped: T0 + DAY, delivered }), now: delivered });
    const returned = T0 + 4 * DAY;
    const p = plan({
      order: order({ shipped: T0 + DAY, delivered, returned }),
      existing: existing(first, { thank_you: { status: 'sent' } }),
      now: returned,
    });
    assert.deepEqual(keys(p.insert), ['return_followup']);
    assert.equal(dueOf(p, 'return_followup'), returned + 2 * DAY);
    assert.deepEqual(
      p.cancel.map((c) => c.reason),
      [
        { code: 'program_ended', detail: 'returned' },
        { code: 'program_ended', detail: 'returned' },
      ],
    );
    assert.deepEqual(p.cancel.map((c) => c.id).sort(), ['care:o1:arrived_check', 'care:o1:csat']);
  });

  test('after an exit, a step timed from another exit moment that has not happened is not planned', () => {
    const p = plan({ order: order({ cancelled: T0 + HOUR }), now: T0 + HOUR });
    assert.deepEqual(p.insert, []);
  });

  test('an exit moment still in the future does not end the program yet', () => {
    const forecastExit: Playbook = { ...playbook, exitOn: ['renewal'] };
    const renewal = T0 + 30 * DAY;
    const now = plan({ playbook: forecastExit, order: order({ renewal }) });
    assert.ok(keys(now.insert).includes('thank_you'));
    const later = plan({ playbook: forecastExit, order: order({ renewal }), now: renewal + HOUR });
    // Only the step timed from the exit moment itself is left (and by now too late to send).
    assert.deepEqual(keys(later.insert), ['renewal_reminder']);
    assert.equal(later.insert[0]?.status, 'skipped');
  });

  test('a step whose condition fails is not planned; once planned, it is cancelled', () => {
    const delivered = order({ delivered: T0 + DAY });
    assert.ok(!keys(plan({ order: delivered }).insert).includes('vip_call'));
    const big = order({ delivered: T0 + DAY }, { total: 800 });
    const first = plan({ order: big });
    assert.ok(keys(first.insert).includes('vip_call'));
    const p = plan({ order: order({ delivered: T0 + DAY }, { total: 80 }), existing: existing(first) });
    assert.deepEqual(p.cancel, [
      { id: 'care:o1:vip_call', reason: { code: 'condition_not_met', detail: null } },
    ]);
  });
});

describe('planTouchPoints: late planning', () => {
  test('a step already more than staleAfter late is recorded as skipped, not sent', () => {
    const now = T0 + 5 * DAY;
    const p = plan({ order: order({ delivered: T0 + 4 * DAY + 4 * HOUR }), now });
    const thankYou = p.insert.find((tp) => tp.stepKey === 'thank_you');
    assert.equal(thankYou?.status, 'skipped');
    assert.deepEqual(thankYou?.reason, { code: 'stale', detail: null });
    assert.equal(thankYou?.outcomeAt, now);
    // Due a few hours ago: late, but not stale.
    const arrived = p.insert.find((tp) => tp.stepKey === 'arrived_check');
    assert.equal(arrived?.status, 'scheduled');
    assert.equal(arrived?.reason, null);
  });

  test('the staleness threshold comes from the playbook', () => {
    const strict: Playbook = { ...playbook, staleAfterMs: HOUR };
    const p = plan({ playbook: strict, now: T0 + 2 * DAY });
    assert.equal(p.insert.find((tp) => tp.stepKey === 'thank_you')?.status, 'skipped');
    const lenient = plan({ now: T0 + 2 * DAY });
    assert.equal(lenient.insert.find((tp) => tp.stepKey === 'thank_you')?.status, 'scheduled');
  });
});
