import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DAY_MS } from '../playbook/duration.js';
import { activeOffer, CODE_ALPHABET, generateCode, offerEligibility, type Offer } from './offer.js';
import { parseOffers } from './offersParse.js';
import { discountCodesOf } from './redemption.js';
import type { DomainEvent } from '../domain.js';

const T = Date.UTC(2026, 6, 1);
const offer: Offer = {
  id: 'autumn',
  steps: ['insider-offer'],
  title: { en: 'Autumn' },
  text: { en: 'New' },
  insidersFrom: T,
  publicFrom: T + 14 * DAY_MS,
  codes: { kind: 'generated', prefix: 'AUT-', length: 10 },
  minTemperature: 60,
  afterDeliveryMs: 21 * DAY_MS,
  cap: { max: 1, windowMs: 90 * DAY_MS },
};
const warm = { temperature: 70, openConcerns: 0 };

describe('insider offers', () => {
  test('eligibility: warm, no open concern, delivered long enough ago, each with its reason', () => {
    const now = T + DAY_MS;
    assert.equal(offerEligibility(offer, warm, now - 30 * DAY_MS, now), null);
    assert.equal(
      offerEligibility(offer, { temperature: 59, openConcerns: 0 }, now - 30 * DAY_MS, now)?.code,
      'not_warm',
    );
    assert.equal(
      offerEligibility(offer, { temperature: 90, openConcerns: 1 }, now - 30 * DAY_MS, now)?.code,
      'concern_open',
    );
    const soon = offerEligibility(offer, warm, now - 18 * DAY_MS, now);
    assert.equal(soon?.code, 'too_soon');
    assert.match(soon?.detail ?? '', /3 more day/);
    assert.equal(offerEligibility(offer, warm, undefined, now)?.code, 'not_delivered');
  });

  test('only an offer in its early-access window is active', () => {
    const catalogue = { offers: [offer], source: 'x' };
    assert.equal(activeOffer(catalogue, 'insider-offer', T - 1), null);
    assert.equal(activeOffer(catalogue, 'insider-offer', T)?.id, 'autumn');
    assert.equal(activeOffer(catalogue, 'insider-offer', T + 14 * DAY_MS), null);
    assert.equal(activeOffer(catalogue, 'review-ask', T), null);
  });

  test('generated codes: the prefix, then letters nobody misreads', () => {
    let i = 0;
    const code = generateCode({ kind: 'generated', prefix: 'AUT-', length: 10 }, (n) => i++ % n);
    assert.match(code, new RegExp(`^AUT-[${CODE_ALPHABET}]{10}$`));
    for (const confusing of '0O1IL5S2Z8BUV') assert.ok(!CODE_ALPHABET.includes(confusing), confusing);
  });

  test('the offers file: problems named by line and field', () => {
    const bad = parseOffers(
      'offers:\n  - id: a\n    title: { en: A }\n    text: { en: B }\n    insiders_from: 2026-05-01T00:00:00Z\n    public_from: 2026-04-01T00:00:00Z\n    codes: { source: generated, prefix: ok }\n    cap: { max: 1, per: soon }\n',
      'offers.yaml',
    );
    assert.equal(bad.ok, false);
    const lines = bad.ok ? [] : bad.issues.map((i) => `${i.line} ${i.field}`);
    assert.ok(lines.includes('7 offers[0].codes.prefix'), lines.join('; '));
    const good = parseOffers(
      'offers:\n  - id: a\n    title: { en: A }\n    text: { en: B }\n    insiders_from: 2026-05-01T00:00:00Z\n    public_from: 2026-05-15T00:00:00+02:00\n    codes: { source: imported }\n',
      'offers.yaml',
    );
    assert.ok(good.ok);
    assert.deepEqual(good.catalogue.offers[0]?.cap, { max: 1, windowMs: 90 * DAY_MS });
    assert.equal(good.catalogue.offers[0]?.minTemperature, 60);
    const order = parseOffers(
      'offers:\n  - id: a\n    title: { en: A }\n    text: { en: B }\n    insiders_from: 2026-05-01T00:00:00Z\n    public_from: 2026-04-15T00:00:00Z\n    codes: { source: imported }\n',
      'offers.yaml',
    );
    assert.ok(!order.ok && order.issues.some((i) => i.line === 6 && i.field === 'offers[0].public_from'));
  });

  test('an order names its codes: the webhooks data, or a discount_code attribute (CSV, API)', () => {
    const base = { id: 'e', type: 'order.placed', at: T, customerId: null, orderId: 'o1' } as const;
    const fromData = { ...base, data: { discount_codes: ['aut-x', 'AUT-X'] } } as DomainEvent;
    assert.deepEqual(discountCodesOf(fromData), ['AUT-X']);
    const fromAttribute = {
      ...base,
      data: {},
      order: { placedAt: T, attributes: { discount_code: ' aut-y , SPRING-2' } },
    } as unknown as DomainEvent;
    assert.deepEqual(discountCodesOf(fromAttribute), ['AUT-Y', 'SPRING-2']);
    assert.deepEqual(discountCodesOf({ ...fromData, type: 'shipment.delivered' }), []);
  });
});
