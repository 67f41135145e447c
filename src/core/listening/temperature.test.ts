import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { EventType, Millis, Order, StoredEvent, TouchPoint } from '../domain.js';
import { temperatureOf, type TemperatureHistory } from './temperature.js';
import type { Concern } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Tuesday 2026-03-03 09:30 UTC. */
const PLACED = Date.UTC(2026, 2, 3, 9, 30);

function ev(type: EventType, at: Millis, data: Record<string, unknown> = {}, orderId = 'ord_1'): StoredEvent {
  return { id: `${type}@${at}`, customerId: 'cus_1', orderId, type, at, data, receivedAt: at };
}

function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 'ord_1',
    customerId: 'cus_1',
    number: null,
    shippingAddress: null,
    placedAt: PLACED,
    currency: 'EUR',
    total: 89,
    segment: 'b2c',
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    items: [{ sku: 'KET-1', productName: 'Kettle', category: 'kitchen', quantity: 1, price: 89 }],
    shipments: [],
    moments: { placed: PLACED },
    attributes: {},
    sequence: 1,
    updatedAt: PLACED,
    ...overrides,
  };
}

function sent(stepKey: string, at: Millis, channel: TouchPoint['channel'] = 'email'): TouchPoint {
  return {
    id: `enr_1:${stepKey}`,
    enrollmentId: 'enr_1',
    customerId: 'cus_1',
    orderId: 'ord_1',
    playbook: 'reassure',
    playbookVersion: 1,
    stepKey,
    channel,
    purpose: 'reassurance',
    holdout: false,
    dueAt: at,
    status: 'sent',
    attempt: 1,
    leaseUntil: null,
    reason: null,
    outcomeAt: at,
    createdAt: PLACED,
  };
}

function concern(overrides: Partial<Concern> = {}): Concern {
  return {
    id: 'con_1',
    customerId: 'cus_1',
    orderId: 'ord_1',
    source: 'reply',
    severity: 'high',
    summary: 'the kettle leaks',
    status: 'open',
    level: 0,
    owner: 'rep',
    openedAt: PLACED + 6 * DAY,
    acknowledgedAt: null,
    resolvedAt: null,
    resolution: null,
    escalations: [],
    nextEscalationAt: null,
    sourceEventId: 'reply.received@1',
    ...overrides,
  };
}

function history(overrides: Partial<TemperatureHistory>): TemperatureHistory {
  return { events: [], touchPoints: [], concerns: [], orders: [order()], ...overrides };
}

function sumOf(reasons: { delta: number }[]): number {
  return reasons.reduce((s, r) => s + r.delta, 0);
}

