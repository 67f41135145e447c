// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent, EventType, Order } from './domain.js';
import type { Playbook } from './playbook/types.js';
import {
  applyEventToOrder,
  effectiveMoments,
  hasArrived,
  newOrder,
  programExit,
  toMillis,
} from './lifecycle.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 12, 0); // Monday 2 March 2026, 12:00 UTC

const playbook: Playbook = {
  name: 'test',
  version: 1,
  description: null,
  exitOn: ['returned', 'cancelled'],
  returnWindowMs: 30 * DAY,
  delayGraceMs: DAY,
  staleAfterMs: 3 * DAY,
  steps: [],
  source: 'test',
};

let seq = 0;
function ev(type: EventType, at: number, extra: Partial<DomainEvent> = {}): DomainEvent {
  seq += 1;
  return { id: `e${seq}`, type, at, customerId: 'c1', orderId: 'o1', data: {}, ...extra };
}

function placed(): Order {
  const event = ev('order.placed', T0, {
    order: {
      placedAt: T0,
      currency: 'EUR',
      total: 129.9,
      items: [{ sku: 'S1', productName: 'Kettle', category: 'kitchen', quantity: 1, price: 129.9 }],
      promisedDeliveryAt: T0 + 3 * DAY,
    },
  });
  return applyEventToOrder(newOrder('o1', 'c1', event.order, { at: T0, segment: 'b2c' }), event);
}

