// The hearing reducer on realistic histories: a detractor in Berlin, a happy promoter, a changed
// answer, an angry reply, the outcomes of a call, resolution and hearing the same event twice.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Customer, EventType, Order, StoredEvent, TouchPoint } from '../domain.js';
import type { ListeningChanges, ListeningState } from './changes.js';
import { afterHearing, hear, mergeChanges, type HearingContext } from './hear.js';
import { DEFAULT_ESCALATION_RULES } from './rules.js';
import type { Concern } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Friday 2026-03-06 18:30 in Berlin (CET, UTC+1): after hours, before a weekend. */
const FRIDAY_EVENING = Date.UTC(2026, 2, 6, 17, 30);
/** Monday 2026-03-09 09:00 in Berlin. */
const MONDAY_MORNING = Date.UTC(2026, 2, 9, 8, 0);
/** Tuesday 2026-03-10 11:00 in Berlin: open. */
const TUESDAY_LATE_MORNING = Date.UTC(2026, 2, 10, 10, 0);

const ctx = (now: number, overrides: Partial<HearingContext> = {}): HearingContext => ({
  now,
  rules: DEFAULT_ESCALATION_RULES,
  businessHours: { days: [1, 2, 3, 4, 5], start: { hour: 9, minute: 0 }, end: { hour: 17, minute: 0 } },
  defaultTimezone: 'America/New_York',
  ...overrides,
});

const jonas: Customer = {
  id: 'cus_jonas',
  email: 'jonas.weber@example.de',
  firstName: 'Jonas',
  lastName: 'Weber',
  phone: '+49 30 1234567',
  timezone: 'Europe/Berlin',
  locale: 'de-DE',
  segment: 'b2c',
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
  orderCount: 1,
  lastOrderId: null,
  createdAt: Date.UTC(2026, 1, 20),
};

const order: Order = {
  id: 'ord-1042',
  customerId: 'cus_jonas',
  number: '#1042',
  shippingAddress: null,
  placedAt: Date.UTC(2026, 1, 20, 14, 5),
  currency: 'EUR',
  total: 349,
  segment: 'b2c',
  kind: 'goods',
  renewalPeriod: null,
  renewalCycle: 1,
  items: [{ sku: 'ESP-2', productName: 'Espresso machine', category: 'kitchen', quantity: 1, price: 349 }],
  shipments: [],
  moments: {
    placed: Date.UTC(2026, 1, 20, 14, 5),
    shipped: Date.UTC(2026, 1, 23),
    delivered: Date.UTC(2026, 1, 26),
  },
  attributes: {},
  sequence: 1,
  updatedAt: Date.UTC(2026, 1, 26),
};

function touchPoint(
  stepKey: string,
  channel: TouchPoint['channel'],
  status: TouchPoint['status'],
  at: number,
): TouchPoint {
  return {
    id: `reassure:ord-1042:${stepKey}`,
    enrollmentId: 'reassure:ord-1042',
    customerId: 'cus_jonas',
    orderId: 'ord-1042',
    playbook: 'reassure',
    playbookVersion: 1,
    stepKey,
    channel,
    purpose: 'reassurance',
    holdout: false,
    dueAt: at,
    status,
    attempt: status === 'scheduled' ? 0 : 1,
    leaseUntil: null,
    reason: null,
    outcomeAt: status === 'scheduled' ? null : at,
    createdAt: order.placedAt,
  };
}

function ev(id: string, type: EventType, at: number, data: Record<string, unknown> = {}): StoredEvent {
  return { id, customerId: 'cus_jonas', orderId: 'ord-1042', type, at, data, receivedAt: at };
}

function state(overrides: Partial<ListeningState> = {}): ListeningState {
  return {
    customer: jonas,
    events: [],
    orders: [order],
    touchPoints: [
      touchPoint('thank_you', 'email', 'sent', Date.UTC(2026, 1, 21, 9)),
      touchPoint('arrived_check', 'email', 'sent', Date.UTC(2026, 1, 27, 9)),
      touchPoint('nps', 'email', 'sent', Date.UTC(2026, 2, 5, 9)),
      touchPoint('tips', 'email', 'scheduled', Date.UTC(2026, 2, 12, 9)),
    ],
    concerns: [],
    openTasks: [],
    ...overrides,
  };
}

