// Follow-up steps planned from what a customer did: a Lisbon customer with two orders answers a
// survey, replies and has a concern opened and resolved; a playbook parsed from YAML times steps
// from each of those. node:test registers tests synchronously; no awaiting needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Customer, Order, StoredEvent, TouchPoint } from '../domain.js';
import { parsePlaybook } from '../playbook/parse.js';
import { aCustomer } from '../policy/fixtures.test-helpers.js';
import type { Playbook } from '../playbook/types.js';
import { noChanges, type ListeningChanges, type ListeningState } from './changes.js';
import { anchorsOf, followUpId, planFollowUps, type Anchor } from './followUps.js';
import type { Concern } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wednesday 2026-04-15 16:45 in Lisbon (WEST, UTC+1). */
const NOW = Date.UTC(2026, 3, 15, 15, 45);
const ZONE = 'Europe/Lisbon';

function playbook(yaml: string): Playbook {
  const parsed = parsePlaybook(yaml, 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.issues.map((e) => e.message).join('; '));
  return parsed.playbook;
}

const CARE = playbook(`
name: care
version: 4
steps:
  - key: thank-you
    timing: { after: 1d, from: placed, at: '10:00' }
    channel: email
    purpose: reassurance
  - key: fix-check
    timing: { after: 3d, from: concern_resolved, at: '10:00' }
    channel: email
    purpose: reassurance
  - key: heard-you
    timing: { after: 1h, from: concern_opened }
    channel: email
    purpose: reassurance
    when: { concern.severity: { in: [high, critical] } }
  - key: promoter-thanks
    timing: { after: 2d, from: answered, at: '11:00' }
    channel: email
    purpose: offer
    when: { answer.survey: nps, answer.score: { gte: 9 } }
  - key: reply-ack
    timing: { on: replied }
    channel: email
    purpose: transactional
`);

const ana: Customer = aCustomer({
  id: 'cus_ana',
  email: 'ana.costa@example.pt',
  firstName: 'Ana',
  lastName: 'Costa',
  phone: null,
  timezone: ZONE,
  locale: 'pt-PT',
  orderCount: 2,
  lastOrderId: 'ord-1188',
  createdAt: Date.UTC(2026, 2, 1),
});

function order(id: string, placedAt: number): Order {
  return {
    id,
    number: `#${id.slice(4)}`,
    shippingAddress: null,
    sequence: id === 'ord-1001' ? 1 : 2,
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    customerId: 'cus_ana',
    placedAt,
    currency: 'EUR',
    total: 89.9,
    segment: 'b2c',
    items: [{ sku: 'CUP-6', productName: 'Espresso cups', category: 'kitchen', quantity: 1, price: 89.9 }],
    shipments: [],
    moments: { placed: placedAt },
    attributes: {},
    updatedAt: placedAt,
  };
}

const first = order('ord-1001', Date.UTC(2026, 2, 1, 10));
const second = order('ord-1188', Date.UTC(2026, 3, 2, 18));

function planned(o: Order, playbookName = 'care', holdout = false): TouchPoint {
  return {
    id: `${playbookName}:${o.id}:thank-you`,
    enrollmentId: `${playbookName}:${o.id}`,
    customerId: 'cus_ana',
    orderId: o.id,
    playbook: playbookName,
    playbookVersion: 4,
    stepKey: 'thank-you',
    channel: 'email',
    purpose: 'reassurance',
    holdout,
    dueAt: o.placedAt + DAY,
    status: 'sent',
    attempt: 1,
    leaseUntil: null,
    reason: null,
    outcomeAt: o.placedAt + DAY,
    createdAt: o.placedAt,
  };
}

function state(overrides: Partial<ListeningState> = {}): ListeningState {
  return {
    customer: ana,
    events: [],
    orders: [first, second],
    touchPoints: [planned(first), planned(second)],
    concerns: [],
    openTasks: [],
    ...overrides,
  };
}

