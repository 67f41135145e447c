import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Customer, Order } from '../domain.js';
import {
  CONDITION_FIELDS,
  conditionFacts,
  conditionFactsFor,
  conditionFields,
  evaluateCondition,
  evaluateKnown,
  isConditionField,
  SEND_TIME_FIELDS,
} from './conditions.js';
import { MOMENTS } from '../domain.js';
import { parseCondition } from './conditionSyntax.js';
import type { Condition } from './types.js';

const T0 = Date.UTC(2026, 2, 1);

const customer: Customer = {
  id: 'c1',
  email: 'Ana@Example.COM',
  firstName: 'Ana',
  lastName: 'Silva',
  phone: null,
  timezone: 'Europe/Lisbon',
  locale: 'pt-PT',
  segment: 'b2c',
  holdout: false,
  temperature: 42,
  openConcerns: 1,
  temperatureReasons: [],
  awaitingPersonSince: null,
  lastNps: null,
  engagedAt: null,
  preferences: { topicsOff: [], channelsOff: [], pausedUntil: null },
  unsubscribedAt: null,
  emailBouncedAt: null,
  attributes: { tier: 'gold', seats: '12' },
  orderCount: 1,
  lastOrderId: null,
  createdAt: T0,
};

const order: Order = {
  id: 'o1',
  customerId: 'c1',
  number: null,
  shippingAddress: null,
  placedAt: T0,
  currency: 'EUR',
  total: 640,
  segment: 'b2b',
  kind: 'goods',
  renewalPeriod: null,
  renewalCycle: 1,
  items: [
    { sku: 'CH-1', productName: 'Chair', category: 'chairs', quantity: 2, price: 300 },
    { sku: 'L-1', productName: 'Lamp', category: 'lighting', quantity: 1, price: 40 },
    { sku: null, productName: 'Gift card', category: null, quantity: 1, price: 0 },
  ],
  shipments: [],
  moments: { placed: T0, delivered: T0 + 86_400_000 },
  attributes: { channel: 'web', first_order: true },
  sequence: 1,
  updatedAt: T0,
};

const facts = conditionFacts(customer, order, T0);

/** The YAML spelling, parsed as the playbook parser does. */
function when(raw: unknown): Condition {
  const { condition, issues } = parseCondition(raw);
  assert.deepEqual(issues, []);
  assert.ok(condition);
  return condition;
}

const holds = (raw: unknown): boolean => evaluateCondition(when(raw), facts);

describe('conditionFacts', () => {
  test('flattens what conditions can test', () => {
    assert.equal(facts['segment'], 'b2b');
    assert.equal(facts['order.total'], 640);
    assert.equal(facts['order.currency'], 'EUR');
    assert.equal(facts['order.item_count'], 4);
    assert.deepEqual(facts['order.categories'], ['chairs', 'lighting']);
    assert.deepEqual(facts['order.skus'], ['CH-1', 'L-1']);
    assert.equal(facts['order.attributes.channel'], 'web');
    assert.equal(facts['customer.attributes.tier'], 'gold');
    assert.equal(facts['customer.email_domain'], 'example.com');
    assert.equal(facts['customer.locale'], 'pt-PT');
    assert.equal(facts['temperature'], 42);
    assert.equal(facts['concern_open'], true);
    assert.equal(facts['holdout'], false);
    assert.equal(facts['moments.delivered'], T0 + 86_400_000);
    assert.equal('moments.shipped' in facts, false);
  });

  test('a first order is told from a repeat purchase, and the customer’s orders are counted', () => {
    const first = conditionFacts({ ...customer, orderCount: 1 }, { ...order, sequence: 1 }, T0);
    assert.equal(first['order.first'], true);
    assert.equal(first['order.sequence'], 1);
    assert.equal(first['customer.order_count'], 1);
    // The same customer's third order, and their first order seen once the third has arrived.
    const third = conditionFacts({ ...customer, orderCount: 3 }, { ...order, sequence: 3 }, T0);
    assert.equal(third['order.first'], false);
    assert.equal(third['customer.order_count'], 3);
    const onlyFirst = when({ 'order.first': true });
    assert.equal(evaluateCondition(onlyFirst, first), true);
    assert.equal(evaluateCondition(onlyFirst, third), false);
    assert.equal(evaluateCondition(when({ 'customer.order_count': { gte: 2 } }), third), true);
    assert.equal(
      evaluateCondition(
        onlyFirst,
        conditionFacts({ ...customer, orderCount: 3 }, { ...order, sequence: 1 }, T0),
      ),
      true,
    );
  });

  test('a customer without e-mail has no domain', () => {
    const f = conditionFacts({ ...customer, email: null }, order, T0);
    assert.equal(f['customer.email_domain'], null);
  });

  test('conditionFactsFor gives each asked field exactly what conditionFacts gives', () => {
    const fields = [
      ...CONDITION_FIELDS,
      ...MOMENTS.map((m) => `moments.${m}`),
      'moments.someday',
      'order.attributes.channel',
      'order.attributes.first_order',
      'order.attributes.gone',
      'order.attributes.toString',
      'order.attributes.',
      'customer.attributes.tier',
      'customer.attributes.seats',
      'customer.attributes.nope',
      'customer.attributes.constructor',
      'unknown.field',
    ];
    const cases: [Customer, Order][] = [
      [customer, order],
      [
        { ...customer, email: null, attributes: {} },
        { ...order, items: [], moments: { placed: T0 } },
      ],
      [
        { ...customer, email: 'no-at-sign', attributes: { '': 1, gone: undefined } },
        { ...order, attributes: { '': 'empty', gone: undefined, 'a.b': 2 } },
      ],
    ];
    for (const [c, o] of cases) {
      const all = conditionFacts(c, o, T0);
      const some = conditionFactsFor([...fields, 'order.attributes.a.b'], c, o, T0);
      for (const field of [...fields, 'order.attributes.a.b']) {
        assert.equal(field in some, field in all, field);
        assert.deepEqual(some[field], all[field], field);
      }
      assert.equal(Object.getPrototypeOf(some), null);
    }
  });

  test('conditionFields lists every field a condition tests', () => {
    const condition = when({
      any: [
        { segment: 'b2b' },
        { not: { 'order.total': { gte: 500 } } },
        { all: [{ segment: 'b2c' }, { temperature: { lt: 40 } }] },
      ],
    });
    assert.deepEqual([...conditionFields(condition)].sort(), ['order.total', 'segment', 'temperature']);
  });
});