describe('applyEventToOrder', () => {
  test('order.placed fills the order and the placed and promised moments', () => {
    const order = placed();
    assert.equal(order.currency, 'EUR');
    assert.equal(order.total, 129.9);
    assert.equal(order.items.length, 1);
    assert.deepEqual(order.moments, { placed: T0, promised: T0 + 3 * DAY });
  });

  test('order.updated merges what it carries and keeps the rest', () => {
    const order = applyEventToOrder(
      placed(),
      ev('order.updated', T0 + HOUR, {
        order: {
          placedAt: T0,
          promisedDeliveryAt: T0 + 5 * DAY,
          renewalAt: T0 + 365 * DAY,
          attributes: { gift: true },
        },
      }),
    );
    assert.equal(order.total, 129.9);
    assert.equal(order.items.length, 1);
    assert.equal(order.moments.promised, T0 + 5 * DAY);
    assert.equal(order.moments.renewal, T0 + 365 * DAY);
    assert.deepEqual(order.attributes, { gift: true });
    assert.equal(order.updatedAt, T0 + HOUR);
  });

  test('does not change the order it was given', () => {
    const before = placed();
    const copy = structuredClone(before);
    applyEventToOrder(before, ev('shipment.shipped', T0 + DAY, { data: { carrier: 'DHL' } }));
    assert.deepEqual(before, copy);
  });

  test('shipment.shipped records the shipment and the first shipped moment', () => {
    let order = applyEventToOrder(
      placed(),
      ev('shipment.shipped', T0 + DAY, {
        order: {
          placedAt: T0,
          shipment: { id: 'A', carrier: 'DHL', trackingNumber: '123', trackingUrl: 'https://t/123' },
        },
      }),
    );
    assert.equal(order.moments.shipped, T0 + DAY);
    assert.deepEqual(order.shipments, [
      {
        id: 'A',
        carrier: 'DHL',
        trackingNumber: '123',
        trackingUrl: 'https://t/123',
        shippedAt: T0 + DAY,
        deliveredAt: null,
        status: 'in_transit',
      },
    ]);
    order = applyEventToOrder(order, ev('shipment.shipped', T0 + 2 * DAY, { data: { shipment_id: 'B' } }));
    assert.equal(order.moments.shipped, T0 + DAY, 'the first shipment wins');
    assert.equal(order.shipments.length, 2);
  });

  test('tracking details may come in data', () => {
    const order = applyEventToOrder(
      placed(),
      ev('shipment.shipped', T0 + DAY, {
        data: { carrier: 'UPS', tracking_number: 'Z9', tracking_url: 'https://u/z9' },
      }),
    );
    assert.equal(order.shipments[0]?.id, 'default');
    assert.equal(order.shipments[0]?.carrier, 'UPS');
    assert.equal(order.shipments[0]?.trackingNumber, 'Z9');
    assert.equal(order.shipments[0]?.trackingUrl, 'https://u/z9');
  });

  test('in_transit, out_for_delivery and delayed update the shipment and moments', () => {
    let order = applyEventToOrder(placed(), ev('shipment.shipped', T0 + DAY));
    order = applyEventToOrder(order, ev('shipment.delayed', T0 + 2 * DAY));
    assert.equal(order.shipments[0]?.status, 'delayed');
    assert.equal(order.moments.delayed, T0 + 2 * DAY);
    order = applyEventToOrder(order, ev('shipment.in_transit', T0 + 3 * DAY));
    assert.equal(order.shipments[0]?.status, 'in_transit');
    order = applyEventToOrder(order, ev('shipment.out_for_delivery', T0 + 4 * DAY));
    assert.equal(order.shipments[0]?.status, 'out_for_delivery');
    assert.equal(order.moments.out_for_delivery, T0 + 4 * DAY);
    assert.equal(order.moments.delayed, T0 + 2 * DAY);
  });

  test('a late carrier event never moves a shipment backwards', () => {
    let order = applyEventToOrder(placed(), ev('shipment.delivered', T0 + 3 * DAY));
    order = applyEventToOrder(order, ev('shipment.in_transit', T0 + 2 * DAY));
    assert.equal(order.shipments[0]?.status, 'delivered');
    assert.equal(order.moments.delivered, T0 + 3 * DAY);
  });

  test('delivered with several shipments: the moment waits for the last one', () => {
    let order = applyEventToOrder(placed(), ev('shipment.shipped', T0 + DAY, { data: { shipment_id: 'A' } }));
    order = applyEventToOrder(order, ev('shipment.shipped', T0 + DAY, { data: { shipment_id: 'B' } }));
    order = applyEventToOrder(order, ev('shipment.delivered', T0 + 2 * DAY, { data: { shipment_id: 'A' } }));
    assert.equal(order.moments.delivered, undefined);
    assert.equal(order.shipments.find((s) => s.id === 'A')?.status, 'delivered');
    order = applyEventToOrder(order, ev('shipment.delivered', T0 + 4 * DAY, { data: { shipment_id: 'B' } }));
    assert.equal(order.moments.delivered, T0 + 4 * DAY);
    assert.equal(order.shipments.find((s) => s.id === 'B')?.deliveredAt, T0 + 4 * DAY);
  });

  test('delivered without a shipment id delivers the whole order', () => {
    let order = applyEventToOrder(placed(), ev('shipment.shipped', T0 + DAY, { data: { shipment_id: 'A' } }));
    order = applyEventToOrder(order, ev('shipment.shipped', T0 + DAY, { data: { shipment_id: 'B' } }));
    order = applyEventToOrder(order, ev('shipment.delivered', T0 + 2 * DAY));
    assert.equal(order.moments.delivered, T0 + 2 * DAY);
    assert.ok(order.shipments.every((s) => s.status === 'delivered'));
  });

  test('returned and cancelled set their moments; the first report wins', () => {
    let order = applyEventToOrder(placed(), ev('order.returned', T0 + 10 * DAY));
    order = applyEventToOrder(order, ev('order.returned', T0 + 11 * DAY));
    assert.equal(order.moments.returned, T0 + 10 * DAY);
    order = applyEventToOrder(placed(), ev('order.cancelled', T0 + HOUR));
    assert.equal(order.moments.cancelled, T0 + HOUR);
  });

  test('order.renewed moves the renewal to next_renewal_at (ISO or ms)', () => {
    let order = applyEventToOrder(
      placed(),
      ev('order.renewed', T0 + DAY, { data: { next_renewal_at: '2027-03-02T12:00:00Z' } }),
    );
    assert.equal(order.moments.renewal, Date.UTC(2027, 2, 2, 12));
    order = applyEventToOrder(
      order,
      ev('order.renewed', T0 + 2 * DAY, { data: { next_renewal_at: T0 + 400 * DAY } }),
    );
    assert.equal(order.moments.renewal, T0 + 400 * DAY);
    order = applyEventToOrder(
      order,
      ev('order.renewed', T0 + 3 * DAY, { data: { next_renewal_at: 'soon' } }),
    );
    assert.equal(order.moments.renewal, T0 + 400 * DAY, 'an unreadable date changes nothing');
  });

  test('customer events leave the order as it is', () => {
    const order = placed();
    assert.equal(applyEventToOrder(order, ev('survey.answered', T0 + DAY, { data: { score: 5 } })), order);
  });

  test('applying the same event twice gives the same order', () => {
    const events = [
      ev('order.updated', T0 + HOUR, { order: { placedAt: T0, promisedDeliveryAt: T0 + 4 * DAY } }),
      ev('shipment.shipped', T0 + DAY, { order: { placedAt: T0, shipment: { id: 'A', carrier: 'DHL' } } }),
      ev('shipment.delayed', T0 + 2 * DAY, { data: { shipment_id: 'A' } }),
      ev('shipment.out_for_delivery', T0 + 3 * DAY),
      ev('shipment.delivered', T0 + 3 * DAY, { data: { shipment_id: 'A' } }),
      ev('order.returned', T0 + 9 * DAY),
      ev('order.renewed', T0 + 9 * DAY, { data: { next_renewal_at: T0 + 300 * DAY } }),
    ];
    let order = placed();
    for (const event of events) {
      const once = applyEventToOrder(order, event);
      assert.deepEqual(applyEventToOrder(once, event), once, event.type);
      order = once;
    }
  });
});

