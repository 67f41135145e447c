import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, fixtureJson } from '../../../test/fixtures/webhooks/fixtures.js';
import type { DomainEvent } from '../../core/domain.js';
import type { Mapped } from '../mapping.js';
import { mapShopify, shopifyDelivery } from './map.js';
import { signShopify, verifyShopify } from './signature.js';

const SECRET = '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';

function eventsOf(mapped: Mapped): DomainEvent[] {
  assert.equal(mapped.kind, 'events', JSON.stringify(mapped));
  return mapped.kind === 'events' ? mapped.events : [];
}

const delivery = (topic: string, webhookId = 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043') => ({
  topic,
  webhookId,
});

describe('shopify mapping', () => {
  test('orders/create -> order.placed with customer, items, total, currency and the zone of the shipping address', () => {
    const [event] = eventsOf(mapShopify(delivery('orders/create'), fixtureJson('shopify-orders-create')));
    assert.ok(event);
    assert.equal(event.id, 'shopify:b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    assert.equal(event.type, 'order.placed');
    assert.equal(event.orderId, 'shopify:5940139491234');
    assert.equal(event.at, Date.parse('2026-06-01T14:30:00Z'));
    assert.deepEqual(event.customer, {
      contactSource: 'account',
      customerId: null,
      email: 'jane.cooper@example.com',
      firstName: 'Jane',
      lastName: 'Cooper',
      phone: '+12065550142',
      timezone: 'America/Los_Angeles',
      locale: 'en-US',
      segment: null,
      attributes: { shopify_customer_id: '7012345678901' },
    });
    assert.equal(event.order?.total, 161.67);
    assert.equal(event.order?.currency, 'USD');
    assert.deepEqual(event.order?.items, [
      { sku: 'LAMP-WAL-WW', productName: 'Walnut Desk Lamp', category: null, quantity: 1, price: 119 },
      { sku: 'SHADE-LIN', productName: 'Linen Bulb Shade', category: null, quantity: 2, price: 15 },
    ]);
    assert.equal(event.order?.attributes?.shopify_order_name, '#1042');
    assert.equal(event.order?.kind, null, 'a lamp ships');
  });

  test('an order none of whose lines requires shipping is a service', () => {
    const body = fixtureJson('shopify-orders-create');
    for (const line of body.line_items) line.requires_shipping = false;
    const [event] = eventsOf(mapShopify(delivery('orders/create'), body));
    assert.equal(event?.order?.kind, 'service');
    body.line_items[0].requires_shipping = true;
    const [mixed] = eventsOf(mapShopify(delivery('orders/create'), body));
    assert.equal(mixed?.order?.kind, null);
  });

  test('orders/create keeps the order number the customer sees and the shipping address', () => {
    const [event] = eventsOf(mapShopify(delivery('orders/create'), fixtureJson('shopify-orders-create')));
    assert.equal(event?.order?.number, '#1042');
    assert.deepEqual(event?.order?.shippingAddress, {
      name: 'Jane Cooper',
      company: null,
      line1: '410 Terry Ave N',
      line2: 'Apt 5',
      city: 'Seattle',
      region: 'WA',
      postalCode: '98109',
      country: 'US',
      phone: '+1 206-555-0142',
    });
    // A shop that renamed its numbers still gets one: `#` and Shopify's order_number.
    const unnamed = fixtureJson('shopify-orders-create');
    delete unnamed.name;
    delete unnamed.shipping_address;
    const [bare] = eventsOf(mapShopify(delivery('orders/create'), unnamed));
    assert.equal(bare?.order?.number, '#1042');
    assert.equal(bare?.order?.shippingAddress, null);
  });

  test('a B2B order (company set) is segment b2b; a guest without email keeps the Shopify customer id', () => {
    const body = fixtureJson('shopify-orders-create');
    body.company = { id: 98765, location_id: 43210 };
    body.email = null;
    body.contact_email = null;
    body.customer.email = null;
    const [event] = eventsOf(mapShopify(delivery('orders/create'), body));
    assert.equal(event?.customer?.segment, 'b2b');
    assert.equal(event?.order?.segment, 'b2b');
    assert.equal(event?.customer?.customerId, 'shopify:7012345678901');
  });

  test('fulfillments/create -> shipment.shipped with carrier, tracking number and link', () => {
    const [event, ...rest] = eventsOf(
      mapShopify(delivery('fulfillments/create'), fixtureJson('shopify-fulfillments-create')),
    );
    assert.equal(rest.length, 0);
    assert.equal(event?.type, 'shipment.shipped');
    assert.equal(event?.orderId, 'shopify:5940139491234');
    assert.equal(event?.at, Date.parse('2026-06-02T18:05:11Z'));
    assert.deepEqual(event?.data, {
      source: 'shopify',
      shipment_id: 'shopify:5123456789012',
      carrier: 'UPS',
      tracking_number: '1Z999AA10123456784',
      tracking_url: 'https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=1Z999AA10123456784',
      shipment_status: null,
    });
  });

  test('fulfillments/update with shipment_status delivered -> shipment.delivered at the update', () => {
    const [event] = eventsOf(
      mapShopify(delivery('fulfillments/update'), fixtureJson('shopify-fulfillments-update-delivered')),
    );
    assert.equal(event?.type, 'shipment.delivered');
    assert.equal(event?.at, Date.parse('2026-06-05T18:42:37Z'));
  });

  test('each carrier status maps to its shipment event', () => {
    const expected: Record<string, string> = {
      in_transit: 'shipment.in_transit',
      out_for_delivery: 'shipment.out_for_delivery',
      attempted_delivery: 'shipment.exception',
      failure: 'shipment.delayed',
      ready_for_pickup: 'shipment.out_for_delivery',
      delivered: 'shipment.delivered',
      label_printed: 'shipment.shipped',
    };
    for (const [status, type] of Object.entries(expected)) {
      const body = fixtureJson('shopify-fulfillments-create');
      body.shipment_status = status;
      const [event] = eventsOf(mapShopify(delivery('fulfillments/update'), body));
      assert.equal(event?.type, type, status);
    }
  });

  test('a fulfillment created already in transit is shipped first, then in transit', () => {
    const body = fixtureJson('shopify-fulfillments-create');
    body.shipment_status = 'in_transit';
    const events = eventsOf(mapShopify(delivery('fulfillments/create', 'w1'), body));
    assert.deepEqual(
      events.map((e) => [e.id, e.type]),
      [
        ['shopify:w1', 'shipment.shipped'],
        ['shopify:w1:shipment.in_transit', 'shipment.in_transit'],
      ],
    );
  });

  test('a cancelled fulfillment is ignored', () => {
    const body = fixtureJson('shopify-fulfillments-create');
    body.status = 'cancelled';
    assert.equal(mapShopify(delivery('fulfillments/update'), body).kind, 'ignored');
  });

  test('orders/fulfilled -> shipment events per fulfillment, carrying the order so a missed order is created', () => {
    const events = eventsOf(
      mapShopify(delivery('orders/fulfilled', 'w2'), fixtureJson('shopify-orders-fulfilled')),
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['shipment.shipped', 'shipment.in_transit'],
    );
    assert.equal(events[0]?.id, 'shopify:w2:5123456789012');
    assert.equal(events[0]?.customer?.email, 'jane.cooper@example.com');
    assert.equal(events[0]?.order?.total, 161.67);
  });

  test('orders/cancelled -> order.cancelled at cancelled_at with the reason', () => {
    const [event] = eventsOf(
      mapShopify(delivery('orders/cancelled'), fixtureJson('shopify-orders-cancelled')),
    );
    assert.equal(event?.type, 'order.cancelled');
    assert.equal(event?.at, Date.parse('2026-06-01T16:03:19Z'));
    assert.equal(event?.data.reason, 'customer');
    assert.equal(event?.customer, undefined, 'no customer: an unknown order is rejected, not created');
  });

  test('refunds/create with line items -> order.returned; a shipping-only refund is ignored', () => {
    const [event] = eventsOf(mapShopify(delivery('refunds/create'), fixtureJson('shopify-refunds-create')));
    assert.equal(event?.type, 'order.returned');
    assert.equal(event?.orderId, 'shopify:5940139491234');
    assert.deepEqual(event?.data.items, [
      { sku: 'LAMP-WAL-WW', product_name: 'Walnut Desk Lamp', quantity: 1, restock_type: 'return' },
    ]);
    const shippingOnly = mapShopify(
      delivery('refunds/create'),
      fixtureJson('shopify-refunds-create-shipping-only'),
    );
    assert.equal(shippingOnly.kind, 'ignored');
  });

  test('unknown topics are ignored; malformed payloads name the field', () => {
    assert.equal(mapShopify(delivery('products/update'), { id: 1 }).kind, 'ignored');
    assert.equal(mapShopify(delivery('customers/redact'), {}).kind, 'ignored');
    assert.deepEqual(mapShopify(delivery('orders/create'), []), {
      kind: 'invalid',
      field: 'body',
      problem: 'is not a JSON object',
    });
    const noId = fixtureJson('shopify-orders-create');
    delete noId.id;
    assert.equal((mapShopify(delivery('orders/create'), noId) as { field: string }).field, 'id');
    const badTime = fixtureJson('shopify-orders-create');
    badTime.created_at = 'yesterday';
    assert.equal((mapShopify(delivery('orders/create'), badTime) as { field: string }).field, 'created_at');
    const badQuantity = fixtureJson('shopify-orders-create');
    badQuantity.line_items[1].quantity = 'two';
    assert.equal(
      (mapShopify(delivery('orders/create'), badQuantity) as { field: string }).field,
      'line_items[1].quantity',
    );
    const badTotal = fixtureJson('shopify-orders-create');
    badTotal.total_price = { amount: 1 };
    assert.equal((mapShopify(delivery('orders/create'), badTotal) as { field: string }).field, 'total_price');
  });

  test('topic and webhook id come from the headers; both are required', () => {
    assert.deepEqual(shopifyDelivery({ 'x-shopify-topic': 'Orders/Create', 'x-shopify-webhook-id': 'abc' }), {
      topic: 'orders/create',
      webhookId: 'abc',
    });
    assert.equal((shopifyDelivery({ 'x-shopify-webhook-id': 'abc' }) as Mapped).kind, 'invalid');
    assert.equal((shopifyDelivery({ 'x-shopify-topic': 'orders/create' }) as Mapped).kind, 'invalid');
  });
});

describe('shopify signature', () => {
  const body = fixture('shopify-orders-create');

  test('valid HMAC of the raw body verifies', () => {
    assert.deepEqual(verifyShopify(body, { 'x-shopify-hmac-sha256': signShopify(body, SECRET) }, SECRET), {
      ok: true,
    });
  });

  test('wrong secret, tampered body, missing or junk header are refused', () => {
    const header = signShopify(body, SECRET);
    assert.deepEqual(
      verifyShopify(body, { 'x-shopify-hmac-sha256': signShopify(body, 'other-secret') }, SECRET),
      {
        ok: false,
        reason: 'bad_signature',
      },
    );
    const tampered = Buffer.from(body.toString('utf8').replace('161.67', '1.67'));
    assert.equal(verifyShopify(tampered, { 'x-shopify-hmac-sha256': header }, SECRET).ok, false);
    assert.deepEqual(verifyShopify(body, {}, SECRET), { ok: false, reason: 'missing_signature' });
    assert.equal(verifyShopify(body, { 'x-shopify-hmac-sha256': 'not base64 !' }, SECRET).ok, false);
    assert.equal(verifyShopify(body, { 'x-shopify-hmac-sha256': header.slice(0, 20) }, SECRET).ok, false);
    assert.equal(verifyShopify(body, { 'x-shopify-hmac-sha256': [header, header] }, SECRET).ok, false);
  });
});
