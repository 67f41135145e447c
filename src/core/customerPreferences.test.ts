// customer.preferences_changed: the whole choice replaces the last one; anything malformed in
// it changes nothing at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent } from './domain.js';
import { applyEventToCustomer, newCustomer } from './customer.js';
import { DEFAULT_PREFERENCES } from './listening/types.js';

const T0 = Date.UTC(2026, 2, 2, 12, 0);
const DAY = 86_400_000;
const base = newCustomer('c1', { email: 'jonas@example.de', locale: 'de-DE' }, false, T0);

function changed(data: Record<string, unknown>): DomainEvent {
  return {
    id: `p@${T0}`,
    type: 'customer.preferences_changed',
    at: T0,
    customerId: 'c1',
    orderId: null,
    data,
  };
}

test('a valid choice replaces the preferences, in the order of the known values', () => {
  const after = applyEventToCustomer(
    base,
    changed({
      topicsOff: ['offers', 'news'],
      channelsOff: ['sms'],
      pausedUntil: T0 + 30 * DAY,
      source: 'page',
    }),
  );
  assert.deepEqual(after.preferences, {
    topicsOff: ['offers', 'news'],
    channelsOff: ['sms'],
    pausedUntil: T0 + 30 * DAY,
  });
  const back = applyEventToCustomer(after, changed({ topicsOff: [], channelsOff: [], pausedUntil: null }));
  assert.deepEqual(back.preferences, DEFAULT_PREFERENCES);
});

test('anything malformed leaves the customer as is', () => {
  for (const data of [
    {},
    { topicsOff: ['offers'], channelsOff: [] },
    { topicsOff: ['transactional'], channelsOff: [], pausedUntil: null },
    { topicsOff: ['offers', 'offers'], channelsOff: [], pausedUntil: null },
    { topicsOff: [], channelsOff: ['webhook'], pausedUntil: null },
    { topicsOff: [], channelsOff: [], pausedUntil: 'tomorrow' },
    { topicsOff: [], channelsOff: [], pausedUntil: -1 },
    { topicsOff: 'offers', channelsOff: [], pausedUntil: null },
  ]) {
    assert.equal(applyEventToCustomer(base, changed(data)), base, JSON.stringify(data));
  }
});
