// The reassure playbook for every kind of sale: a yearly B2B software subscription that never
// ships, monthly plans that renew again and again, and large orders in several currencies.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlaybooks } from '../../src/app/playbooks.js';
import type { BusinessInfo } from '../../src/core/business.js';
import type {
  Customer,
  DomainEvent,
  Enrollment,
  EventType,
  Order,
  TouchPoint,
} from '../../src/core/domain.js';
import { applyEventToOrder, newOrder } from '../../src/core/lifecycle.js';
import type { CurrencyRates } from '../../src/core/money.js';
import { planTouchPoints } from '../../src/core/planner.js';
import { aCustomer } from '../../src/core/policy/fixtures.test-helpers.js';
import type { Playbook } from '../../src/core/playbook/types.js';
import { baseStepKey } from '../../src/core/renewalCycle.js';
import type { TemplateRenderer } from '../../src/templates/render.js';
import { templateContext } from '../../src/templates/render.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'Europe/Lisbon';
/** Tuesday 2026-03-03 15:10 in Lisbon. */
const PLACED = Date.UTC(2026, 2, 3, 15, 10);
const EURO: CurrencyRates = { base: 'EUR', rates: { USD: 0.92, GBP: 1.17, JPY: 0.0061 } };

let playbook: Playbook;
let renderer: TemplateRenderer;
before(async () => {
  const loaded = await loadPlaybooks(['reassure']);
  playbook = loaded.playbooks[0]!;
  renderer = loaded.renderer;
});

const business: BusinessInfo = {
  name: 'Tejo Cloud',
  website: 'https://tejo.example',
  supportEmail: 'help@tejo.example',
  supportPhone: null,
  escalationName: 'Rita Sousa',
  escalationEmail: 'rita@tejo.example',
  postalAddress: 'Tejo Cloud Lda., Rua Augusta 10, 1100-053 Lisboa',
  fromEmail: 'care@tejo.example',
};

let seq = 0;
function ev(type: EventType, at: number, extra: Partial<DomainEvent> = {}): DomainEvent {
  seq += 1;
  return { id: `e${seq}`, type, at, customerId: 'cus_1', orderId: 'SO-2207', data: {}, ...extra };
}

function sale(input: Partial<NonNullable<DomainEvent['order']>>, segment: Customer['segment']): Order {
  const event = ev('order.placed', PLACED, {
    order: { placedAt: PLACED, currency: 'EUR', total: 120, segment, ...input },
  });
  return applyEventToOrder(newOrder('SO-2207', 'cus_1', event.order, { at: PLACED, segment }), event);
}

function customer(segment: Customer['segment']): Customer {
  return aCustomer({
    id: 'cus_1',
    email: 'joana@alfama-studio.example',
    firstName: 'Joana',
    lastName: 'Reis',
    timezone: ZONE,
    locale: 'en-GB',
    segment,
    createdAt: PLACED,
  });
}

const enrollment: Enrollment = {
  id: 'reassure:SO-2207',
  customerId: 'cus_1',
  orderId: 'SO-2207',
  playbook: 'reassure',
  playbookVersion: 3,
  holdout: false,
  status: 'active',
  endedReason: null,
  enrolledAt: PLACED,
};

function planFor(
  order: Order,
  now: number,
  existing: TouchPoint[] = [],
  segment: Customer['segment'] = 'b2c',
) {
  return planTouchPoints({
    playbook,
    customer: customer(segment),
    order,
    enrollment,
    existing,
    now,
    defaultTimezone: ZONE,
    currency: EURO,
  });
}

function render(tp: TouchPoint, o: Order, segment: Customer['segment']) {
  const step = playbook.steps.find((s) => s.key === baseStepKey(tp.stepKey))!;
  return renderer.render(
    step.template,
    templateContext({
      customer: customer(segment),
      order: o,
      touchPoint: tp,
      step,
      business,
      links: { unsubscribe: `https://care.tejo.example/u/${encodeURIComponent(tp.id)}` },
      now: tp.dueAt,
      zone: ZONE,
    }),
  );
}

