// The reassure playbook when the carrier reports a problem: each kind (late, damaged, lost, a
// failed attempt, returned to sender) gets its own message, status updates follow while the
// concern is open and nothing is delivered, and a revised promise re-times the steps. Through
// the real lifecycle, planner and send-time decision.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPlaybooks } from '../../src/app/playbooks.js';
import type { Customer, DomainEvent, Enrollment, Millis, Order, TouchPoint } from '../../src/core/domain.js';
import { applyEventToOrder, newOrder } from '../../src/core/lifecycle.js';
import { planTouchPoints } from '../../src/core/planner.js';
import { aCustomer } from '../../src/core/policy/fixtures.test-helpers.js';
import { decide, DEFAULT_POLICY_CONFIG } from '../../src/core/policy/decide.js';
import type { Playbook } from '../../src/core/playbook/types.js';
import type { BusinessInfo } from '../../src/core/business.js';
import { templateContext, type TemplateRenderer } from '../../src/templates/render.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONE = 'America/Chicago';
/** Monday 2026-06-01, 14:30 in Chicago. */
const PLACED = Date.UTC(2026, 5, 1, 19, 30);
const SHIPPED = PLACED + DAY;
const PROBLEM = SHIPPED + 2 * DAY;

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

const customer: Customer = aCustomer({ id: 'cus_maria', firstName: 'Maria', timezone: ZONE });

function event(
  id: string,
  type: DomainEvent['type'],
  at: Millis,
  data: Record<string, unknown> = {},
): DomainEvent {
  return { id, type, at, customerId: customer.id, orderId: 'shopify:820001', data };
}

/** A Shopify order #1042 for 89.00 USD: placed, shipped with UPS, then `events`. */
function orderAfter(...events: DomainEvent[]): Order {
  let order = newOrder(
    'shopify:820001',
    customer.id,
    { placedAt: PLACED, number: '#1042', total: 89, currency: 'USD' },
    {
      at: PLACED,
      segment: 'b2c',
    },
  );
  const history = [
    event('placed', 'order.placed', PLACED),
    event('shipped', 'shipment.shipped', SHIPPED, { carrier: 'UPS', tracking_number: '1Z999AA10123456784' }),
    ...events,
  ];
  for (const e of history) order = applyEventToOrder(order, e);
  return order;
}

const enrollment: Enrollment = {
  id: 'reassure:shopify:820001',
  customerId: customer.id,
  orderId: 'shopify:820001',
  playbook: 'reassure',
  playbookVersion: 3,
  holdout: false,
  status: 'active',
  endedReason: null,
  enrolledAt: PLACED,
};

function plan(order: Order, now: Millis, existing: TouchPoint[] = []) {
  return planTouchPoints({ playbook, customer, order, enrollment, existing, now, defaultTimezone: 'UTC' });
}

function planned(order: Order, now: Millis): Map<string, TouchPoint> {
  return new Map(plan(order, now).insert.map((t) => [t.stepKey, t]));
}

function subjectOf(tp: TouchPoint, order: Order): string {
  const step = playbook.steps.find((s) => s.key === tp.stepKey)!;
  return renderer.render(
    step.template,
    templateContext({
      customer,
      order,
      touchPoint: tp,
      step,
      business,
      links: {},
      now: tp.dueAt,
      zone: ZONE,
    }),
  ).subject;
}

const MESSAGES = [
  'delay-apology',
  'damaged-apology',
  'lost-apology',
  'delivery-attempt',
  'returned-to-sender',
];