describe('temperatureOf: three customers', () => {
  test('a happy promoter: on time, answered 10, wrote back warmly', () => {
    const delivered = PLACED + 2 * DAY;
    const h = history({
      orders: [order({ moments: { placed: PLACED, promised: PLACED + 4 * DAY, delivered } })],
      events: [
        ev('shipment.delivered', delivered),
        ev('survey.answered', delivered + 3 * DAY, { survey: 'nps', score: 10, touchPointId: 'enr_1:nps' }),
        ev('reply.received', delivered + 3 * DAY + HOUR, { sentiment: 'positive', text: 'Love it!' }),
      ],
      touchPoints: [sent('delivered_check', delivered + DAY), sent('nps', delivered + 3 * DAY)],
    });
    const reading = temperatureOf(h, delivered + 20 * DAY);
    assert.deepEqual(
      reading.reasons.map((r) => [r.delta, r.why]),
      [
        [10, 'gave 10 out of 10 when asked whether they would recommend us (a promoter)'],
        [5, 'answers when we write'],
        [5, 'wrote back warmly'],
      ],
    );
    assert.equal(reading.temperature, 70);
  });

  test('late, damaged and returned: cold, every blow named', () => {
    const promised = PLACED + 4 * DAY;
    const delivered = promised + 3 * DAY + 2 * HOUR;
    const returned = delivered + 5 * DAY;
    const h = history({
      orders: [
        order({ moments: { placed: PLACED, promised, delayed: promised + DAY, delivered, returned } }),
      ],
      events: [
        ev('shipment.delayed', promised + DAY, { reason: 'carrier backlog' }),
        ev('shipment.delivered', delivered),
        ev('survey.answered', delivered + DAY, { survey: 'csat', score: 1, touchPointId: 'enr_1:csat' }),
        ev('order.returned', returned, { reason: 'arrived damaged' }),
      ],
      concerns: [
        concern({
          source: 'survey',
          severity: 'high',
          summary: 'CSAT 1: arrived damaged',
          openedAt: delivered + DAY,
          status: 'resolved',
          resolvedAt: delivered + DAY + 5 * HOUR,
          resolution: 'refund sent',
        }),
      ],
    });
    const reading = temperatureOf(h, returned + DAY);
    assert.deepEqual(
      reading.reasons.map((r) => [r.delta, r.why]),
      [
        [-15, 'shipment 3 days late'],
        [-20, 'rated their satisfaction 1 out of 5'],
        [5, 'answers when we write'],
        [-15, 'raised a concern: CSAT 1: arrived damaged'],
        [10, 'concern resolved within a day (in 5 hours): CSAT 1: arrived damaged'],
        [-20, 'parcel arrived damaged'],
        [-10, 'returned the order: arrived damaged'],
      ],
    );
    assert.equal(sumOf(reading.reasons), -65);
    assert.equal(reading.temperature, 0, 'clamped at 0; the reasons still add up to -65');
  });

  test('a silent B2B customer: delivered, written to three times, no word back', () => {
    const delivered = PLACED + 3 * DAY;
    const h = history({
      orders: [
        order({
          segment: 'b2b',
          total: 14_800,
          currency: 'USD',
          moments: { placed: PLACED, promised: delivered, delivered },
        }),
      ],
      events: [ev('shipment.delivered', delivered)],
      touchPoints: [
        sent('shipped', PLACED + DAY),
        sent('delivered_check', delivered + DAY),
        sent('tips', delivered + 5 * DAY),
      ],
    });
    assert.deepEqual(temperatureOf(h, delivered + 6 * DAY).reasons, [], 'a week has not passed yet');
    const reading = temperatureOf(h, delivered + 12 * DAY);
    assert.deepEqual(reading.reasons, [
      { delta: -5, why: 'no answer in 12 days since delivery (3 messages sent)', at: delivered + 7 * DAY },
    ]);
    assert.equal(reading.temperature, 45);
  });
});

