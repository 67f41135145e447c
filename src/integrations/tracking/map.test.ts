import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, fixtureJson } from '../../../test/fixtures/webhooks/fixtures.js';
import type { DomainEvent } from '../../core/domain.js';
import type { Mapped } from '../mapping.js';
import { mapAfterShip, orderIdOf } from './map.js';
import { signAfterShip, verifyAfterShip } from './signature.js';

const SECRET = 'aftership-webhook-secret-9f8e7d6c';

function only(mapped: Mapped): DomainEvent {
  assert.equal(mapped.kind, 'events', JSON.stringify(mapped));
  const events = mapped.kind === 'events' ? mapped.events : [];
  assert.equal(events.length, 1);
  return events[0]!;
}

describe('aftership mapping', () => {
  test('the first in-transit scan -> shipment.shipped on the Shopify order, at the scan time', () => {
    const event = only(mapAfterShip(fixtureJson('aftership-in-transit')));
    assert.equal(event.id, 'aftership:6f1b5c0e-3d2a-4b8f-9e7c-1a2b3c4d5e6f');
    assert.equal(event.type, 'shipment.shipped');
    assert.equal(event.orderId, 'shopify:5940139491234');
    assert.equal(event.at, Date.parse('2026-06-03T01:02:00Z'));
    assert.equal(event.data.carrier, 'ups');
    assert.equal(event.data.tracking_number, '1Z999AA10123456784');
    assert.equal(event.data.tracking_url, 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784');
  });

  test('later in-transit scans are shipment.in_transit', () => {
    const body = fixtureJson('aftership-in-transit');
    body.is_tracking_first_tag = false;
    assert.equal(only(mapAfterShip(body)).type, 'shipment.in_transit');
  });

  test('out for delivery, delivered and exceptions map to their shipment events', () => {
    assert.equal(
      only(mapAfterShip(fixtureJson('aftership-out-for-delivery'))).type,
      'shipment.out_for_delivery',
    );
    const delivered = only(mapAfterShip(fixtureJson('aftership-delivered')));
    assert.equal(delivered.type, 'shipment.delivered');
    assert.equal(delivered.at, Date.parse('2026-06-05T21:12:00Z'));
    const exception = only(mapAfterShip(fixtureJson('aftership-exception')));
    assert.equal(exception.type, 'shipment.delayed');
    assert.equal(exception.data.exception, 'late');
    assert.equal(exception.data.message, 'Delayed (Customs clearance)');
    // The new date rides along: intake makes it the promise.
    assert.equal(exception.data.expected_delivery, '2026-06-05');
  });

  test('each kind of exception is told apart: failed attempt, damaged, lost, returned to sender', () => {
    const kind = (change: (body: ReturnType<typeof fixtureJson>) => void): [string, unknown] => {
      const body = fixtureJson('aftership-exception');
      change(body);
      const event = only(mapAfterShip(body));
      return [event.type, event.data.exception];
    };
    assert.deepEqual(
      kind((b) => (b.msg.tag = 'AttemptFail')),
      ['shipment.exception', 'failed_attempt'],
    );
    assert.deepEqual(
      kind((b) => (b.msg.subtag_message = 'Shipment damage')),
      ['shipment.exception', 'damaged'],
    );
    assert.deepEqual(
      kind((b) => (b.msg.subtag_message = 'Shipment lost')),
      ['shipment.exception', 'lost'],
    );
    assert.deepEqual(
      kind((b) => (b.msg.subtag_message = 'Returned to sender')),
      ['shipment.exception', 'returned_to_sender'],
    );
    assert.deepEqual(
      kind((b) => (b.msg.return_to_sender = true)),
      ['shipment.exception', 'returned_to_sender'],
    );
  });

  test('the order id: custom field first, Shopify-imported trackings namespaced, API ones as they are', () => {
    assert.equal(orderIdOf({ order_id: '5940139491234', source: 'shopify' }), 'shopify:5940139491234');
    assert.equal(orderIdOf({ order_id: 'A-1001', source: 'api' }), 'A-1001');
    assert.equal(
      orderIdOf({ order_id: 'x', custom_fields: { aftercare_order_id: 'stripe:pi_1' } }),
      'stripe:pi_1',
    );
    const none = fixtureJson('aftership-delivered');
    none.msg.order_id = null;
    assert.equal(mapAfterShip(none).kind, 'ignored');
  });

  test('without checkpoint times the webhook ts is the time', () => {
    const body = fixtureJson('aftership-delivered');
    body.msg.checkpoints = [];
    assert.equal(only(mapAfterShip(body)).at, 1780693990_000);
  });

  test('tags and events that change nothing are ignored; malformed bodies name the field', () => {
    const pending = fixtureJson('aftership-in-transit');
    pending.msg.tag = 'InfoReceived';
    assert.equal(mapAfterShip(pending).kind, 'ignored');
    const edd = fixtureJson('aftership-in-transit');
    edd.event = 'edd_revise';
    assert.equal(mapAfterShip(edd).kind, 'ignored');
    assert.equal((mapAfterShip({ event: 'tracking_update' }) as { field: string }).field, 'event_id');
    assert.equal(
      (mapAfterShip({ event: 'tracking_update', event_id: 'e', msg: 'x' }) as { field: string }).field,
      'msg',
    );
  });
});

describe('aftership signature', () => {
  const body = fixture('aftership-delivered');

  test('valid, wrong secret, tampered body and missing header', () => {
    const header = signAfterShip(body, SECRET);
    assert.deepEqual(verifyAfterShip(body, { 'aftership-hmac-sha256': header }, SECRET), { ok: true });
    assert.equal(
      verifyAfterShip(body, { 'aftership-hmac-sha256': signAfterShip(body, 'nope-nope') }, SECRET).ok,
      false,
    );
    const tampered = Buffer.from(body.toString('utf8').replace('Delivered_001', 'Delivered_002'));
    assert.equal(verifyAfterShip(tampered, { 'aftership-hmac-sha256': header }, SECRET).ok, false);
    assert.deepEqual(verifyAfterShip(body, {}, SECRET), { ok: false, reason: 'missing_signature' });
  });
});