function concern(overrides: Partial<Concern> = {}): Concern {
  return {
    id: 'concern:ev-nps',
    customerId: 'cus_ana',
    orderId: 'ord-1001',
    source: 'survey',
    severity: 'high',
    summary: 'NPS 2: cups arrived chipped',
    status: 'open',
    level: 0,
    owner: 'rep',
    openedAt: NOW - 2 * DAY,
    acknowledgedAt: null,
    resolvedAt: null,
    resolution: null,
    escalations: [],
    nextEscalationAt: null,
    sourceEventId: 'ev-nps',
    ...overrides,
  };
}

function event(
  type: StoredEvent['type'],
  data: Record<string, unknown>,
  orderId: string | null,
): StoredEvent {
  return { id: `ev-${type}`, customerId: 'cus_ana', orderId, type, at: NOW, data, receivedAt: NOW };
}

const NO_CHANGES: ListeningChanges = noChanges();

const ctx = { now: NOW, defaultTimezone: 'UTC', playbooks: [CARE] };

describe('anchors', () => {
  test('an answer and a reply anchor at their time, with the answer as facts', () => {
    const answered = anchorsOf(
      state(),
      event('survey.answered', { survey: 'nps', score: '9' }, 'ord-1188'),
      NO_CHANGES,
    );
    assert.deepEqual(answered, [
      {
        moment: 'answered',
        key: 'ev-survey.answered',
        at: NOW,
        orderId: 'ord-1188',
        facts: { 'answer.survey': 'nps', 'answer.score': 9 },
      },
    ]);
    const replied = anchorsOf(state(), event('reply.received', { text: 'thanks!' }, null), NO_CHANGES);
    assert.deepEqual(
      replied.map((a) => [a.moment, a.orderId]),
      [['replied', null]],
    );
  });

  test('a concern anchors when it opens and again when it is resolved, not while it stays open', () => {
    const opened = concern();
    const e = event('concern.raised', {}, 'ord-1001');
    assert.deepEqual(
      anchorsOf(state(), e, { ...NO_CHANGES, concerns: [opened] }).map((a) => [a.moment, a.key, a.at]),
      [['concern_opened', opened.id, opened.openedAt]],
    );
    const acknowledged = { ...opened, status: 'acknowledged' as const, owner: 'rita' };
    assert.deepEqual(
      anchorsOf(state({ concerns: [opened] }), e, { ...NO_CHANGES, concerns: [acknowledged] }),
      [],
    );
    const resolved = { ...acknowledged, status: 'resolved' as const, resolvedAt: NOW - HOUR };
    assert.deepEqual(
      anchorsOf(state({ concerns: [acknowledged] }), e, { ...NO_CHANGES, concerns: [resolved] }).map((a) => [
        a.moment,
        a.at,
        a.facts,
      ]),
      [['concern_resolved', NOW - HOUR, { 'concern.severity': 'high', 'concern.source': 'survey' }]],
    );
    // Resolved again (a second resolution event): nothing new.
    assert.deepEqual(
      anchorsOf(state({ concerns: [resolved] }), e, { ...NO_CHANGES, concerns: [resolved] }),
      [],
    );
  });
});

