import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, fixtureJson } from '../../../test/fixtures/webhooks/fixtures.js';
import type { DomainEvent } from '../../core/domain.js';
import type { Mapped } from '../mapping.js';
import { hmacSha256 } from '../signature.js';
import { fromMinorUnits, mapStripe } from './map.js';
import { signStripe, verifyStripe } from './signature.js';

const SECRET = 'whsec_test_5c1f8e2a9b7d4c6e0f3a1b2c4d6e8f0a';
const OLD_SECRET = 'whsec_test_old_0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d';

function only(mapped: Mapped): DomainEvent {
  assert.equal(mapped.kind, 'events', JSON.stringify(mapped));
  const events = mapped.kind === 'events' ? mapped.events : [];
  assert.equal(events.length, 1);
  return events[0]!;
}

describe('stripe mapping', () => {
  test('checkout.session.completed (payment) -> order.placed on the payment intent, amounts in major units', () => {
    const event = only(mapStripe(fixtureJson('stripe-checkout-session-completed')));
    assert.equal(event.id, 'stripe:evt_1PqR7sLkdIwHu7ixB3nVbQ9e');
    assert.equal(event.type, 'order.placed');
    assert.equal(event.orderId, 'stripe:pi_3PqR7pLkdIwHu7ix1Zc0Xk2D');
    assert.equal(event.at, 1780324200_000);
    assert.equal(event.order?.total, 96.12);
    assert.equal(event.order?.currency, 'EUR');
    assert.deepEqual(
      { ...event.customer, attributes: undefined },
      {
        contactSource: 'guest',
        customerId: null,
        email: 'Lena.Fischer@example.de',
        firstName: 'Lena',
        lastName: 'Fischer',
        phone: '+49 30 901820',
        timezone: 'Europe/Berlin',
        segment: null,
        attributes: undefined,
      },
    );
    assert.deepEqual(event.customer?.attributes, { stripe_customer_id: 'cus_QhX2Ge7Lm3BzTk' });
    // Stripe shows a checkout no number: none rather than the payment intent's id.
    assert.equal(event.order?.number, null);
    assert.deepEqual(event.order?.shippingAddress, {
      name: 'Lena Fischer',
      company: null,
      line1: 'Hauptstraße 12',
      line2: null,
      city: 'Berlin',
      region: null,
      postalCode: '10827',
      country: 'DE',
      phone: '+49 30 901820',
    });
  });

  test('a subscription checkout is the subscription order; unpaid and setup sessions are ignored', () => {
    const body = fixtureJson('stripe-checkout-session-completed');
    body.data.object.mode = 'subscription';
    body.data.object.subscription = 'sub_1Ps0Hm2eZvKYlo2CjP0aQw7E';
    body.data.object.payment_intent = null;
    assert.equal(only(mapStripe(body)).orderId, 'stripe:sub_1Ps0Hm2eZvKYlo2CjP0aQw7E');
    const unpaid = fixtureJson('stripe-checkout-session-completed');
    unpaid.data.object.payment_status = 'unpaid';
    assert.equal(mapStripe(unpaid).kind, 'ignored');
    unpaid.type = 'checkout.session.async_payment_succeeded';
    assert.equal(only(mapStripe(unpaid)).type, 'order.placed');
    const setup = fixtureJson('stripe-checkout-session-completed');
    setup.data.object.mode = 'setup';
    assert.equal(mapStripe(setup).kind, 'ignored');
  });

  test('a subscription sells what its metadata says; without, a checkout that ships nothing is software that starts now', () => {
    const saas = fixtureJson('stripe-checkout-session-completed');
    saas.data.object.mode = 'subscription';
    saas.data.object.subscription = 'sub_1Ps0Hm2eZvKYlo2CjP0aQw7E';
    saas.data.object.shipping_details = null;
    saas.data.object.line_items = {
      data: [
        {
          description: 'Team Plan',
          quantity: 1,
          price: {
            product: 'prod_Team',
            unit_amount: 480000,
            recurring: { interval: 'year', interval_count: 1 },
          },
        },
      ],
    };
    const event = only(mapStripe(saas));
    assert.equal(event.order?.kind, 'software');
    assert.equal(event.order?.startedAt, event.at);
    assert.equal(event.order?.renewalPeriod, 'annual');
    const boxed = fixtureJson('stripe-checkout-session-completed');
    boxed.data.object.mode = 'subscription';
    assert.equal(only(mapStripe(boxed)).order?.kind, 'goods', 'a shipping address means it ships');
    const service = fixtureJson('stripe-checkout-session-completed');
    service.data.object.mode = 'subscription';
    service.data.object.metadata = { aftercare_kind: 'Service' };
    assert.equal(only(mapStripe(service)).order?.kind, 'service');
    // The coffee club's first invoice: a 30-day period is monthly; what it sells is not said.
    const first = only(mapStripe(fixtureJson('stripe-invoice-paid-first')));
    assert.equal(first.order?.renewalPeriod, 'monthly');
    assert.equal(first.order?.kind, null);
    assert.equal(first.order?.startedAt, undefined);
  });

  test('the first invoice of a subscription -> order.placed with the renewal at the period end (2025 API shape)', () => {
    const event = only(mapStripe(fixtureJson('stripe-invoice-paid-first')));
    assert.equal(event.type, 'order.placed');
    assert.equal(event.orderId, 'stripe:sub_1Ps0Hm2eZvKYlo2CjP0aQw7E');
    assert.equal(event.at, 1780500006_000, 'paid_at');
    assert.equal(event.order?.renewalAt, 1783092004_000);
    assert.equal(event.order?.total, 24);
    assert.equal(event.customer?.timezone, 'America/Chicago');
    assert.equal(event.order?.items?.[0]?.sku, 'prod_Qj4sCoffeeClub');
    assert.equal(event.order?.number, 'NWG-0042-0001', 'the invoice number the customer was sent');
  });

  test('a renewal invoice -> order.renewed with the next renewal, and no customer details', () => {
    const event = only(mapStripe(fixtureJson('stripe-invoice-paid-renewal')));
    assert.equal(event.type, 'order.renewed');
    assert.equal(event.orderId, 'stripe:sub_1Ps0Hm2eZvKYlo2CjP0aQw7E');
    assert.equal(event.data.next_renewal_at, 1785770404_000);
    assert.equal(event.customer, undefined);
  });

  test('invoices that are not about a subscription start or renewal are ignored', () => {
    const oneOff = fixtureJson('stripe-invoice-paid-renewal');
    delete oneOff.data.object.subscription;
    assert.equal(mapStripe(oneOff).kind, 'ignored');
    const manual = fixtureJson('stripe-invoice-paid-renewal');
    manual.data.object.billing_reason = 'subscription_update';
    assert.equal(mapStripe(manual).kind, 'ignored');
  });

  test('a full refund -> order.returned on the payment intent; a partial refund is ignored', () => {
    const event = only(mapStripe(fixtureJson('stripe-charge-refunded')));
    assert.equal(event.type, 'order.returned');
    assert.equal(event.orderId, 'stripe:pi_3PqR7pLkdIwHu7ix1Zc0Xk2D');
    assert.equal(event.data.amount_refunded, 96.12);
    const partial = fixtureJson('stripe-charge-refunded');
    partial.data.object.refunded = false;
    partial.data.object.amount_refunded = 1500;
    assert.equal(mapStripe(partial).kind, 'ignored');
  });

  test('a moved renewal -> order.updated with the new period end; unrelated updates are ignored', () => {
    const event = only(mapStripe(fixtureJson('stripe-subscription-updated')));
    assert.equal(event.type, 'order.updated');
    assert.equal(event.order?.renewalAt, 1786000000_000);
    assert.equal(event.order?.placedAt, 1780500004_000, 'the subscription start stays the placed time');
    const metadataOnly = fixtureJson('stripe-subscription-updated');
    metadataOnly.data.previous_attributes = { metadata: { plan: 'old' } };
    assert.equal(mapStripe(metadataOnly).kind, 'ignored');
    const basil = fixtureJson('stripe-subscription-updated');
    delete basil.data.object.current_period_end;
    basil.data.object.items.data[0].current_period_end = 1786100000;
    assert.equal(only(mapStripe(basil)).order?.renewalAt, 1786100000_000);
  });

  test('a deleted subscription -> order.cancelled when it ended, with the reason', () => {
    const event = only(mapStripe(fixtureJson('stripe-subscription-deleted')));
    assert.equal(event.type, 'order.cancelled');
    assert.equal(event.at, 1789999990_000);
    assert.equal(event.data.reason, 'cancellation_requested');
  });

  test('other event types are ignored; malformed events name the field', () => {
    const other = fixtureJson('stripe-charge-refunded');
    other.type = 'payment_intent.created';
    assert.equal(mapStripe(other).kind, 'ignored');
    assert.equal((mapStripe({ type: 'invoice.paid' }) as { field: string }).field, 'id');
    assert.equal(
      (mapStripe({ id: 'evt_1', type: 'invoice.paid', created: 'now' }) as { field: string }).field,
      'created',
    );
    assert.equal(
      (
        mapStripe({ id: 'evt_1', type: 'invoice.paid', created: 1780000000, data: { object: 7 } }) as {
          field: string;
        }
      ).field,
      'data.object',
    );
  });

  test('minor units follow the currency', () => {
    assert.equal(fromMinorUnits(9612, 'eur'), 96.12);
    assert.equal(fromMinorUnits(9612, 'JPY'), 9612);
    assert.equal(fromMinorUnits(9612, 'kwd'), 9.612);
    assert.equal(fromMinorUnits('9612', 'usd'), null);
  });
});

