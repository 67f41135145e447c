// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { describeReason } from '../core/reasons.js';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CustomerInput, DomainEvent, EventType, TouchPoint } from '../core/domain.js';
import { customerIdFor } from '../core/identity.js';
import type { Playbook, Step, StepTiming } from '../core/playbook/types.js';
import type { IntakeChanges, IntakeReducer, IntakeState } from '../store/ports/intake.js';
import { openSqliteStore } from '../store/sqlite/store.js';
import { Intake, makeIntakeReducer as makeStoreReducer, type IntakeOptions } from './intake.js';

/** The install key the stores would hold; here the state says what id a new customer gets. */
const KEY = 'install-key-of-the-test';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
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
  version: 2,
  description: null,
  exitOn: ['returned', 'cancelled'],
  returnWindowMs: 30 * DAY,
  delayGraceMs: DAY,
  staleAfterMs: 3 * DAY,
  source: 'test',
  steps: [
    step('thank_you', { moment: 'placed', offsetMs: DAY, atLocal: { hour: 10, minute: 0 } }),
    step('shipping_notice', { moment: 'shipped' }, { purpose: 'transactional', cancelOn: ['delivered'] }),
    step('arrived_check', { moment: 'delivered', offsetMs: DAY }),
    step(
      'rescue_call',
      { moment: 'placed', offsetMs: 2 * DAY },
      { channel: 'task:call', when: { field: 'temperature', op: 'lt', value: 40 } },
    ),
    step('return_followup', { moment: 'returned', offsetMs: 2 * DAY }),
  ],
};

function options(extra: Partial<IntakeOptions> = {}): IntakeOptions {
  return {
    playbooks: [playbook],
    defaultTimezone: 'America/New_York',
    holdoutShare: 0,
    holdoutSalt: 'salt',
    now: () => T0,
    ...extra,
  };
}

const ada: CustomerInput = { email: 'Ada@Example.com', firstName: 'Ada' };
let seq = 0;
function ev(type: EventType, at: number, extra: Partial<DomainEvent> = {}): DomainEvent {
  seq += 1;
  return { id: `evt_${seq}`, type, at, customerId: null, orderId: 'o1', data: {}, ...extra };
}
const placed = (extra: Partial<DomainEvent> = {}) =>
  ev('order.placed', T0, { customer: ada, order: { placedAt: T0, total: 80, currency: 'EUR' }, ...extra });

/** The reducer as a store calls it: the state carries the keyed id a new customer would get. */
function makeIntakeReducer(o: IntakeOptions): IntakeReducer {
  const reduce = makeStoreReducer(o);
  return (state, event) =>
    reduce({ ...state, newCustomerId: customerIdFor(event.customer ?? {}, KEY) }, event);
}

const empty: IntakeState = {
  duplicate: false,
  erased: false,
  newCustomerId: null,
  customer: null,
  order: null,
  enrollments: [],
  touchPoints: [],
};

/** What the store would hold after writing `changes` (the part of it the reducer reads back). */
function after(state: IntakeState, changes: IntakeChanges): IntakeState {
  const enrollments = new Map(state.enrollments.map((e) => [e.id, e]));
  for (const e of changes.enrollments) enrollments.set(e.id, e);
  const touchPoints = new Map<string, TouchPoint>(state.touchPoints.map((tp) => [tp.id, tp]));
  for (const tp of changes.insertTouchPoints) if (!touchPoints.has(tp.id)) touchPoints.set(tp.id, tp);
  for (const { id, dueAt } of changes.reschedule) {
    const tp = touchPoints.get(id);
    if (tp?.status === 'scheduled') touchPoints.set(id, { ...tp, dueAt });
  }
  for (const { id, reason } of changes.cancel) {
    const tp = touchPoints.get(id);
    if (tp?.status === 'scheduled') touchPoints.set(id, { ...tp, status: 'cancelled', reason });
  }
  return {
    duplicate: false,
    erased: false,
    newCustomerId: null,
    customer: changes.customer ?? state.customer,
    order: changes.order ?? state.order,
    enrollments: [...enrollments.values()],
    touchPoints: [...touchPoints.values()],
  };
}