describe('planning follow-ups', () => {
  const resolvedAnchor: Anchor = {
    moment: 'concern_resolved',
    key: 'concern:ev-nps',
    at: NOW,
    orderId: 'ord-1001',
    facts: { 'concern.severity': 'high', 'concern.source': 'survey' },
  };

  test("timed from the anchor in the customer's zone, carried by the anchor's order", () => {
    const [tp, ...rest] = planFollowUps(state(), [resolvedAnchor], ctx);
    assert.equal(rest.length, 0);
    assert.deepEqual(tp, {
      id: followUpId('care:ord-1001', 'fix-check', 'concern:ev-nps'),
      enrollmentId: 'care:ord-1001',
      customerId: 'cus_ana',
      orderId: 'ord-1001',
      playbook: 'care',
      playbookVersion: 4,
      stepKey: 'fix-check',
      channel: 'email',
      purpose: 'reassurance',
      holdout: false,
      // Saturday 2026-04-18 10:00 in Lisbon (UTC+1).
      dueAt: Date.UTC(2026, 3, 18, 9, 0),
      status: 'scheduled',
      attempt: 0,
      leaseUntil: null,
      reason: null,
      outcomeAt: null,
      createdAt: NOW,
    });
    assert.match(tp.id, /^care:ord-1001:fix-check\.[0-9a-f]{16}$/);
  });

  test('without an order, the latest enrolled order carries it; with no enrollment in the playbook, nothing', () => {
    const [ack] = planFollowUps(
      state(),
      [{ moment: 'replied', key: 'ev-r', at: NOW, orderId: null, facts: {} }],
      ctx,
    );
    assert.equal(ack?.orderId, 'ord-1188');
    assert.equal(ack?.dueAt, NOW, '`on: replied` is right when the reply arrived');
    assert.equal(ack?.purpose, 'transactional');
    const elsewhere = state({ touchPoints: [planned(first, 'other'), planned(second, 'other')] });
    assert.deepEqual(planFollowUps(elsewhere, [resolvedAnchor], ctx), []);
  });

  test("the step's condition decides on the anchor's facts: only a promoter's answer, only a grave concern", () => {
    const answer = (score: number): Anchor => ({
      moment: 'answered',
      key: `ev-${score}`,
      at: NOW,
      orderId: 'ord-1188',
      facts: { 'answer.survey': 'nps', 'answer.score': score },
    });
    assert.deepEqual(
      planFollowUps(state(), [answer(9)], ctx).map((t) => t.stepKey),
      ['promoter-thanks'],
    );
    assert.deepEqual(planFollowUps(state(), [answer(8)], ctx), []);
    const opened = (severity: string): Anchor => ({
      moment: 'concern_opened',
      key: `k-${severity}`,
      at: NOW,
      orderId: 'ord-1001',
      facts: { 'concern.severity': severity, 'concern.source': 'reply' },
    });
    assert.deepEqual(
      planFollowUps(state(), [opened('high')], ctx).map((t) => [t.stepKey, t.dueAt]),
      [['heard-you', NOW + HOUR]],
    );
    assert.deepEqual(planFollowUps(state(), [opened('low')], ctx), []);
  });

  test('planned once per anchor; a stale one is kept as skipped; the holdout flag is the enrollment’s', () => {
    const once = planFollowUps(state(), [resolvedAnchor], ctx);
    const again = planFollowUps(
      state({ touchPoints: [planned(first), planned(second), ...once] }),
      [resolvedAnchor],
      ctx,
    );
    assert.deepEqual(again, []);
    const late = planFollowUps(state(), [{ ...resolvedAnchor, at: NOW - 20 * DAY }], ctx);
    assert.deepEqual(
      late.map((t) => [t.status, t.reason?.code]),
      [['skipped', 'stale']],
    );
    const control = state({ touchPoints: [planned(first, 'care', true)] });
    assert.equal(planFollowUps(control, [resolvedAnchor], ctx)[0]?.holdout, true);
  });
});

describe('validation', () => {
  const errorsOf = (yaml: string): string[] => {
    const parsed = parsePlaybook(yaml, 'bad.yaml');
    return parsed.ok ? [] : parsed.issues.map((e) => `${e.field}: ${e.message}`);
  };

  test('a follow-up comes after what the customer did; anchor facts only where the anchor has them', () => {
    const errors = errorsOf(`
name: bad
version: 1
steps:
  - key: early
    timing: { before: 1d, from: concern_resolved }
    channel: email
    purpose: reassurance
  - key: wrong-facts
    timing: { after: 1d, from: delivered }
    channel: email
    purpose: reassurance
    when: { answer.score: { gte: 9 } }
  - key: wrong-anchor
    timing: { after: 1d, from: replied }
    channel: email
    purpose: reassurance
    when: { concern.severity: high }
`);
    assert.deepEqual(errors, [
      'steps[0].timing.before: cannot be used with from: concern_resolved (a follow-up comes after what the customer did)',
      'steps[1].when: answer.score is known only to a follow-up step timed from answered',
      'steps[2].when: concern.severity is known only to a follow-up step timed from concern_opened or concern_resolved',
    ]);
  });
});
