// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent, EventType } from './domain.js';
import { applyEventToCustomer, mergeCustomerInput, newCustomer } from './customer.js';
import { surveyTemperatureDelta } from './temperature.js';

const T0 = Date.UTC(2026, 2, 2, 12, 0);

function ev(type: EventType, at: number, data: Record<string, unknown> = {}): DomainEvent {
  return { id: `${type}@${at}`, type, at, customerId: 'c1', orderId: null, data };
}

describe('newCustomer and mergeCustomerInput', () => {
  test('a new customer starts neutral, with what the integration knows', () => {
    const c = newCustomer(
      'c1',
      { email: ' Ada@Example.com ', firstName: 'Ada', timezone: 'Europe/Berlin' },
      true,
      T0,
    );
    assert.equal(c.email, 'ada@example.com');
    assert.equal(c.firstName, 'Ada');
    assert.equal(c.timezone, 'Europe/Berlin');
    assert.equal(c.segment, 'b2c');
    assert.equal(c.holdout, true);
    assert.equal(c.temperature, 50);
    assert.equal(c.openConcerns, 0);
    assert.equal(c.createdAt, T0);
  });

  test('non-empty fields overwrite, empty ones never erase', () => {
    const c = newCustomer(
      'c1',
      { email: 'ada@example.com', firstName: 'Ada', phone: '+4930123', attributes: { a: 1 } },
      false,
      T0,
    );
    const merged = mergeCustomerInput(c, {
      email: '',
      firstName: '  ',
      lastName: 'Lovelace',
      phone: null,
      segment: 'b2b',
      attributes: { b: 2 },
    });
    assert.equal(merged.email, 'ada@example.com');
    assert.equal(merged.firstName, 'Ada');
    assert.equal(merged.lastName, 'Lovelace');
    assert.equal(merged.phone, '+4930123');
    assert.equal(merged.segment, 'b2b');
    assert.deepEqual(merged.attributes, { a: 1, b: 2 });
    assert.equal(merged.holdout, false);
  });
});

describe('applyEventToCustomer', () => {
  const base = newCustomer('c1', { email: 'ada@example.com' }, false, T0);

  test('unsubscribe and resubscribe; a late resubscribe does not undo a newer unsubscribe', () => {
    const off = applyEventToCustomer(base, ev('customer.unsubscribed', T0 + 10));
    assert.equal(off.unsubscribedAt, T0 + 10);
    assert.equal(applyEventToCustomer(off, ev('customer.unsubscribed', T0 + 20)).unsubscribedAt, T0 + 10);
    assert.equal(applyEventToCustomer(off, ev('customer.resubscribed', T0 + 5)).unsubscribedAt, T0 + 10);
    assert.equal(applyEventToCustomer(off, ev('customer.resubscribed', T0 + 30)).unsubscribedAt, null);
  });

  test('a bounce is recorded once', () => {
    const bounced = applyEventToCustomer(base, ev('email.bounced', T0 + 1));
    assert.equal(bounced.emailBouncedAt, T0 + 1);
    assert.equal(applyEventToCustomer(bounced, ev('email.bounced', T0 + 2)).emailBouncedAt, T0 + 1);
  });

  test("care fields are the listener's: answers and concerns leave them to it", () => {
    // Intake must not count what core/listening/hear.ts counts, or a concern would count twice.
    for (const type of ['concern.raised', 'concern.resolved', 'survey.answered', 'reply.received'] as const) {
      const after = applyEventToCustomer(base, ev(type, T0, { survey: 'nps', score: 0 }));
      assert.equal(after, base, type);
    }
  });

  test('a repeat purchase counts up', () => {
    let c = applyEventToCustomer(base, ev('purchase.repeated', T0));
    c = applyEventToCustomer(c, ev('purchase.repeated', T0 + 1));
    assert.equal(c.attributes['repeat_purchases'], 2);
  });

  test('order events leave the customer as is', () => {
    assert.equal(applyEventToCustomer(base, ev('shipment.delivered', T0)), base);
  });
});

test('surveyTemperatureDelta follows the CSAT and NPS bands', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((s) => surveyTemperatureDelta('csat', s)),
    [-20, -20, 0, 10, 10],
  );
  assert.deepEqual(
    [0, 6, 7, 8, 9, 10].map((s) => surveyTemperatureDelta('nps', s)),
    [-20, -20, 0, 0, 10, 10],
  );
  assert.equal(surveyTemperatureDelta('nps', 11), null);
  assert.equal(surveyTemperatureDelta('csat', 4.5), null);
});