describe('intake reducer', () => {
  test('an event about an erased person (a tombstone matched) is refused and writes nothing', () => {
    const reduce = makeIntakeReducer(options());
    const changes = reduce({ ...empty, erased: true }, placed());
    assert.equal(changes.rejected, 'erased');
    assert.equal(changes.customer, null);
    assert.equal(changes.order, null);
    assert.equal(changes.event, null);
    assert.deepEqual(changes.insertTouchPoints, []);
  });

  test('a new order creates the customer, the order, the enrollment and its plan', () => {
    const reduce = makeIntakeReducer(options());
    const event = placed();
    const changes = reduce(empty, event);
    const id = customerIdFor(ada, KEY);
    assert.equal(changes.rejected, null);
    assert.equal(changes.customer?.id, id);
    assert.equal(changes.customer?.email, 'ada@example.com');
    assert.equal(changes.customer?.temperature, 50);
    assert.equal(changes.customer?.openConcerns, 0);
    assert.equal(changes.customer?.holdout, false);
    assert.equal(changes.order?.id, 'o1');
    assert.equal(changes.order?.customerId, id);
    assert.equal(changes.order?.total, 80);
    assert.deepEqual(changes.order?.moments, { placed: T0 });
    assert.deepEqual(changes.enrollments, [
      {
        id: 'care:o1',
        customerId: id,
        orderId: 'o1',
        playbook: 'care',
        playbookVersion: 2,
        holdout: false,
        status: 'active',
        endedReason: null,
        enrolledAt: T0,
      },
    ]);
    assert.deepEqual(
      changes.insertTouchPoints.map((tp) => [tp.id, tp.status, tp.dueAt]),
      [['care:o1:thank_you', 'scheduled', Date.UTC(2026, 2, 3, 15, 0)]], // 10:00 in New York
    );
    assert.deepEqual(changes.event, {
      id: event.id,
      customerId: id,
      orderId: 'o1',
      type: 'order.placed',
      at: T0,
      data: {},
      receivedAt: T0,
    });
  });

  test('an order in a currency without a rate is reported once per currency; its money conditions are not met', () => {
    const missing: string[] = [];
    const large: Playbook = {
      ...playbook,
      steps: [
        step(
          'vip_letter',
          { moment: 'placed', offsetMs: DAY },
          { when: { field: 'order.total_base', op: 'gte', value: 500 } },
        ),
      ],
    };
    const reduce = makeIntakeReducer(
      options({
        playbooks: [large],
        currency: { base: 'EUR', rates: { JPY: 0.0061 } },
        onMissingRate: (currency, orderId) => missing.push(`${currency} ${orderId}`),
      }),
    );
    const order = (orderId: string, currency: string, total: number) =>
      reduce(
        empty,
        ev('order.placed', T0, { orderId, customer: ada, order: { placedAt: T0, total, currency } }),
      );
    assert.deepEqual(order('o1', 'JPY', 12_450).insertTouchPoints, []);
    assert.equal(order('o2', 'JPY', 98_000).insertTouchPoints.length, 1);
    assert.deepEqual(order('o3', 'CHF', 9_000).insertTouchPoints, []);
    order('o4', 'CHF', 20);
    assert.equal(order('o5', 'EUR', 600).insertTouchPoints.length, 1);
    assert.deepEqual(missing, ['CHF o3']);
  });

  test('a duplicate event changes nothing', () => {
    const reduce = makeIntakeReducer(options());
    const state = after(empty, reduce(empty, placed()));
    const changes = reduce({ ...state, duplicate: true }, ev('order.returned', T0 + DAY));
    assert.deepEqual(changes, {
      rejected: null,
      customer: null,
      order: null,
      event: null,
      derivedEvents: [],
      enrollments: [],
      insertTouchPoints: [],
      reschedule: [],
      cancel: [],
    });
  });

  test('the same order delivered again under another event id duplicates nothing', () => {
    const reduce = makeIntakeReducer(options());
    const state = after(empty, reduce(empty, placed()));
    const again = reduce(state, placed());
    assert.equal(again.rejected, null);
    assert.deepEqual(again.enrollments, []);
    assert.deepEqual(again.insertTouchPoints, []);
    assert.deepEqual(again.reschedule, []);
    assert.deepEqual(again.cancel, []);
    assert.deepEqual(again.order, state.order);
  });

  test('a return ends the program and plans only the return follow-up', () => {
    const reduce = makeIntakeReducer(options({ now: () => T0 + 3 * DAY }));
    let state = after(empty, reduce(empty, placed()));
    state = after(state, reduce(state, ev('shipment.shipped', T0 + DAY)));
    state = after(state, reduce(state, ev('shipment.delivered', T0 + 2 * DAY)));
    assert.deepEqual(state.touchPoints.map((tp) => `${tp.stepKey}:${tp.status}`).sort(), [
      'arrived_check:scheduled',
      'shipping_notice:cancelled',
      'thank_you:scheduled',
    ]);
    const changes = reduce(state, ev('order.returned', T0 + 3 * DAY));
    assert.deepEqual(
      changes.enrollments.map((e) => [e.status, e.endedReason]),
      [['ended', 'returned']],
    );
    assert.deepEqual(
      changes.insertTouchPoints.map((tp) => [tp.stepKey, tp.dueAt]),
      [['return_followup', T0 + 5 * DAY]],
    );
    assert.deepEqual(
      changes.cancel.sort((a, b) => a.id.localeCompare(b.id)),
      [
        { id: 'care:o1:arrived_check', reason: { code: 'program_ended', detail: 'returned' } },
        { id: 'care:o1:thank_you', reason: { code: 'program_ended', detail: 'returned' } },
      ],
    );
    // Later events keep the program ended and plan nothing new.
    state = after(state, changes);
    const later = reduce(state, ev('order.updated', T0 + 4 * DAY, { order: { placedAt: T0, total: 90 } }));
    assert.deepEqual(later.enrollments, []);
    assert.deepEqual(later.insertTouchPoints, []);
    assert.deepEqual(later.cancel, []);
  });

  test('an order event nobody can place is rejected', () => {
    const reduce = makeIntakeReducer(options());
    assert.equal(reduce(empty, ev('shipment.delivered', T0, { orderId: 'o9' })).rejected, 'unknown_order');
    assert.equal(
      reduce(empty, ev('order.placed', T0, { orderId: null, customer: ada })).rejected,
      'missing_order_id',
    );
    assert.equal(reduce(empty, ev('survey.answered', T0, { orderId: null })).rejected, 'unknown_customer');
    assert.equal(reduce(empty, ev('order.placed', Number.NaN, { customer: ada })).rejected, 'invalid_time');
  });

  test('an order first heard of through a later event is created for a known customer', () => {
    const reduce = makeIntakeReducer(options({ now: () => T0 + DAY }));
    const changes = reduce(
      empty,
      ev('shipment.shipped', T0 + DAY, { customerId: 'cus_7', order: { placedAt: T0 + HOUR } }),
    );
    assert.equal(changes.rejected, null);
    assert.equal(changes.customer?.id, 'cus_7');
    assert.deepEqual(changes.order?.moments, { placed: T0 + HOUR, shipped: T0 + DAY });
    assert.equal(changes.enrollments.length, 1);
    assert.deepEqual(changes.insertTouchPoints.map((tp) => tp.stepKey).sort(), [
      'shipping_notice',
      'thank_you',
    ]);
  });

  test('a customer event without a known order updates the customer and is recorded', () => {
    const reduce = makeIntakeReducer(options());
    const changes = reduce(
      empty,
      ev('customer.unsubscribed', T0, { orderId: null, customer: { email: 'bob@example.com' } }),
    );
    assert.equal(changes.rejected, null);
    assert.equal(changes.customer?.id, customerIdFor({ email: 'bob@example.com' }, KEY));
    assert.equal(changes.customer?.unsubscribedAt, T0);
    assert.equal(changes.order, null);
    assert.equal(changes.event?.type, 'customer.unsubscribed');
    assert.deepEqual(changes.insertTouchPoints, []);
  });

  test('a cooled customer (the listener stores the temperature) gets what depends on it', () => {
    const reduce = makeIntakeReducer(options());
    const state = after(empty, reduce(empty, placed()));
    // Intake does not move the temperature itself (the listener does, once): the answer is stored as is.
    const answer = reduce(state, ev('survey.answered', T0 + HOUR, { data: { survey: 'nps', score: 3 } }));
    assert.equal(answer.customer?.temperature, 50);
    assert.equal(answer.customer?.openConcerns, 0);
    const cooled = { ...state, customer: { ...state.customer!, temperature: 30 } };
    const changes = reduce(cooled, ev('survey.answered', T0 + HOUR, { data: { survey: 'nps', score: 3 } }));
    assert.deepEqual(
      changes.insertTouchPoints.map((tp) => [tp.stepKey, tp.channel]),
      [['rescue_call', 'task:call']],
    );
  });

  test('what a customer says about themselves needs a known customer', () => {
    const reduce = makeIntakeReducer(options());
    for (const type of ['survey.answered', 'reply.received', 'concern.raised', 'task.completed'] as const) {
      const unknown = reduce(empty, ev(type, T0, { orderId: null, customerId: 'cus_ghost' }));
      assert.equal(unknown.rejected, 'unknown_customer', type);
      assert.equal(unknown.customer, null);
    }
    const known = after(empty, reduce(empty, placed()));
    assert.equal(reduce(known, ev('survey.answered', T0 + HOUR, { orderId: null })).rejected, null);
  });

  test('holdout is drawn when the customer is created and never again', () => {
    const everyone = makeIntakeReducer(options({ holdoutShare: 1 }));
    const first = everyone(empty, placed());
    assert.equal(first.customer?.holdout, true);
    assert.equal(first.enrollments[0]?.holdout, true);
    assert.ok(first.insertTouchPoints.every((tp) => tp.holdout));
    // A later reducer with no holdout at all still sees the recorded assignment.
    const nobody = makeIntakeReducer(options({ holdoutShare: 0 }));
    const state = after(empty, first);
    const second = nobody(
      { ...state, order: null, enrollments: [], touchPoints: [] },
      placed({ orderId: 'o2' }),
    );
    assert.equal(second.customer?.holdout, true);
    assert.equal(second.enrollments[0]?.holdout, true);
    const stranger = nobody(empty, placed({ customer: { email: 'eve@example.com' } }));
    assert.equal(stranger.customer?.holdout, false);
  });

  test('contact details from later events are merged into the customer', () => {
    const reduce = makeIntakeReducer(options());
    const state = after(empty, reduce(empty, placed()));
    const changes = reduce(
      state,
      ev('order.updated', T0 + HOUR, { customer: { email: '', lastName: 'Lovelace' } }),
    );
    assert.equal(changes.customer?.email, 'ada@example.com');
    assert.equal(changes.customer?.firstName, 'Ada');
    assert.equal(changes.customer?.lastName, 'Lovelace');
  });
});