describe('stripe signature', () => {
  const body = fixture('stripe-checkout-session-completed');
  const now = 1780324260_000;

  test('a signature made now verifies', () => {
    const header = signStripe(body, SECRET, now);
    assert.deepEqual(verifyStripe(body, { 'stripe-signature': header }, SECRET, now), { ok: true });
  });

  test('wrong secret, tampered body and missing header are refused', () => {
    assert.deepEqual(
      verifyStripe(body, { 'stripe-signature': signStripe(body, OLD_SECRET, now) }, SECRET, now),
      {
        ok: false,
        reason: 'bad_signature',
      },
    );
    const tampered = Buffer.concat([body, Buffer.from(' ')]);
    assert.equal(
      verifyStripe(tampered, { 'stripe-signature': signStripe(body, SECRET, now) }, SECRET, now).ok,
      false,
    );
    assert.deepEqual(verifyStripe(body, {}, SECRET, now), { ok: false, reason: 'missing_signature' });
    assert.equal(verifyStripe(body, { 'stripe-signature': 't=abc,v1=zz' }, SECRET, now).ok, false);
    assert.equal(verifyStripe(body, { 'stripe-signature': `v1=${'0'.repeat(64)}` }, SECRET, now).ok, false);
  });

  test('timestamps outside 300 s either way are stale', () => {
    const old = signStripe(body, SECRET, now - 301_000);
    assert.deepEqual(verifyStripe(body, { 'stripe-signature': old }, SECRET, now), {
      ok: false,
      reason: 'stale_timestamp',
    });
    const future = signStripe(body, SECRET, now + 301_000);
    assert.deepEqual(verifyStripe(body, { 'stripe-signature': future }, SECRET, now), {
      ok: false,
      reason: 'stale_timestamp',
    });
    const edge = signStripe(body, SECRET, now - 299_000);
    assert.equal(verifyStripe(body, { 'stripe-signature': edge }, SECRET, now).ok, true);
  });

  test('during a secret roll any matching v1 of several is accepted', () => {
    const t = Math.floor(now / 1000);
    const v1 = (secret: string) => hmacSha256(secret, `${t}.`, body).toString('hex');
    const header = `t=${t},v1=${v1(OLD_SECRET)},v1=${v1(SECRET)},v0=${'ab'.repeat(32)}`;
    assert.equal(verifyStripe(body, { 'stripe-signature': header }, SECRET, now).ok, true);
    assert.equal(verifyStripe(body, { 'stripe-signature': header }, OLD_SECRET, now).ok, true);
    assert.equal(verifyStripe(body, { 'stripe-signature': header }, 'whsec_neither_of_them', now).ok, false);
  });
});