describe('evaluateCondition', () => {
  test('a map is "all of"; scalars mean eq', () => {
    assert.equal(holds({ segment: 'b2b', 'order.currency': 'EUR' }), true);
    assert.equal(holds({ segment: 'b2b', 'order.currency': 'USD' }), false);
  });

  test('any, all and not nest', () => {
    assert.equal(holds({ any: [{ segment: 'b2c' }, { 'order.total': { gte: 500 } }] }), true);
    assert.equal(holds({ not: { any: [{ segment: 'b2c' }, { 'order.total': { gte: 500 } }] } }), false);
    assert.equal(holds({ all: [{ segment: 'b2b' }, { not: { concern_open: true } }] }), false);
    assert.equal(holds({ segment: 'b2b', any: [{ temperature: { lt: 30 } }, { holdout: false }] }), true);
  });

  test('comparison operators', () => {
    assert.equal(holds({ 'order.total': { gt: 640 } }), false);
    assert.equal(holds({ 'order.total': { gte: 640 } }), true);
    assert.equal(holds({ 'order.total': { lt: 641, gt: 639 } }), true);
    assert.equal(holds({ 'order.total': { lte: 639 } }), false);
    assert.equal(holds({ 'order.total': { ne: 640 } }), false);
    assert.equal(holds({ 'order.currency': { in: ['EUR', 'GBP'] } }), true);
    assert.equal(holds({ 'order.currency': { not_in: ['EUR', 'GBP'] } }), false);
  });

  test('numeric strings compare as numbers; strings compare as strings', () => {
    assert.equal(holds({ 'customer.attributes.seats': { gte: 10 } }), true);
    assert.equal(holds({ 'customer.locale': { gte: 'pt' } }), true);
    assert.equal(holds({ 'customer.attributes.tier': { gt: 5 } }), false);
  });

  test('lists: contains, and in means any overlap', () => {
    assert.equal(holds({ 'order.categories': { contains: 'chairs' } }), true);
    assert.equal(holds({ 'order.categories': { contains: 'desks' } }), false);
    assert.equal(holds({ 'order.skus': { in: ['X', 'L-1'] } }), true);
    assert.equal(holds({ 'order.skus': { not_in: ['X', 'L-1'] } }), false);
    assert.equal(holds({ 'customer.email_domain': { contains: 'example' } }), true);
  });

  test('missing fields fail comparisons, pass negations, and answer exists', () => {
    assert.equal(holds({ 'order.attributes.coupon': 'X' }), false);
    assert.equal(holds({ 'order.attributes.coupon': { gt: 0 } }), false);
    assert.equal(holds({ 'order.attributes.coupon': { ne: 'X' } }), true);
    assert.equal(holds({ 'order.attributes.coupon': { not_in: ['X'] } }), true);
    assert.equal(holds({ 'order.attributes.coupon': { contains: 'X' } }), false);
    assert.equal(holds({ 'order.attributes.coupon': null }), true);
    assert.equal(holds({ 'order.attributes.coupon': { exists: false } }), true);
    assert.equal(holds({ 'moments.delivered': { exists: true } }), true);
    assert.equal(holds({ 'moments.returned': { exists: true } }), false);
    assert.equal(holds({ 'order.attributes.first_order': true }), true);
  });
});