describe('Intake on the SQLite store', () => {
  test('ingests in batches: plans, dedupes and rejects as the reducer says', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      await store.migrate();
      let now = T0;
      const intake = new Intake(store.intake, makeStoreReducer(options({ now: () => now })), 2);
      const first = placed();
      const results = await intake.ingest([
        first,
        ev('shipment.shipped', T0 + DAY, { data: { carrier: 'DHL', tracking_number: 'JD1' } }),
        { ...first },
        ev('shipment.delivered', T0 + 2 * DAY, { orderId: 'o404' }),
        placed({ orderId: 'o2', customer: { email: 'bob@example.com' } }),
      ]);
      assert.deepEqual(
        results.map((r) => [r.duplicate, r.rejected, r.planned]),
        [
          [false, null, 1],
          [false, null, 1],
          [true, null, 0],
          [false, 'unknown_order', 0],
          [false, null, 1],
        ],
      );
      // The store derives the id with its own install key.
      const id = results[0]!.customerId!;
      assert.match(id, /^ek_[0-9a-f]{24}$/);
      assert.equal((await store.reads.getCustomer(id))?.email, 'ada@example.com');
      const order = await store.reads.getOrder('o1');
      assert.equal(order?.shipments[0]?.trackingNumber, 'JD1');
      assert.equal(order?.moments.shipped, T0 + DAY);

      now = T0 + 2 * DAY;
      const delivered = await intake.ingest([ev('shipment.delivered', T0 + 2 * DAY)]);
      assert.deepEqual(
        delivered.map((r) => [r.planned, r.cancelled]),
        [[1, 1]],
      );
      const touchPoints = await store.reads.listTouchPoints({ orderId: 'o1' });
      assert.deepEqual(
        touchPoints.map((tp) => `${tp.stepKey}:${tp.status}:${describeReason(tp.reason)}`).sort(),
        [
          'arrived_check:scheduled:',
          'shipping_notice:cancelled:exit_moment (delivered)',
          'thank_you:scheduled:',
        ],
      );
      assert.deepEqual(
        (await store.reads.listEvents(id)).map((e) => e.type),
        ['order.placed', 'shipment.shipped', 'shipment.delivered'],
      );
      const counts = await store.reads.counts();
      assert.equal(counts.customers, 2);
      assert.equal(counts.orders, 2);
    } finally {
      await store.close();
    }
  });
});