/** Hears `events` in order, carrying the state along as the listener does. */
function hearAll(start: ListeningState, events: StoredEvent[], now: number, c = ctx(now)) {
  let s = start;
  const all: ListeningChanges[] = [];
  for (const event of events) {
    const changes = hear(s, { ...event }, c);
    all.push(changes);
    s = afterHearing(s, event, changes);
  }
  return { state: s, changes: mergeChanges(all) };
}

const npsAnswer = (id: string, score: number, comment: string | null, at = FRIDAY_EVENING - HOUR) =>
  ev(id, 'survey.answered', at, {
    survey: 'nps',
    score,
    touchPointId: 'reassure:ord-1042:nps',
    ...(comment === null ? {} : { comment }),
  });

describe('hear: concerns opened by what the customer says', () => {
  test('NPS 2 "arrived broken": a high concern and a call first thing Monday in Berlin, with a full brief', () => {
    const answer = npsAnswer('ev-nps-1', 2, 'arrived broken');
    const { changes } = hearAll(state(), [answer], FRIDAY_EVENING);
    const [concern] = changes.concerns;
    assert.deepEqual(concern, {
      id: 'concern:ev-nps-1',
      customerId: 'cus_jonas',
      orderId: 'ord-1042',
      source: 'survey',
      severity: 'high',
      summary: 'NPS 2: arrived broken',
      status: 'open',
      level: 0,
      owner: 'rep',
      openedAt: FRIDAY_EVENING,
      acknowledgedAt: null,
      resolvedAt: null,
      resolution: null,
      escalations: [],
      nextEscalationAt: null,
      sourceEventId: 'ev-nps-1',
    });
    assert.equal(changes.newTasks.length, 1);
    const task = changes.newTasks[0]!;
    assert.deepEqual(
      [task.id, task.touchPointId, task.kind, task.concernId, task.orderId, task.owner, task.status],
      [
        'care:concern:ev-nps-1',
        'care:concern:ev-nps-1',
        'call',
        'concern:ev-nps-1',
        'ord-1042',
        'rep',
        'open',
      ],
    );
    assert.equal(
      task.dueAt,
      MONDAY_MORNING,
      'the next opening in the customer zone, not the business default',
    );
    assert.equal(task.title, 'Call Jonas Weber: NPS 2: arrived broken');
    for (const expected of [
      /What happened: NPS 2: arrived broken/,
      /Source: survey; severity: high/,
      /Temperature: 20\/100/,
      /-20 gave 2 out of 10/,
      /-15 raised a concern: NPS 2: arrived broken/,
      /nps by email: sent, 2026-03-05 10:00/,
      /arrived_check by email: sent/,
      /#1042: 349\.00 EUR, placed 2026-02-20 15:05, delivered <- this one/,
      /\+49 30 1234567/,
      /Europe\/Berlin/,
      /Do not sell anything/,
    ]) {
      assert.match(task.script, expected);
    }
    assert.doesNotMatch(task.script, /tips by email/, 'scheduled touch points are not history');
    assert.deepEqual(
      changes.events.map((e) => [e.id, e.type, e.data['concernId']]),
      [['concern:ev-nps-1:raised', 'concern.raised', 'concern:ev-nps-1']],
    );
    const customer = changes.customer!;
    assert.deepEqual(
      [customer.temperature, customer.openConcerns, customer.lastNps, customer.engagedAt],
      [20, 1, 2, answer.at],
    );
    assert.deepEqual(
      customer.temperatureReasons.map((r) => [r.delta, r.why]),
      [
        [-20, 'gave 2 out of 10 when asked whether they would recommend us (a detractor)'],
        [5, 'answers when we write'],
        [-15, 'raised a concern: NPS 2: arrived broken'],
      ],
    );
  });

  test('NPS 9 opens nothing but warms the customer and is their last NPS', () => {
    const { changes } = hearAll(state(), [npsAnswer('ev-nps-9', 9, 'great service')], FRIDAY_EVENING);
    assert.deepEqual([changes.concerns, changes.newTasks, changes.events], [[], [], []]);
    assert.deepEqual(
      [changes.customer?.temperature, changes.customer?.lastNps, changes.customer?.openConcerns],
      [65, 9, 0],
    );
  });

  test('a changed answer opens no second concern; only the latest answer counts in the temperature', () => {
    const first = npsAnswer('ev-nps-a', 2, 'arrived broken');
    const second = npsAnswer('ev-nps-b', 3, 'still broken', FRIDAY_EVENING - HOUR / 2);
    const { state: after, changes } = hearAll(state(), [first, second], FRIDAY_EVENING);
    assert.deepEqual(
      changes.concerns.map((c) => c.id),
      ['concern:ev-nps-a'],
    );
    assert.equal(changes.newTasks.length, 1);
    // Only the latest answer to the survey counts: its score, not the first one's.
    const answers = after.customer.temperatureReasons.filter((r) => /out of 10/.test(r.why));
    assert.deepEqual(answers, [
      {
        delta: -20,
        why: 'gave 3 out of 10 when asked whether they would recommend us (a detractor)',
        at: second.at,
      },
    ]);
    assert.equal(after.customer.lastNps, 3);
    const better = hear(
      after,
      npsAnswer('ev-nps-c', 9, 'they sent a new one', FRIDAY_EVENING),
      ctx(FRIDAY_EVENING),
    );
    assert.deepEqual([better.concerns, better.newTasks], [[], []]);
    assert.deepEqual(
      [better.customer?.temperature, better.customer?.openConcerns, better.customer?.lastNps],
      [50, 1, 9],
    );
  });

  test('CSAT, shipments, returns, API concerns; a cancellation opens nothing', () => {
    const opened = (event: StoredEvent) => {
      const [c] = hear(state(), event, ctx(TUESDAY_LATE_MORNING)).concerns;
      return c === undefined ? null : [c.source, c.severity, c.summary];
    };
    const at = TUESDAY_LATE_MORNING - HOUR;
    assert.deepEqual(opened(ev('c1', 'survey.answered', at, { survey: 'csat', score: 1 })), [
      'survey',
      'high',
      'CSAT 1',
    ]);
    assert.deepEqual(opened(ev('c2', 'survey.answered', at, { survey: 'csat', score: 2, comment: 'slow' })), [
      'survey',
      'medium',
      'CSAT 2: slow',
    ]);
    assert.equal(opened(ev('c3', 'survey.answered', at, { survey: 'csat', score: 3 })), null);
    assert.equal(opened(ev('c4', 'survey.answered', at, { score: 4 })), null, 'ambiguous without the survey');
    assert.deepEqual(opened(ev('n5', 'survey.answered', at, { survey: 'nps', score: 5 })), [
      'survey',
      'medium',
      'NPS 5',
    ]);
    assert.deepEqual(opened(ev('s1', 'shipment.delayed', at, { reason: 'Parcel damaged in transit' })), [
      'shipment',
      'high',
      'Shipment damaged: Parcel damaged in transit',
    ]);
    assert.deepEqual(opened(ev('s2', 'shipment.delayed', at, { status: 'LOST' })), [
      'shipment',
      'high',
      'Shipment lost: LOST',
    ]);
    // Every kind of shipping problem is followed until resolved; lateness is the mildest.
    assert.deepEqual(opened(ev('s3', 'shipment.delayed', at, { reason: 'weather' })), [
      'shipment',
      'low',
      'Shipment late: weather',
    ]);
    assert.deepEqual(opened(ev('s4', 'shipment.exception', at, { exception: 'failed_attempt' })), [
      'shipment',
      'medium',
      'Shipment delivery attempt failed',
    ]);
    assert.deepEqual(
      opened(
        ev('s5', 'shipment.exception', at, {
          exception: 'returned_to_sender',
          message: 'Returned to sender',
        }),
      ),
      ['shipment', 'medium', 'Shipment returned to sender: Returned to sender'],
    );
    assert.deepEqual(opened(ev('r1', 'order.returned', at, { reason: 'wrong size' })), [
      'return',
      'medium',
      'Returned: wrong size',
    ]);
    assert.equal(opened(ev('r2', 'order.returned', at)), null);
    assert.deepEqual(opened(ev('a1', 'concern.raised', at, { summary: 'Invoice address wrong' })), [
      'api',
      'medium',
      'Invoice address wrong',
    ]);
    assert.deepEqual(
      opened(ev('a2', 'concern.raised', at, { severity: 'critical', summary: 'Threatens chargeback' })),
      ['api', 'critical', 'Threatens chargeback'],
    );
    assert.equal(opened(ev('x1', 'order.cancelled', at, { reason: 'changed my mind' })), null);
    // An API concern is its own event: no derived concern.raised beside it.
    assert.deepEqual(hear(state(), ev('a3', 'concern.raised', at), ctx(TUESDAY_LATE_MORNING)).events, []);
  });

  test('during business hours the task is due at once; a customer without a zone uses the default', () => {
    const [inHours] = hear(state(), npsAnswer('e1', 1, null), ctx(TUESDAY_LATE_MORNING)).newTasks;
    assert.equal(inHours?.dueAt, TUESDAY_LATE_MORNING);
    // 11:00 Berlin is 05:00 in New York: the rep waits for 09:00 there.
    const zoneless = state({ customer: { ...jonas, timezone: null } });
    const [ny] = hear(zoneless, npsAnswer('e2', 1, null), ctx(TUESDAY_LATE_MORNING)).newTasks;
    assert.equal(ny?.dueAt, Date.UTC(2026, 2, 10, 13, 0));
  });
});