describe('what the listener learns: last NPS and engagement since delivery', () => {
  const delivered = T0 + 86_400_000;
  const promoter = when({ 'customer.last_nps': { gte: 9 }, concern_open: false });
  const silent = when({
    all: [
      { any: [{ segment: 'b2b' }, { 'order.total': { gte: 500 } }] },
      { 'customer.engaged_since_delivery': false },
    ],
  });
  const factsOf = (c: Partial<Customer>, o: Partial<Order> = {}) =>
    conditionFacts({ ...customer, ...c }, { ...order, ...o }, T0);

  test('a promoter with nothing open gets the review ask; a passive, a detractor or an open concern does not', () => {
    assert.equal(evaluateCondition(promoter, factsOf({ lastNps: 9, openConcerns: 0 })), true);
    assert.equal(evaluateCondition(promoter, factsOf({ lastNps: 10, openConcerns: 0 })), true);
    assert.equal(evaluateCondition(promoter, factsOf({ lastNps: 8, openConcerns: 0 })), false);
    assert.equal(evaluateCondition(promoter, factsOf({ lastNps: 10, openConcerns: 1 })), false);
    assert.equal(
      evaluateCondition(promoter, factsOf({ lastNps: null, openConcerns: 0 })),
      false,
      'never asked',
    );
  });

  test('engaged since delivery: anything they did at or after the delivery counts, not before', () => {
    assert.equal(factsOf({ engagedAt: null })['customer.engaged_since_delivery'], false);
    assert.equal(factsOf({ engagedAt: delivered - 1 })['customer.engaged_since_delivery'], false);
    assert.equal(factsOf({ engagedAt: delivered })['customer.engaged_since_delivery'], true);
    assert.equal(
      factsOf({}, { moments: { placed: T0 } })['customer.engaged_since_delivery'],
      null,
      'not delivered',
    );
  });

  test('a silent B2B or large order gets the call; one who answered does not; a small B2C order never', () => {
    assert.equal(evaluateCondition(silent, factsOf({ engagedAt: null })), true);
    assert.equal(evaluateCondition(silent, factsOf({ engagedAt: delivered + 3 * 86_400_000 })), false);
    const smallB2c = { segment: 'b2c' as const, total: 49 };
    assert.equal(evaluateCondition(silent, factsOf({ engagedAt: null }, smallB2c)), false);
    assert.equal(
      evaluateCondition(silent, factsOf({ engagedAt: null }, { segment: 'b2c', total: 500 })),
      true,
    );
  });

  test('when planning, listening fields are unknown: the rest decides, or it is left to send time', () => {
    const planning = (c: Condition, f: Record<string, unknown>) => evaluateKnown(c, f, SEND_TIME_FIELDS);
    assert.equal(planning(promoter, factsOf({ lastNps: null, openConcerns: 0 })), null);
    assert.equal(
      planning(promoter, factsOf({ lastNps: 10, openConcerns: 1 })),
      null,
      'the listener opens and resolves concerns after planning: send time decides',
    );
    assert.equal(planning(silent, factsOf({}, { segment: 'b2c', total: 49 })), false, 'small B2C decides');
    assert.equal(planning(silent, factsOf({})), null);
    assert.equal(planning(when({ not: { 'customer.last_nps': { lt: 7 } } }), facts), null);
    assert.equal(planning(when({ any: [{ segment: 'b2b' }, { 'customer.last_nps': 10 }] }), facts), true);
    assert.equal(
      planning(when({ segment: 'b2b' }), facts),
      evaluateCondition(when({ segment: 'b2b' }), facts),
    );
  });
});

describe('condition syntax', () => {
  test('knows its fields', () => {
    assert.equal(isConditionField('order.total'), true);
    assert.equal(isConditionField('order.attributes.anything'), true);
    assert.equal(isConditionField('order.attributes.'), false);
    assert.equal(isConditionField('moments.delivered'), true);
    assert.equal(isConditionField('moments.arrived'), false);
    assert.equal(isConditionField('order.totl'), false);
  });

  test('reports every problem with its path', () => {
    const { condition, issues } = parseCondition(
      {
        'order.totl': 5,
        'order.total': { between: [1, 2], in: 3 },
        any: [],
        not: 'b2b',
        'order.skus': ['a'],
        'moments.delivered': { exists: 'yes' },
      },
      ['when'],
    );
    assert.equal(condition, null);
    assert.deepEqual(
      issues.map((i) => i.path.join('/')),
      [
        'when/order.totl',
        'when/order.total/between',
        'when/order.total/in',
        'when/any',
        'when/not',
        'when/order.skus',
        'when/moments.delivered/exists',
      ],
    );
    assert.match(issues[0]!.message, /unknown condition field "order.totl"/);
    assert.match(issues[1]!.message, /unknown operator "between"/);
    assert.match(issues[5]!.message, /\{ in: \[\.\.\.\] \}/);
  });
});
