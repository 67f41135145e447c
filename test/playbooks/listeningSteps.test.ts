// The reassure playbook's listening steps, end to end through the pure planner and the
// send-time decision: the review ask for promoters and the call for silent customers.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlaybooks } from '../../src/app/playbooks.js';
import type { Customer, Enrollment, Millis, Order, TouchPoint } from '../../src/core/domain.js';
import { planTouchPoints } from '../../src/core/planner.js';
import { aCustomer } from '../../src/core/policy/fixtures.test-helpers.js';
import { decide, DEFAULT_POLICY_CONFIG } from '../../src/core/policy/decide.js';
import type { Decision } from '../../src/core/policy/types.js';
import type { Playbook } from '../../src/core/playbook/types.js';
import { toLocalIso } from '../../src/core/localTime.js';
import type { BusinessInfo } from '../../src/core/business.js';
import type { TemplateRenderer } from '../../src/templates/render.js';
import { templateContext } from '../../src/templates/render.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-03-02, delivered at 15:20 in Chicago. */
const DELIVERED = Date.UTC(2026, 2, 2, 21, 20);
const ZONE = 'America/Chicago';

let playbook: Playbook;
let renderer: TemplateRenderer;
before(async () => {
  const loaded = await loadPlaybooks(['reassure']);
  playbook = loaded.playbooks[0]!;
  renderer = loaded.renderer;
});

const business: BusinessInfo = {
  name: 'Lakeshore Supply',
  website: 'https://lakeshore.example',
  supportEmail: 'help@lakeshore.example',
  supportPhone: '+1 312 555 0100',
  escalationName: 'Dana Brooks',
  escalationEmail: 'dana@lakeshore.example',
  postalAddress: 'Lakeshore Supply Co., 401 N Wabash Ave, Chicago, IL 60611',
  fromEmail: 'care@lakeshore.example',
};

function render(tp: TouchPoint, c: Customer, o: Order) {
  const step = playbook.steps.find((s) => s.key === tp.stepKey)!;
  return renderer.render(
    step.template,
    templateContext({
      customer: c,
      order: o,
      touchPoint: tp,
      step,
      business,
      links: { unsubscribe: `https://care.lakeshore.example/u/${encodeURIComponent(tp.id)}` },
      now: tp.dueAt,
      zone: ZONE,
    }),
  );
}

function customer(overrides: Partial<Customer> = {}): Customer {
  return aCustomer({
    id: 'cus_acme',
    email: 'ops@acme-tools.example',
    firstName: 'Maria',
    lastName: 'Okafor',
    phone: '+13125550142',
    timezone: ZONE,
    locale: 'en-US',
    segment: 'b2b',
    createdAt: DELIVERED - 10 * DAY,
    ...overrides,
  });
}

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 'ord_4411',
    customerId: 'cus_acme',
    number: '#4411',
    shippingAddress: null,
    placedAt: DELIVERED - 5 * DAY,
    currency: 'USD',
    total: 2_480,
    segment: 'b2b',
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    items: [{ sku: 'BENCH-2', productName: 'Workbench', category: 'workshop', quantity: 4, price: 620 }],
    shipments: [],
    moments: { placed: DELIVERED - 5 * DAY, shipped: DELIVERED - 3 * DAY, delivered: DELIVERED },
    attributes: {},
    sequence: 1,
    updatedAt: DELIVERED,
    ...overrides,
  };
}

const enrollment: Enrollment = {
  id: 'reassure:ord_4411',
  customerId: 'cus_acme',
  orderId: 'ord_4411',
  playbook: 'reassure',
  playbookVersion: 2,
  holdout: false,
  status: 'active',
  endedReason: null,
  enrolledAt: DELIVERED - 5 * DAY,
};

function planned(c: Customer, o: Order): Map<string, TouchPoint> {
  const plan = planTouchPoints({
    playbook,
    customer: c,
    order: o,
    enrollment: { ...enrollment, customerId: c.id, orderId: o.id },
    existing: [],
    now: DELIVERED,
    defaultTimezone: 'UTC',
  });
  return new Map(plan.insert.map((t) => [t.stepKey, t]));
}

function decideAt(tp: TouchPoint, now: Millis, c: Customer, o: Order): Decision {
  return decide(
    {
      now,
      touchPoint: { ...tp, status: 'claimed', attempt: 1 },
      step: playbook.steps.find((s) => s.key === tp.stepKey) ?? null,
      customer: c,
      order: o,
      enrollment,
      recentNonTransactional: [],
      recentSurveys: [],
      recentSteps: [],
      suppressed: false,
      playbook,
    },
    { ...DEFAULT_POLICY_CONFIG, defaultTimezone: 'UTC' },
  );
}