describe('temperatureOf: rules', () => {
  test('the latest answer to a survey replaces the earlier one', () => {
    const h = history({
      events: [
        ev('survey.answered', PLACED + DAY, { survey: 'nps', score: 3, touchPointId: 'tp' }),
        ev('survey.answered', PLACED + DAY + HOUR, { survey: 'nps', score: 9, touchPointId: 'tp' }),
      ],
    });
    const deltas = temperatureOf(h, PLACED + 2 * DAY).reasons.map((r) => r.delta);
    assert.deepEqual(deltas, [5, 10]);
  });

  test('events after now do not count yet', () => {
    const h = history({ events: [ev('reply.received', PLACED + DAY, { sentiment: 'negative' })] });
    assert.equal(temperatureOf(h, PLACED).temperature, 50);
    assert.equal(temperatureOf(h, PLACED + DAY).temperature, 45, '-10 unhappy, +5 engaged');
  });

  test('lateness is capped, and a shipment still out shows as not delivered yet', () => {
    const promised = PLACED + 3 * DAY;
    const h = history({
      orders: [order({ moments: { placed: PLACED, promised } })],
      events: [ev('shipment.delayed', promised + 2 * HOUR, { status: 'exception' })],
    });
    assert.deepEqual(temperatureOf(h, promised + 2 * DAY).reasons[0], {
      delta: -10,
      why: 'shipment 2 days late and not delivered yet',
      at: promised + 2 * HOUR,
    });
    assert.equal(temperatureOf(h, promised + 9 * DAY).reasons[0]?.delta, -20);
  });

  test('past the promise without a delay report, nothing is held against us yet', () => {
    const h = history({ orders: [order({ moments: { placed: PLACED, promised: PLACED + 3 * DAY } })] });
    assert.deepEqual(temperatureOf(h, PLACED + 5 * DAY).reasons, []);
  });

  test('a lost parcel, named once, and a delay with no promise', () => {
    const h = history({
      events: [
        ev('shipment.delayed', PLACED + 2 * DAY, { reason: 'weather' }),
        ev('shipment.delayed', PLACED + 6 * DAY, { lost: true }),
      ],
    });
    const reasons = temperatureOf(h, PLACED + 7 * DAY).reasons.map((r) => [r.delta, r.why]);
    assert.deepEqual(reasons, [
      [-5, 'shipment delayed'],
      [-25, 'parcel lost in transit'],
    ]);
  });

  test('an open concern costs by severity; slow resolution gives back less', () => {
    const open = history({ concerns: [concern({ severity: 'critical' })] });
    assert.equal(temperatureOf(open, PLACED + 7 * DAY).temperature, 30);
    const slow = history({
      concerns: [concern({ severity: 'medium', status: 'resolved', resolvedAt: PLACED + 11 * DAY })],
    });
    const reasons = temperatureOf(slow, PLACED + 12 * DAY).reasons;
    assert.deepEqual(
      reasons.map((r) => [r.delta, r.why]),
      [
        [-10, 'raised a concern: the kettle leaks'],
        [3, 'concern resolved slowly (in 5 days): the kettle leaks'],
      ],
    );
  });

  test('with several orders, order-bound reasons name their order as the customer knows it', () => {
    const h = history({
      orders: [order(), order({ id: 'ord_2', number: '#1043', placedAt: PLACED + DAY })],
      events: [ev('order.cancelled', PLACED + 2 * DAY, { reason: 'ordered twice' }, 'ord_2')],
    });
    assert.equal(
      temperatureOf(h, PLACED + 3 * DAY).reasons[0]?.why,
      'cancelled the order (order #1043): ordered twice',
    );
    // Without a number, the day it was placed: never the internal id.
    const unnumbered = history({
      orders: [order(), order({ id: 'ord_2', placedAt: PLACED + DAY })],
      events: [ev('order.cancelled', PLACED + 2 * DAY, { reason: 'ordered twice' }, 'ord_2')],
    });
    const why = temperatureOf(unnumbered, PLACED + 3 * DAY).reasons[0]?.why ?? '';
    assert.match(why, /^cancelled the order \(order of \d{4}-\d{2}-\d{2}\): ordered twice$/);
  });

  test('old reasons count half after three months and drop out after a year', () => {
    const h = history({ events: [ev('order.returned', PLACED, { reason: 'wrong size' })] });
    assert.equal(temperatureOf(h, PLACED + 30 * DAY).temperature, 40);
    assert.deepEqual(temperatureOf(h, PLACED + 100 * DAY).reasons, [
      { delta: -5, why: 'returned the order: wrong size (over 3 months ago, counts half)', at: PLACED },
    ]);
    assert.equal(temperatureOf(h, PLACED + 400 * DAY).temperature, 50);
  });

  test('engagement since delivery keeps silence away; deltas always add up', () => {
    const delivered = PLACED + 2 * DAY;
    const h = history({
      orders: [order({ moments: { placed: PLACED, delivered } })],
      events: [ev('customer.preferences_changed', delivered + DAY, { topicsOff: ['offers'] })],
      touchPoints: [sent('tips', delivered + DAY)],
    });
    const reading = temperatureOf(h, delivered + 30 * DAY);
    assert.deepEqual(
      reading.reasons.map((r) => r.why),
      ['answers when we write'],
    );
    assert.equal(reading.temperature, 50 + sumOf(reading.reasons));
  });
});
