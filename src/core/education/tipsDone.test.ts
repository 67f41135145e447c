// What stops an order's tips on the customer record: the "I'm all set" page's event and the top
// CSAT score for that order; the preferences page's whole choice keeps them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEventToCustomer, newCustomer } from '../customer.js';
import type { DomainEvent } from '../domain.js';

const base = newCustomer('c1', { email: 'a@example.com' }, false, 0);
const event = (
  type: DomainEvent['type'],
  data: Record<string, unknown>,
  orderId: string | null = null,
): DomainEvent => ({
  id: `${type}-${JSON.stringify(data)}`,
  type,
  at: 1000,
  customerId: 'c1',
  orderId,
  data,
});

test('"all set" marks the order once; the preferences page keeps the mark', () => {
  const done = applyEventToCustomer(
    base,
    event('customer.preferences_changed', { tipsDone: { orderId: 'o1', why: 'all_set' } }),
  );
  assert.deepEqual(done.preferences.tipsDone, [{ orderId: 'o1', at: 1000, why: 'all_set' }]);
  const again = applyEventToCustomer(
    done,
    event('customer.preferences_changed', { tipsDone: { orderId: 'o1', why: 'all_set' } }),
  );
  assert.equal(again, done);
  const chose = applyEventToCustomer(
    done,
    event('customer.preferences_changed', { topicsOff: ['education'], channelsOff: [], pausedUntil: null }),
  );
  assert.deepEqual(chose.preferences.topicsOff, ['education']);
  assert.deepEqual(chose.preferences.tipsDone, done.preferences.tipsDone);
  // A malformed mark changes nothing.
  assert.equal(
    applyEventToCustomer(base, event('customer.preferences_changed', { tipsDone: { why: 'nope' } })),
    base,
  );
});

test('the top CSAT score for an order stops its tips; a 4, or an NPS 10, does not', () => {
  const top = applyEventToCustomer(base, event('survey.answered', { survey: 'csat', score: 5 }, 'o2'));
  assert.deepEqual(top.preferences.tipsDone, [{ orderId: 'o2', at: 1000, why: 'csat_top' }]);
  assert.equal(
    applyEventToCustomer(base, event('survey.answered', { survey: 'csat', score: 4 }, 'o2')),
    base,
  );
  assert.equal(
    applyEventToCustomer(base, event('survey.answered', { survey: 'nps', score: 10 }, 'o2')),
    base,
  );
});
