import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Deal } from './deal.js';
import { dealDomain, matchDeal, type ArrivedOrder } from './match.js';

const DAY = 86_400_000;

function deal(id: string, email: string, overrides: Partial<Deal> = {}): Deal {
  return {
    id,
    source: null,
    externalId: null,
    company: 'Firm',
    domain: null,
    contact: { email, name: 'A Person', phone: null, locale: null, timeZone: null },
    owner: null,
    expectedCloseAt: 10 * DAY,
    value: { amount: 1, currency: 'EUR' },
    segment: 'b2b',
    kind: 'goods',
    leadDays: 7,
    products: [],
    stage: 'open',
    meetings: [],
    promised: [],
    sharedAt: null,
    orderId: null,
    customerId: null,
    closedAt: null,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}

const order = (email: string | null, dealId: string | null = null, placedAt = 10 * DAY): ArrivedOrder => ({
  orderId: 'o1',
  customerId: 'c1',
  email,
  placedAt,
  dealId,
});

test('the deal id wins, and names only its own deal', () => {
  const deals = [deal('deal_a', 'ann@firm.example'), deal('deal_b', 'bob@other.example')];
  assert.deepEqual(matchDeal(order('ann@firm.example', 'deal_b'), deals), { deal: deals[1], by: 'deal_id' });
  assert.equal(matchDeal(order('ann@firm.example', 'deal_unknown'), deals), null);
});

test('then the address (any case), then the company domain, never a free-mail domain', () => {
  const deals = [deal('deal_a', 'ann@firm.example'), deal('deal_g', 'gus@gmail.com')];
  assert.equal(matchDeal(order('ANN@firm.example'), deals)?.by, 'email');
  assert.deepEqual(matchDeal(order('carl@firm.example'), deals), { deal: deals[0], by: 'domain' });
  assert.equal(matchDeal(order('someone@gmail.com'), deals), null);
  assert.equal(dealDomain(deals[1]!), null);
});

test('lost and already closed deals wait for nothing; the nearest expected close wins a tie', () => {
  const deals = [
    deal('deal_lost', 'ann@firm.example', { stage: 'lost' }),
    deal('deal_done', 'ann@firm.example', { orderId: 'o0' }),
    deal('deal_far', 'ann@firm.example', { expectedCloseAt: 40 * DAY }),
    deal('deal_near', 'ann@firm.example', { expectedCloseAt: 12 * DAY }),
  ];
  assert.equal(matchDeal(order('ann@firm.example'), deals)?.deal.id, 'deal_near');
  assert.equal(matchDeal(order('ann@firm.example'), deals.slice(0, 2)), null);
});