describe('hear: replies', () => {
  test('an angry reply is one concern and one task (the reply task), and waits for a person', () => {
    const reply = ev('ev-reply-1', 'reply.received', FRIDAY_EVENING - HOUR, {
      sentiment: 'negative',
      text: 'The machine arrived broken and I want a refund.',
    });
    const { state: after, changes } = hearAll(state(), [reply], FRIDAY_EVENING);
    assert.deepEqual(
      changes.concerns.map((c) => [c.source, c.severity, c.summary]),
      [['reply', 'high', 'Unhappy reply: The machine arrived broken and I want a refund.']],
    );
    assert.deepEqual(
      changes.newTasks.map((t) => [t.id, t.kind, t.concernId]),
      [['care:concern:ev-reply-1', 'reply', 'concern:ev-reply-1']],
    );
    assert.match(changes.newTasks[0]!.title, /^Answer Jonas Weber: /);
    assert.equal(changes.customer?.awaitingPersonSince, reply.at);
    // A second, calmer message while that task is open adds no task and keeps the first time.
    const more = hear(
      after,
      ev('ev-reply-2', 'reply.received', FRIDAY_EVENING, { text: 'Any news?' }),
      ctx(FRIDAY_EVENING),
    );
    assert.deepEqual([more.newTasks, more.concerns], [[], []]);
    assert.equal(more.customer?.awaitingPersonSince, reply.at);
  });

  test('a plain reply gets a reply task; completing it clears the wait', () => {
    const reply = ev('ev-reply-3', 'reply.received', TUESDAY_LATE_MORNING, {
      text: 'Does it descale itself?',
    });
    const { state: after, changes } = hearAll(state(), [reply], TUESDAY_LATE_MORNING);
    assert.deepEqual(
      changes.newTasks.map((t) => [t.id, t.kind, t.concernId, t.dueAt]),
      [['care:reply:ev-reply-3', 'reply', null, TUESDAY_LATE_MORNING]],
    );
    assert.match(changes.newTasks[0]!.script, /What happened: Replied: Does it descale itself\?/);
    assert.equal(changes.concerns.length, 0);
    const done = ev('task:care:reply:ev-reply-3:completed', 'task.completed', TUESDAY_LATE_MORNING + HOUR, {
      taskId: 'care:reply:ev-reply-3',
      kind: 'reply',
      outcome: 'reached',
      notes: 'explained the descaling program',
    });
    const closed = hear({ ...after, openTasks: [] }, done, ctx(TUESDAY_LATE_MORNING + HOUR));
    assert.equal(closed.customer?.awaitingPersonSince, null);
    assert.equal(closed.customer?.engagedAt, reply.at, "a rep's work is not the customer engaging");
  });
});