describe('effectiveMoments', () => {
  test('adds the end of the return window after delivery', () => {
    const order = applyEventToOrder(placed(), ev('shipment.delivered', T0 + 2 * DAY));
    const moments = effectiveMoments(order, playbook);
    assert.equal(moments.return_window_closed, T0 + 32 * DAY);
    assert.equal(moments.delayed, undefined);
  });

  test('derives a delay from the promise while nothing is delivered', () => {
    const moments = effectiveMoments(placed(), playbook);
    assert.equal(moments.delayed, T0 + 4 * DAY);
    assert.equal(moments.return_window_closed, undefined);
  });

  test('a reported delay wins over the derived one', () => {
    const order = applyEventToOrder(placed(), ev('shipment.delayed', T0 + DAY));
    assert.equal(effectiveMoments(order, playbook).delayed, T0 + DAY);
  });

  test('does not store the derived moments', () => {
    const order = placed();
    effectiveMoments(order, playbook);
    assert.equal(order.moments.delayed, undefined);
  });
});

describe('hasArrived and programExit', () => {
  test('a forecast counts only once its time has come; a fact at once', () => {
    const order = applyEventToOrder(placed(), ev('order.returned', T0 + 10 * DAY));
    const moments = effectiveMoments(order, playbook);
    assert.equal(hasArrived('delayed', order, moments, T0 + DAY), false);
    assert.equal(hasArrived('delayed', order, moments, T0 + 4 * DAY), true);
    assert.equal(
      hasArrived('returned', order, moments, T0),
      true,
      'reported facts count whatever their time',
    );
    assert.equal(hasArrived('delivered', order, moments, T0 + 99 * DAY), false);
  });

  test('the earliest exit moment ends the program', () => {
    assert.equal(programExit(placed(), playbook, T0), null);
    let order = applyEventToOrder(placed(), ev('order.returned', T0 + 10 * DAY));
    order = applyEventToOrder(order, ev('order.cancelled', T0 + 5 * DAY));
    assert.equal(programExit(order, playbook, T0 + 11 * DAY), 'cancelled');
  });
});

test('toMillis reads numbers and ISO strings only', () => {
  assert.equal(toMillis(5), 5);
  assert.equal(toMillis('1970-01-01T00:00:01Z'), 1000);
  assert.equal(toMillis('nope'), null);
  assert.equal(toMillis(null), null);
  assert.equal(toMillis(Number.NaN), null);
});

describe('an implausible first report is corrected by a later plausible one', () => {
  const YEAR_9999 = Date.UTC(9999, 0, 1);

  test('a delivery dated 9999 (stored before times were checked) gives way to the real one', () => {
    const order = placed();
    const frozen = { ...order, moments: { ...order.moments, delivered: YEAR_9999 } };
    const now = T0 + 3 * DAY;
    const corrected = applyEventToOrder(frozen, ev('shipment.delivered', T0 + 2 * DAY), now);
    assert.equal(corrected.moments.delivered, T0 + 2 * DAY);
    // Without a clock, or when the first report is plausible, the first report still wins.
    assert.equal(
      applyEventToOrder(frozen, ev('shipment.delivered', T0 + 2 * DAY)).moments.delivered,
      YEAR_9999,
    );
    const plausible = applyEventToOrder(order, ev('shipment.delivered', T0 + DAY), now);
    assert.equal(
      applyEventToOrder(plausible, ev('shipment.delivered', T0 + 2 * DAY), now).moments.delivered,
      T0 + DAY,
    );
  });

  test('a shipment delivered before the order was placed is corrected, in the shipment too', () => {
    const order = placed();
    const now = T0 + 5 * DAY;
    const early = applyEventToOrder(order, ev('shipment.delivered', Date.UTC(2001, 0, 1)), now);
    assert.equal(early.moments.delivered, Date.UTC(2001, 0, 1));
    const fixed = applyEventToOrder(early, ev('shipment.delivered', T0 + 4 * DAY), now);
    assert.equal(fixed.moments.delivered, T0 + 4 * DAY);
    assert.deepEqual(
      fixed.shipments.map((s) => s.deliveredAt),
      [T0 + 4 * DAY],
    );
    // An implausible correction does not replace a plausible report.
    const again = applyEventToOrder(fixed, ev('shipment.delivered', YEAR_9999), now);
    assert.equal(again.moments.delivered, T0 + 4 * DAY);
  });
});