describe('reassure: services and software', () => {
  test('an annual B2B software subscription is followed from its start, and its thank-you promises no parcel', () => {
    const order = sale(
      {
        currency: 'USD',
        total: 4800,
        kind: 'software',
        renewalPeriod: 'annual',
        renewalAt: PLACED + 365 * DAY,
      },
      'b2b',
    );
    const placed = planFor(order, PLACED, [], 'b2b');
    const thankYou = placed.insert.find((tp) => tp.stepKey === 'thank-you')!;
    const { subject, text: body } = render(thankYou, order, 'b2b');
    assert.match(subject, /Thank you for choosing Tejo Cloud/);
    assert.doesNotMatch(body, /ships|tracking|parcel|arrives/i);
    assert.match(body, /setting up your access/);
    assert.match(body, /renews on/);

    const started = applyEventToOrder(order, ev('order.started', PLACED + 2 * HOUR));
    const after = planFor(started, PLACED + 2 * HOUR, placed.insert, 'b2b');
    const keys = after.insert.map((tp) => tp.stepKey);
    for (const key of ['arrival-call', 'thank-you-gift', 'checkin-week', 'month-call', 'checkup-meeting'])
      assert.ok(keys.includes(key), `${key} follows the start`);
    const call = after.insert.find((tp) => tp.stepKey === 'arrival-call')!;
    const script = render(call, started, 'b2b');
    assert.match(script.title, /got off to a good start/);
    assert.doesNotMatch(script.text, /undamaged/);
  });

  test('goods still promise the tracking link', () => {
    const order = sale({ total: 89, kind: 'goods' }, 'b2c');
    const thankYou = planFor(order, PLACED).insert.find((tp) => tp.stepKey === 'thank-you')!;
    assert.match(render(thankYou, order, 'b2c').text, /The moment it ships, we'll email you a tracking link/);
  });
});

describe('reassure: monthly renewals', () => {
  test('no heads-up at checkout; every cycle gets its formal notice', () => {
    const renewal = Date.UTC(2026, 3, 3, 14, 10);
    let order = sale({ total: 29, kind: 'software', renewalPeriod: 'monthly', renewalAt: renewal }, 'b2c');
    const first = planFor(order, PLACED);
    const thankYou = first.insert.find((tp) => tp.stepKey === 'thank-you')!;
    for (const tp of first.insert.filter((t) => t.stepKey.startsWith('renewal') && t.status === 'scheduled'))
      assert.ok(tp.dueAt > thankYou.dueAt + DAY, `${tp.stepKey} comes well after the thank-you`);
    assert.equal(first.insert.find((tp) => tp.stepKey === 'renewal-notice')?.status, 'scheduled');

    let existing = first.insert.map((tp) => ({ ...tp, status: 'sent' as const, outcomeAt: tp.dueAt }));
    const notices: string[] = [];
    for (let cycle = 2; cycle <= 4; cycle++) {
      const at = order.moments.renewal!;
      order = applyEventToOrder(order, ev('order.renewed', at));
      assert.equal(order.renewalCycle, cycle);
      const next = planFor(order, at, existing);
      const notice = next.insert.find((tp) => tp.stepKey === `renewal-notice.${cycle}`);
      assert.equal(notice?.status, 'scheduled', `cycle ${cycle}`);
      notices.push(new Date(notice.dueAt).toISOString().slice(0, 10));
      existing = [
        ...existing,
        ...next.insert.map((tp) => ({ ...tp, status: 'sent' as const, outcomeAt: tp.dueAt })),
      ];
    }
    assert.deepEqual(notices, ['2026-04-26', '2026-05-27', '2026-06-26']);
  });
});

describe('reassure: large orders in several currencies', () => {
  const large = (o: Order) => {
    const keys = planFor(
      applyEventToOrder(o, ev('shipment.delivered', PLACED + 3 * DAY)),
      PLACED + 3 * DAY,
    ).insert.map((tp) => tp.stepKey);
    return ['thank-you-letter', 'thank-you-gift', 'arrival-call'].filter((k) => keys.includes(k));
  };

  test('a JPY 12,450 order is not "500 or more"; JPY 98,000 is', () => {
    assert.deepEqual(large(sale({ currency: 'JPY', total: 12_450 }, 'b2c')), []);
    assert.deepEqual(large(sale({ currency: 'JPY', total: 98_000 }, 'b2c')), [
      'thank-you-letter',
      'thank-you-gift',
      'arrival-call',
    ]);
  });

  test('pounds and dollars convert; a currency without a rate is never large', () => {
    assert.equal(large(sale({ currency: 'GBP', total: 450 }, 'b2c')).length, 3);
    assert.equal(large(sale({ currency: 'USD', total: 500 }, 'b2c')).length, 0);
    assert.equal(large(sale({ currency: 'CHF', total: 9000 }, 'b2c')).length, 0);
  });
});