describe('shipping exceptions in the reassure playbook', () => {
  test('each kind gets its own message, and only that one', () => {
    const cases: [DomainEvent, string, RegExp][] = [
      [
        event('late', 'shipment.delayed', PROBLEM, { reason: 'Weather delay' }),
        'delay-apology',
        /running late/,
      ],
      [
        event('dmg', 'shipment.delayed', PROBLEM, { reason: 'Package damaged in transit' }),
        'damaged-apology',
        /^Your order #1042 was damaged on the way/,
      ],
      [
        event('lost', 'shipment.exception', PROBLEM, { exception: 'lost' }),
        'lost-apology',
        /^Your order #1042 has been lost in transit/,
      ],
      [
        event('miss', 'shipment.exception', PROBLEM, { exception: 'failed_attempt' }),
        'delivery-attempt',
        /^UPS couldn't deliver your order #1042$/,
      ],
      [
        event('rts', 'shipment.exception', PROBLEM, { exception: 'returned_to_sender' }),
        'returned-to-sender',
        /^Your order #1042 is on its way back to us$/,
      ],
    ];
    for (const [e, expected, subject] of cases) {
      const order = orderAfter(e);
      const steps = planned(order, PROBLEM);
      assert.deepEqual(
        MESSAGES.filter((key) => steps.has(key)),
        [expected],
        `${String(e.data.exception ?? e.data.reason)} -> ${expected}`,
      );
      const tp = steps.get(expected)!;
      assert.equal(tp.dueAt, PROBLEM, 'right away');
      assert.match(subjectOf(tp, order), subject);
    }
  });

  test('status updates follow every few days while the concern is open, and stop on delivery or resolution', () => {
    const lost = event('lost', 'shipment.exception', PROBLEM, { exception: 'lost' });
    const order = orderAfter(lost);
    const steps = planned(order, PROBLEM);
    const updates = ['shipment-update-1', 'shipment-update-2', 'shipment-update-3'].map((k) => steps.get(k)!);
    assert.deepEqual(
      updates.map((tp) => Math.round((tp.dueAt - PROBLEM) / DAY)),
      [3, 7, 11],
    );
    const decideAt = (tp: TouchPoint, c: Customer, o: Order) =>
      decide(
        {
          now: tp.dueAt,
          touchPoint: { ...tp, status: 'claimed', attempt: 1 },
          recentSteps: [],
          step: playbook.steps.find((s) => s.key === tp.stepKey) ?? null,
          customer: c,
          order: o,
          enrollment,
          recentNonTransactional: [],
          recentSurveys: [],
          suppressed: false,
          playbook,
        },
        { ...DEFAULT_POLICY_CONFIG, defaultTimezone: 'UTC' },
      );
    // The listener opened the concern after intake: the update goes, saying what is being done.
    const worried = { ...customer, openConcerns: 1 };
    assert.deepEqual(decideAt(updates[0]!, worried, order), { kind: 'send' });
    assert.match(subjectOf(updates[0]!, order), /^An update on your order #1042$/);
    // Resolved: the next one is skipped.
    assert.deepEqual(decideAt(updates[1]!, customer, order), {
      kind: 'skip',
      reason: 'condition_not_met',
    });
    // Delivered after all: the planner cancels what is left.
    const delivered = orderAfter(lost, event('dlv', 'shipment.delivered', PROBLEM + 5 * DAY));
    const existing = updates.map((tp) => ({ ...tp }));
    const cancelled = plan(delivered, PROBLEM + 5 * DAY, existing).cancel.map((c) => c.id);
    assert.deepEqual(
      cancelled,
      existing.map((tp) => tp.id),
    );
  });

  test('a damaged parcel is not a late one: no delay moment, no apology for lateness', () => {
    const order = orderAfter(event('dmg', 'shipment.exception', PROBLEM, { exception: 'damaged' }));
    assert.equal(order.moments.delayed, undefined);
    assert.equal(order.moments.damaged, PROBLEM);
    assert.equal(order.moments.shipping_exception, PROBLEM);
    assert.equal(order.shipments[0]?.status, 'exception');
  });

  test("a delay's new promise date moves the promise and re-times the steps timed from it", () => {
    const promise = Date.UTC(2026, 5, 8, 23, 0);
    const before = orderAfter(
      event('eta', 'shipment.in_transit', SHIPPED + HOUR, {
        promisedDeliveryAt: new Date(promise).toISOString(),
      }),
    );
    assert.equal(before.moments.promised, promise);
    const first = planned(before, SHIPPED + HOUR);
    // No news by the promise plus a day's grace: the delay apology is planned for then.
    assert.equal(first.get('delay-apology')?.dueAt, promise + DAY);
    // The carrier's new date (AfterShip sends a bare date): the promise is the end of that day.
    const later = orderAfter(
      event('eta', 'shipment.in_transit', SHIPPED + HOUR, {
        promisedDeliveryAt: new Date(promise).toISOString(),
      }),
      event('eta2', 'shipment.in_transit', SHIPPED + 2 * HOUR, { expected_delivery: '2026-06-12' }),
    );
    const revised = Date.UTC(2026, 5, 12, 23, 59, 59, 999);
    assert.equal(later.moments.promised, revised);
    const moved = plan(later, SHIPPED + 2 * HOUR, [...first.values()]);
    assert.deepEqual(
      moved.reschedule.filter((r) => r.id.endsWith(':delay-apology')),
      [{ id: first.get('delay-apology')!.id, dueAt: revised + DAY }],
    );
  });
});
