// The gift catalogue: every problem with its file, line, column and field; the tier chosen by the
// order's total in the base currency (a JPY order converted first); suggestions within budget.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { giftSuggestionText, suggestGifts, type GiftCatalogue } from './gifts.js';
import { parseGiftCatalogue } from './giftsParse.js';
import { formatIssue } from './playbook/parse.js';
import { anOrder } from './policy/fixtures.test-helpers.js';

const FX = { base: 'USD', rates: { JPY: 0.0065, EUR: 1.1 } };

const GOOD = `tiers:
  - name: small
    up_to: 100
    budget: 10
  - name: medium
    up_to: 500
    budget: 30
  - name: large
    budget: 60
gifts:
  - name: Card and chocolate
    cost: 8
  - name: Care kit
    cost: 25
  - name: Book
    cost: 28
  - name: Care set
    cost: 55
  - name: Coffee beans
    cost: 18
    categories: [coffee]
`;

function catalogue(text = GOOD): GiftCatalogue {
  const parsed = parseGiftCatalogue(text, 'gifts.yaml', 'USD');
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.issues.map(formatIssue).join('\n'));
  return parsed.catalogue;
}

function problems(text: string, base = 'USD'): string[] {
  const parsed = parseGiftCatalogue(text, 'gifts.yaml', base);
  assert.equal(parsed.ok, false);
  return parsed.ok ? [] : parsed.issues.map(formatIssue);
}

describe('gift catalogue validation', () => {
  test('the built-in catalogue is valid', () => {
    const text = readFileSync(new URL('../../playbooks/gifts.yaml', import.meta.url), 'utf8');
    const parsed = parseGiftCatalogue(text, 'playbooks/gifts.yaml', 'USD');
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.issues.map(formatIssue).join('\n'));
    assert.equal(parsed.catalogue.tiers.at(-1)?.upTo, null);
  });

  test('every problem, by file, line, column and field', () => {
    const text = [
      'currency: EUR', // 1
      'tiers:', // 2
      '  - name: small', // 3
      '    up_to: 100', // 4
      '    budget: ten', // 5
      '  - name: small', // 6
      '    budget: 30', // 7
      '  - name: large', // 8
      '    up_to: 50', // 9
      '    budget: 60', // 10
      'gifts:', // 11
      '  - name: Card', // 12
      '    cots: 8', // 13
    ].join('\n');
    assert.deepEqual(
      problems(text),
      [
        'gifts.yaml:5:13 tiers[0].budget: must be a number in the base currency, like 25',
        'gifts.yaml:13:5 gifts[0].cots: unknown field "cots" (did you mean "cost"?)',
        'gifts.yaml:12:5 gifts[0].cost: is required',
      ].sort(byLine),
    );
    // Once the shapes are right, the rules between fields.
    const rules = text.replace('budget: ten', 'budget: 10').replace('cots: 8', 'cost: 8');
    assert.deepEqual(problems(rules), [
      'gifts.yaml:1:11 currency: is EUR, but amounts are compared in the base currency USD (AFTERCARE_BASE_CURRENCY)',
      'gifts.yaml:6:5 tiers[1]: only the last tier may leave out up_to (it takes every larger order)',
      'gifts.yaml:6:11 tiers[1].name: "small" is also tiers[0]',
      'gifts.yaml:9:12 tiers[2].up_to: must be above the up_to of the tiers before it (100)',
    ]);
  });

  test('not a map, bad YAML, no tiers', () => {
    assert.deepEqual(problems('- a\n- b\n'), [
      'gifts.yaml:1:1 a gift catalogue must be a YAML map with tiers and gifts',
    ]);
    assert.match(problems('tiers: [\n')[0] ?? '', /^gifts\.yaml:\d+:\d+ /);
    assert.deepEqual(problems('tiers: []\ngifts: []\n'), [
      'gifts.yaml:1:8 tiers: must list at least one tier',
    ]);
  });
});

function byLine(a: string, b: string): number {
  const pos = (s: string) => s.split(' ')[0]!.split(':').slice(1).map(Number) as [number, number];
  const [la, ca] = pos(a);
  const [lb, cb] = pos(b);
  return la - lb || ca - cb;
}

describe('gift suggestions', () => {
  const items = (category: string) => [{ sku: 'X', productName: 'X', category, quantity: 1, price: 1 }];

  test('the tier by total in the base currency: a JPY order is converted first', () => {
    const yen = suggestGifts(
      catalogue(),
      anOrder({ currency: 'JPY', total: 12_450, items: items('lamps') }),
      FX,
    );
    assert.ok(yen.ok);
    // JPY 12,450 is about 81 USD: small, not large.
    assert.equal(yen.totalBase, 80.93);
    assert.equal(yen.tier.name, 'small');
    assert.deepEqual(
      yen.gifts.map((g) => g.name),
      ['Card and chocolate'],
    );

    const big = suggestGifts(
      catalogue(),
      anOrder({ currency: 'JPY', total: 100_000, items: items('lamps') }),
      FX,
    );
    assert.ok(big.ok);
    assert.equal(big.tier.name, 'large');
    // Within 60, dearest first, at most three; the coffee gift only for coffee buyers.
    assert.deepEqual(
      big.gifts.map((g) => g.name),
      ['Care set', 'Book', 'Care kit'],
    );
  });

  test('bounds are inclusive; gifts for what they bought come first', () => {
    const edge = suggestGifts(
      catalogue(),
      anOrder({ currency: 'USD', total: 100, items: items('coffee') }),
      FX,
    );
    assert.ok(edge.ok);
    assert.equal(edge.tier.name, 'small');
    const coffee = suggestGifts(
      catalogue(),
      anOrder({ currency: 'USD', total: 300, items: items('Coffee') }),
      FX,
    );
    assert.ok(coffee.ok);
    assert.deepEqual(
      coffee.gifts.map((g) => g.name),
      ['Coffee beans', 'Book', 'Care kit'],
    );
  });

  test('no rate: no tier, and the task says so', () => {
    const order = anOrder({ currency: 'GBP', total: 900 });
    const none = suggestGifts(catalogue(), order, FX);
    assert.deepEqual(none, { ok: false, why: 'no_rate', currency: 'GBP', totalBase: null });
    assert.match(giftSuggestionText(none, order), /GBP has no exchange rate \(AFTERCARE_FX_RATES\)/);
  });

  test('above every bounded tier', () => {
    const bounded = catalogue(GOOD.replace('  - name: large\n    budget: 60\n', ''));
    const order = anOrder({ currency: 'USD', total: 900 });
    const none = suggestGifts(bounded, order, FX);
    assert.equal(none.ok, false);
    assert.match(giftSuggestionText(none, order), /above every tier/);
  });

  test('the lines a gift task ends with', () => {
    const order = anOrder({ currency: 'EUR', total: 300, items: items('lamps') });
    assert.equal(
      giftSuggestionText(suggestGifts(catalogue(), order, FX), order),
      [
        'Gift budget: 30 USD (tier "medium": orders up to 500 USD; this order 330 USD).',
        'Suggested from the gift catalogue:',
        '  - Book (28 USD)',
        '  - Care kit (25 USD)',
        '  - Card and chocolate (8 USD)',
      ].join('\n'),
    );
  });
});