describe('silent-call', () => {
  test('planned for a B2B order at delivery + 10 days, 10:00 local; not for a small consumer order', () => {
    const tp = planned(customer(), order()).get('silent-call');
    assert.ok(tp);
    assert.equal(tp.channel, 'task:call');
    assert.equal(toLocalIso(tp.dueAt, ZONE), '2026-03-12T10:00:00.000-05:00');
    const small = order({ segment: 'b2c', total: 64, currency: 'EUR' });
    assert.equal(
      planned(customer({ segment: 'b2c', timezone: 'Europe/Madrid' }), small).has('silent-call'),
      false,
    );
    assert.ok(
      planned(customer({ segment: 'b2c' }), order({ segment: 'b2c', total: 740 })).has('silent-call'),
    );
  });

  test('the rep gets a call script that says why, how to reach them, and not to sell', () => {
    const tp = planned(customer(), order()).get('silent-call')!;
    const out = render(tp, customer(), order());
    assert.equal(out.title, 'Call Maria Okafor: no word since order #4411 arrived');
    assert.match(out.text, /Silent customers rarely complain: they just cancel/);
    assert.match(out.text, /delivered on March 2, 2026/);
    assert.match(out.text, /\+13125550142/);
    assert.match(out.text, /the person who uses it day to day/);
    assert.match(out.text, /Listen, do not sell/);
  });

  test('a customer who said nothing gets the call; one who answered before it was due does not', () => {
    const tp = planned(customer(), order()).get('silent-call')!;
    assert.deepEqual(decideAt(tp, tp.dueAt, customer(), order()), { kind: 'send' });
    const answered = customer({ engagedAt: DELIVERED + 4 * DAY, lastNps: 8 });
    assert.deepEqual(decideAt(tp, tp.dueAt, answered, order()), {
      kind: 'skip',
      reason: 'condition_not_met',
    });
    const engagedBefore = customer({ engagedAt: DELIVERED - 2 * DAY });
    assert.deepEqual(
      decideAt(tp, tp.dueAt, engagedBefore, order()),
      { kind: 'send' },
      'before delivery does not count',
    );
  });
});

describe('review-ask', () => {
  test('planned for everyone at delivery + 33 days (three days after the NPS question): the answer is not in yet', () => {
    const all = planned(customer({ segment: 'b2c' }), order({ segment: 'b2c', total: 89 }));
    const ask = all.get('review-ask');
    const nps = all.get('checkin-month');
    assert.ok(ask && nps);
    assert.equal(ask.dueAt - nps.dueAt, 3 * DAY);
    assert.equal(ask.purpose, 'offer');
    assert.ok(
      planned(customer({ openConcerns: 1 }), order()).has('review-ask'),
      'a concern may be solved by then',
    );
  });

  test('goes to a promoter with nothing open; a passive, a detractor or an open concern is skipped', () => {
    const tp = planned(customer(), order()).get('review-ask')!;
    assert.deepEqual(decideAt(tp, tp.dueAt, customer({ lastNps: 10 }), order()), { kind: 'send' });
    assert.deepEqual(decideAt(tp, tp.dueAt, customer({ lastNps: 9 }), order()), { kind: 'send' });
    for (const c of [customer({ lastNps: 8 }), customer({ lastNps: 3 }), customer({ lastNps: null })]) {
      assert.deepEqual(decideAt(tp, tp.dueAt, c, order()), { kind: 'skip', reason: 'condition_not_met' });
    }
    const unhappy = customer({ lastNps: 10, openConcerns: 1 });
    assert.deepEqual(decideAt(tp, tp.dueAt, unhappy, order()), {
      kind: 'skip',
      reason: 'concern_open',
      detail: '1 open concern',
    });
  });

  test('the e-mail thanks them, asks once, and carries the unsubscribe link and the postal address', () => {
    const tp = planned(customer(), order()).get('review-ask')!;
    const out = render(
      tp,
      customer({ lastNps: 10 }),
      order({ attributes: { review_url: 'https://reviews.example/lakeshore' } }),
    );
    assert.equal(out.subject, 'Thank you, Maria, that made our day');
    assert.match(out.text, /You told us you would recommend Lakeshore Supply/);
    assert.match(out.text, /Leave a short review: https:\/\/reviews\.example\/lakeshore/);
    assert.match(out.text, /we won't ask again/);
    assert.ok(out.text.includes('401 N Wabash Ave, Chicago, IL 60611'));
    assert.ok(out.text.includes('https://care.lakeshore.example/u/reassure%3Aord_4411%3Areview-ask'));
    const plain = render(tp, customer({ lastNps: 9 }), order());
    assert.match(
      plain.text,
      /Leave a short review: https:\/\/lakeshore\.example/,
      'the website without a review link',
    );
  });

  test('a promoter who switched offers off is not asked', () => {
    const tp = planned(customer(), order()).get('review-ask')!;
    const offersOff = customer({
      lastNps: 10,
      preferences: { topicsOff: ['offers'], channelsOff: [], pausedUntil: null },
    });
    assert.deepEqual(decideAt(tp, tp.dueAt, offersOff, order()), {
      kind: 'skip',
      reason: 'opted_out',
      detail: 'topic offers switched off',
    });
  });
});
