import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureJson } from '../../../test/fixtures/webhooks/fixtures.js';
import type { Mapped } from '../../integrations/mapping.js';
import { mapStandard } from './standardBody.js';

const field = (mapped: Mapped) => (mapped.kind === 'invalid' ? mapped.field : mapped.kind);

describe('standard webhooks body', () => {
  test('the envelope around an API event -> the domain event, id from webhook-id', () => {
    const mapped = mapStandard('msg_2fP9kQ', fixtureJson('standard-order-placed'));
    assert.equal(mapped.kind, 'events', JSON.stringify(mapped));
    const event = mapped.kind === 'events' ? mapped.events[0] : undefined;
    assert.equal(event?.id, 'msg_2fP9kQ');
    assert.equal(event?.type, 'order.placed');
    assert.equal(event?.orderId, 'ERP-2026-004711');
    assert.equal(event?.customerId, 'crm-88412');
    assert.equal(event?.at, Date.parse('2026-06-01T07:15:00Z'));
    assert.equal(event?.customer?.timezone, 'Asia/Tokyo');
    assert.equal(event?.customer?.segment, 'b2b');
    assert.equal(event?.order?.total, 4820.5);
    assert.equal(event?.order?.promisedDeliveryAt, Date.parse('2026-06-09T09:00:00Z'));
    assert.deepEqual(event?.order?.items?.[1], {
      sku: 'GRD-C40',
      productName: 'Conical Burr Grinder C40',
      category: 'grinders',
      quantity: 1,
      price: 422.5,
    });
    assert.deepEqual(event?.data, { channel: 'sales-rep', sales_rep: 'dana.schmidt' });
  });

  test('a shipment event needs the order id and what is known about the parcel', () => {
    const mapped = mapStandard('msg_1', {
      type: 'shipment.shipped',
      timestamp: '2026-06-02T10:00:00Z',
      data: { orderId: 'ERP-2026-004711', shipment: { carrier: 'DHL', trackingNumber: 'JD0002' } },
    });
    const event = mapped.kind === 'events' ? mapped.events[0] : undefined;
    assert.equal(event?.order?.shipment?.carrier, 'DHL');
    assert.equal(
      field(mapStandard('m', { type: 'shipment.shipped', timestamp: '2026-06-02T10:00:00Z', data: {} })),
      'data.orderId',
    );
  });

  test('wrong types and unknown fields name the field; unknown event types are ignored', () => {
    const body = fixtureJson('standard-order-placed');
    body.data.order.items[0].quantity = 'two';
    assert.equal(field(mapStandard('m', body)), 'data.order.items[0].quantity');
    const typo = fixtureJson('standard-order-placed');
    typo.data.order.totl = 5;
    assert.equal(field(mapStandard('m', typo)), 'data.order.totl');
    const badTime = fixtureJson('standard-order-placed');
    badTime.timestamp = '2026-06-01 09:15';
    assert.equal(field(mapStandard('m', badTime)), 'timestamp');
    assert.equal(field(mapStandard('m', { type: 'order.placed' })), 'timestamp');
    assert.equal(field(mapStandard('m', 'hello')), '(body)');
    const withId = fixtureJson('standard-order-placed');
    withId.data.id = 'other';
    assert.equal(field(mapStandard('m', withId)), 'data');
    const unknown = fixtureJson('standard-order-placed');
    unknown.type = 'invoice.created';
    assert.equal(mapStandard('m', unknown).kind, 'ignored');
  });
});
