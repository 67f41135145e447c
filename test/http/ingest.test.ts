// Orders and events in through the API: idempotent by the provider's id, whatever the order and
// however many copies arrive at once; invalid input answered 400 naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DAY, HOUR, T0, openTestApp, orderBody, type TestApp } from './harness.js';
import { seededRandom, shuffle } from './random.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

const iso = (at: number): string => new Date(at).toISOString();

function shipped(orderId: string, id = `${orderId}:shipped`) {
  return {
    id,
    type: 'shipment.shipped',
    at: iso(T0 + DAY),
    orderId,
    shipment: {
      carrier: 'DHL',
      trackingNumber: '00340434161094042557',
      trackingUrl: 'https://track.example/1',
    },
  };
}

function delivered(orderId: string) {
  return { id: `${orderId}:delivered`, type: 'shipment.delivered', at: iso(T0 + 3 * DAY), orderId };
}

async function stateOf(app: TestApp, customerEmail: string) {
  const customer = await app.store.reads.findCustomerByEmail(customerEmail);
  assert.ok(customer, 'the customer exists');
  const exported = await app.store.privacy.exportCustomer(customer.id);
  assert.ok(exported);
  return exported;
}

describe('POST /api/v1/orders and /api/v1/events', () => {
  test('an order sent 1-5 times in parallel, with its events out of order, makes one order and one plan', async () => {
    const random = seededRandom(42);
    for (let round = 0; round < 8; round++) {
      const orderId = `par-${round}`;
      const email = `buyer${round}@example.com`;
      const requests = [
        { url: '/api/v1/orders', payload: orderBody(orderId, { customer: { email, firstName: 'Sam' } }) },
        // The shipment names the customer, so it may create the order if it overtakes it.
        { url: '/api/v1/events', payload: { ...shipped(orderId), customer: { email } } },
        { url: '/api/v1/events', payload: { ...delivered(orderId), customer: { email } } },
      ].flatMap((request) => Array.from({ length: 1 + Math.floor(random() * 5) }, () => request));
      const answers = await Promise.all(
        shuffle(requests, random).map((request) => t.call({ method: 'POST', ...request })),
      );
      for (const answer of answers) assert.ok([200, 201].includes(answer.statusCode), answer.body);
      const created = answers.filter((a) => a.statusCode === 201).length;
      assert.equal(created, 3, 'each fact applied exactly once');

      const held = await stateOf(t, email);
      assert.deepEqual(
        held.orders.map((o) => o.id),
        [orderId],
      );
      assert.deepEqual(
        held.enrollments.map((e) => e.id),
        [`reassure:${orderId}`],
      );
      const keys = held.touchPoints.map((tp) => tp.stepKey);
      assert.equal(new Set(keys).size, keys.length, `a step planned twice: ${keys.join(', ')}`);
      const { placed, delivered: deliveredAt } = held.orders[0]!.moments;
      assert.deepEqual([placed, deliveredAt], [T0, T0 + 3 * DAY]);
      assert.equal(held.events.length, 3);
    }
  });

  test('the same plan as one sequential, in-order delivery', async () => {
    const reference = await openTestApp();
    try {
      const email = 'seq@example.com';
      for (const [url, payload] of [
        ['/api/v1/orders', orderBody('seq-1', { customer: { email } })],
        ['/api/v1/events', shipped('seq-1')],
        ['/api/v1/events', delivered('seq-1')],
      ] as const) {
        assert.equal((await reference.call({ method: 'POST', url, payload })).statusCode, 201);
      }
      const random = seededRandom(7);
      const requests = [
        ['/api/v1/orders', orderBody('seq-1', { customer: { email } })],
        ['/api/v1/events', { ...shipped('seq-1'), customer: { email } }],
        ['/api/v1/events', { ...delivered('seq-1'), customer: { email } }],
      ].flatMap((request) => [request, request, request]);
      await Promise.all(
        shuffle(requests, random).map(([url, payload]) =>
          t.call({ method: 'POST', url: url as string, payload }),
        ),
      );
      const plan = (held: Awaited<ReturnType<typeof stateOf>>) =>
        held.touchPoints
          .filter((tp) => tp.status === 'scheduled')
          .map((tp) => [tp.stepKey, tp.dueAt])
          .sort();
      assert.deepEqual(plan(await stateOf(t, email)), plan(await stateOf(reference, email)));
    } finally {
      await reference.close();
    }
  });

  test('answers: 201 applied, 200 already seen, ids and counts only', async () => {
    const first = await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('ans-1') });
    assert.equal(first.statusCode, 201);
    const [result] = first.json().results;
    assert.deepEqual(Object.keys(result).sort(), [
      'cancelled',
      'customerId',
      'id',
      'orderId',
      'planned',
      'reason',
      'status',
    ]);
    assert.equal(result.status, 'accepted');
    assert.ok(result.planned >= 1);
    assert.equal(first.body.includes('ada'), false, 'no personal data in the answer');
    const again = await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('ans-1') });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().results[0].status, 'duplicate');
    assert.ok(t.wakeUps >= 1, 'the dispatcher was woken');
  });

  test('a batch of events is applied in order, with a status per event', async () => {
    await t.call({ method: 'POST', url: '/api/v1/orders', payload: orderBody('batch-1') });
    const response = await t.call({
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        events: [
          shipped('batch-1'),
          shipped('batch-1'),
          { id: 'b-delay', type: 'shipment.delayed', at: iso(T0 + 2 * DAY), orderId: 'batch-1' },
          { id: 'b-unknown', type: 'shipment.delivered', at: iso(T0 + 2 * DAY), orderId: 'nobody-knows' },
          {
            id: 'b-survey',
            type: 'survey.answered',
            at: iso(T0 + 5 * DAY),
            orderId: 'batch-1',
            data: { survey: 'csat', score: 5, comment: 'lovely' },
          },
        ],
      },
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(
      response
        .json<{ results: { id: string; status: string; reason: string | null }[] }>()
        .results.map((r) => [r.id, r.status, r.reason]),
      [
        ['batch-1:shipped', 'accepted', null],
        ['batch-1:shipped', 'duplicate', null],
        ['b-delay', 'accepted', null],
        ['b-unknown', 'rejected', 'unknown_order'],
        ['b-survey', 'accepted', null],
      ],
    );
  });

  test('one event about an order nobody knows, with nobody named: 404 naming orderId', async () => {
    const response = await t.call({ method: 'POST', url: '/api/v1/events', payload: delivered('ghost') });
    assert.equal(response.statusCode, 404);
    assert.deepEqual(response.json().error.details, {
      in: 'body',
      field: 'orderId',
      reason: 'unknown_order',
    });
  });

  test('invalid input: 400, the field named, nothing stored', async () => {
    const cases: [unknown, string][] = [
      [{ ...orderBody('v1'), placedAt: '2026-06-01 12:00' }, 'placedAt'],
      [{ ...orderBody('v1'), placedAt: '2026-06-01T12:00:00' }, 'placedAt'],
      [{ ...orderBody('v1'), id: '' }, 'id'],
      [{ ...orderBody('v1'), id: 42 }, 'id'],
      [{ ...orderBody('v1'), customer: { firstName: 'Nobody' } }, 'customer.email'],
      [{ ...orderBody('v1'), customer: { email: 'not an address' } }, 'customer.email'],
      [
        { ...orderBody('v1'), customer: { email: 'a@b.example', timezone: 'Mars/Olympus' } },
        'customer.timezone',
      ],
      [{ ...orderBody('v1'), items: [{ sku: 'x', quantity: 0 }] }, 'items[0].quantity'],
      [{ ...orderBody('v1'), items: [{ sku: 'x', quantity: 1, colour: 'red' }] }, 'items[0].colour'],
      [{ ...orderBody('v1'), currency: 'euro' }, 'currency'],
      [{ ...orderBody('v1'), total: -1 }, 'total'],
      [
        { ...orderBody('v1'), attributes: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } } },
        'attributes',
      ],
      [{ ...orderBody('v1'), surprise: true }, 'surprise'],
      [[orderBody('v1')], '(body)'],
      [null, '(body)'],
    ];
    for (const [payload, field] of cases) {
      const response = await t.call({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(payload),
      });
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      const error = response.json<{ error: { code: string; message: string; details: { field: string } } }>()
        .error;
      assert.equal(error.code, 'AFTERCARE_E_INPUT_INVALID');
      assert.equal(error.details.field, field, response.body);
      assert.ok(error.message.startsWith(field), error.message);
    }
    const events: [unknown, string][] = [
      [{ id: 'e', type: 'order.exploded', at: iso(T0), orderId: 'o' }, 'type'],
      [{ id: 'e', type: 'shipment.shipped', at: iso(T0) }, 'orderId'],
      [{ id: 'e', type: 'reply.received', at: iso(T0) }, 'customerId'],
      [
        { id: 'e', type: 'survey.answered', at: iso(T0), customerId: 'c', data: { score: 'great' } },
        'data.score',
      ],
      [
        { id: 'e', type: 'survey.answered', at: iso(T0), customerId: 'c', data: { score: 3, survey: 'x' } },
        'data.survey',
      ],
      [{ id: 'e', type: 'order.updated', at: iso(T0), orderId: 'o', order: { total: 3 } }, 'order.placedAt'],
      [
        {
          id: 'e',
          type: 'shipment.shipped',
          at: iso(T0),
          orderId: 'o',
          shipment: { trackingUrl: 'javascript:alert(1)' },
        },
        'shipment.trackingUrl',
      ],
      [{ events: [] }, 'events'],
      [
        { events: [{ id: 'e', type: 'shipment.shipped', at: iso(T0), orderId: 'o' }, { id: 'f' }] },
        'events[1].type',
      ],
      [
        {
          events: Array.from({ length: 501 }, (_, i) => ({
            id: `e${i}`,
            type: 'order.cancelled',
            at: iso(T0),
            orderId: 'o',
          })),
        },
        'events',
      ],
    ];
    for (const [payload, field] of events) {
      const response = await t.call({ method: 'POST', url: '/api/v1/events', payload: payload as object });
      assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
      assert.equal(response.json().error.details.field, field, response.body);
    }
    assert.equal(await t.store.reads.getOrder('v1'), null);
  });

  test('malformed JSON, an empty body and an unknown content type are 400s that repeat nothing', async () => {
    const secret = 'ada.lovelace@example.com';
    for (const [payload, type] of [
      [`{"id": "x", "email": "${secret}"`, 'application/json'],
      ['', 'application/json'],
      ['{"__proto__": {"admin": true}}', 'application/json'],
      [`<order email="${secret}"/>`, 'application/xml'],
    ] as const) {
      const response = await t.call({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { 'content-type': type },
        payload,
      });
      assert.equal(response.statusCode, 400, `${type} ${payload}: ${response.body}`);
      assert.equal(response.json().error.code, 'AFTERCARE_E_INPUT_INVALID');
      assert.equal(response.body.includes(secret), false);
    }
  });

  test('an order keeps the number its customer knows and its shipping address, and shows both', async () => {
    const address = {
      name: 'Ada Lovelace',
      line1: '12 St James Square',
      line2: 'Flat 3',
      city: 'London',
      postalCode: 'SW1Y 4JH',
      country: 'GB',
    };
    const response = await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody('num-1', { number: '#1042', shippingAddress: address }),
    });
    assert.equal(response.statusCode, 201, response.body);
    const order = (await t.call({ method: 'GET', url: '/api/v1/orders/num-1' })).json();
    assert.equal(order.number, '#1042');
    assert.deepEqual(order.shippingAddress, { company: null, region: null, phone: null, ...address });
    const bad = await t.call({
      method: 'POST',
      url: '/api/v1/events',
      payload: {
        id: 'x-1',
        type: 'shipment.exception',
        at: iso(T0),
        orderId: 'num-1',
        data: { exception: 'stolen' },
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.details.field, 'data.exception', bad.body);
  });

  test('times are kept as given, in UTC, whatever the offset they were sent with', async () => {
    const response = await t.call({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody('tz-1', {
        placedAt: '2026-06-01T14:00:00+02:00',
        promisedDeliveryAt: '2026-06-04T00:00:00Z',
      }),
    });
    assert.equal(response.statusCode, 201);
    const order = await t.call({ method: 'GET', url: '/api/v1/orders/tz-1' });
    assert.equal(order.json().placedAt, iso(T0));
    assert.equal(order.json().moments.promised, '2026-06-04T00:00:00.000Z');
    assert.equal(order.json().moments.placed, iso(T0));
    void HOUR;
  });
});