describe('hear: task outcomes, acknowledgement and resolution', () => {
  const opened = hearAll(state(), [npsAnswer('ev-nps-1', 2, 'arrived broken')], FRIDAY_EVENING).state;
  const concernId = 'concern:ev-nps-1';
  const completed = (outcome: string, extra: Record<string, unknown> = {}) =>
    ev(`task:care:${concernId}:completed`, 'task.completed', MONDAY_MORNING + HOUR, {
      taskId: `care:${concernId}`,
      kind: 'call',
      outcome,
      notes: null,
      concernId,
      by: 'kim',
      ...extra,
    });
  const withoutTask = (s: ListeningState): ListeningState => ({ ...s, openTasks: [] });

  test('problem_found opens a concern from the task', () => {
    const changes = hear(
      withoutTask(opened),
      completed('problem_found', { notes: 'steam wand leaks' }),
      ctx(MONDAY_MORNING + HOUR),
    );
    assert.deepEqual(
      changes.concerns.map((c) => [c.source, c.severity, c.summary]),
      [['task', 'high', 'Problem found: steam wand leaks']],
    );
    assert.equal(changes.customer?.openConcerns, 2);
  });

  test('callback plans a call at the agreed time, for the same person and concern', () => {
    const callbackAt = MONDAY_MORNING + 2 * DAY + 6 * HOUR;
    const changes = hear(
      withoutTask(opened),
      completed('callback', { callbackAt, notes: 'after the courier picks it up' }),
      ctx(MONDAY_MORNING + HOUR),
    );
    assert.deepEqual(
      changes.newTasks.map((t) => [t.id, t.kind, t.dueAt, t.owner, t.concernId]),
      [[`care:callback:task:care:${concernId}:completed`, 'call', callbackAt, 'kim', concernId]],
    );
    assert.match(changes.newTasks[0]!.script, /callback on concern "NPS 2: arrived broken"/);
  });

  test('resolved on the concern task resolves the concern', () => {
    const changes = hear(
      withoutTask(opened),
      completed('resolved', { notes: 'replacement sent' }),
      ctx(MONDAY_MORNING + HOUR),
    );
    assert.deepEqual(
      changes.concerns.map((c) => [c.status, c.resolution, c.resolvedAt, c.nextEscalationAt]),
      [['resolved', 'replacement sent', MONDAY_MORNING + HOUR, null]],
    );
    assert.equal(changes.customer?.openConcerns, 0);
  });

  test('acknowledging gives the concern an owner; resolving closes its open tasks', () => {
    const rules = {
      ownerAt: (level: number) => ['rep', 'manager'][level] ?? 'owner',
      deadline: (c: Concern) => (c.status === 'open' ? c.openedAt + 4 * HOUR : c.openedAt + 2 * DAY),
    };
    const start = hearAll(
      state(),
      [npsAnswer('ev-nps-1', 2, 'arrived broken')],
      FRIDAY_EVENING,
      ctx(FRIDAY_EVENING, { rules }),
    );
    assert.equal(start.state.concerns[0]?.nextEscalationAt, FRIDAY_EVENING + 4 * HOUR);
    const ack = ev('ack', 'concern.acknowledged', MONDAY_MORNING, { concernId, by: 'kim' });
    const resolve = ev('res', 'concern.resolved', MONDAY_MORNING + HOUR, {
      concernId,
      resolution: 'new machine sent',
      by: 'kim',
    });
    const { state: after, changes } = hearAll(
      start.state,
      [ack, resolve],
      MONDAY_MORNING + HOUR,
      ctx(MONDAY_MORNING + HOUR, { rules }),
    );
    const concern = after.concerns[0]!;
    assert.deepEqual(
      [
        concern.status,
        concern.owner,
        concern.acknowledgedAt,
        concern.resolvedAt,
        concern.resolution,
        concern.nextEscalationAt,
      ],
      ['resolved', 'kim', MONDAY_MORNING, MONDAY_MORNING + HOUR, 'new machine sent', null],
    );
    assert.deepEqual(changes.closeTasks, [
      { id: `care:${concernId}`, status: 'done', outcome: 'concern_resolved', at: MONDAY_MORNING + HOUR },
    ]);
    assert.deepEqual(after.openTasks, []);
    assert.equal(after.customer.openConcerns, 0);
  });

  test("a resolution without a concern id resolves all of the customer's open concerns", () => {
    const two = hearAll(
      state(),
      [
        npsAnswer('ev-nps-1', 2, 'arrived broken'),
        ev('ev-ret', 'order.returned', FRIDAY_EVENING, { reason: 'defective' }),
      ],
      FRIDAY_EVENING,
    ).state;
    assert.equal(two.customer.openConcerns, 2);
    const all = hear(
      two,
      ev('csv-res', 'concern.resolved', MONDAY_MORNING, { resolution: 'refunded' }),
      ctx(MONDAY_MORNING),
    );
    assert.deepEqual(
      all.concerns.map((c) => c.status),
      ['resolved', 'resolved'],
    );
    assert.equal(all.closeTasks.length, 2);
    assert.equal(all.customer?.openConcerns, 0);
  });

  test('hearing the same event twice opens nothing twice', () => {
    const answer = npsAnswer('ev-nps-1', 2, 'arrived broken');
    const again = hear(opened, answer, ctx(FRIDAY_EVENING + HOUR));
    assert.deepEqual([again.concerns, again.newTasks, again.events, again.closeTasks], [[], [], [], []]);
    assert.equal(again.customer?.openConcerns, 1);
    assert.deepEqual(again.customer?.temperatureReasons, opened.customer.temperatureReasons);
  });
});
