import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Customer, LineItem, Order } from '../domain.js';
import { parseTipSeries } from './parse.js';
import { chooseSeries, tipFor, type TipCatalogue, type TipSeries } from './series.js';

function series(id: string, match: Partial<TipSeries['match']>, tips = 2): TipSeries {
  return {
    id,
    match: { products: [], categories: [], segments: [], ...match },
    fallbackLocale: 'en',
    tips: Array.from({ length: tips }, (_, i) => ({
      texts: {
        en: { subject: `${id} ${i + 1}`, text: 'x' },
        de: { subject: `${id} ${i + 1} de`, text: 'y' },
      },
    })),
    source: `${id}.yaml`,
  };
}

const CATALOGUE: TipCatalogue = {
  series: [
    series('espresso', { products: ['ESP-100'] }),
    series('general', { segments: ['b2c'] }, 1),
    series('kitchen', { categories: ['Kitchen'] }),
  ],
};

const item = (sku: string, category: string | null, productName: string | null = null): LineItem => ({
  sku,
  productName,
  category,
  quantity: 1,
  price: 10,
});
const order = (segment: 'b2b' | 'b2c', items: LineItem[]) =>
  ({ id: 'o1', segment, items }) as unknown as Order;
const customer = (locale: string | null = null) => ({ segment: 'b2c', locale }) as unknown as Customer;

describe('choosing a tip series', () => {
  test('a product series beats a category one, whichever item comes first', () => {
    const chosen = chooseSeries(
      CATALOGUE,
      order('b2c', [item('TEA', 'kitchen'), item('ESP-100', 'kitchen')]),
      customer(),
    );
    assert.equal(chosen?.series.id, 'espresso');
    assert.equal(chosen?.match, 'product');
  });

  test('a category series (compared without case) beats the general one; product names match too', () => {
    assert.equal(
      chooseSeries(CATALOGUE, order('b2c', [item('TEA', 'KITCHEN')]), customer())?.match,
      'category',
    );
    const named = { series: [series('by-name', { products: ['barista espresso machine'] })] };
    assert.equal(
      chooseSeries(named, order('b2b', [item('X', null, 'Barista Espresso Machine')]), customer())?.series.id,
      'by-name',
    );
  });

  test('a consumer order nothing else fits gets the general series; a B2B one gets none', () => {
    assert.equal(
      chooseSeries(CATALOGUE, order('b2c', [item('DESK', 'office')]), customer())?.match,
      'general',
    );
    assert.equal(chooseSeries(CATALOGUE, order('b2b', [item('DESK', 'office')]), customer()), null);
  });

  test('tip N in the customer language, falling back by language then to the series locale; none past the end', () => {
    const o = order('b2c', [item('ESP-100', null)]);
    assert.equal(tipFor(CATALOGUE, 2, o, customer('de-AT'))?.subject, 'espresso 2 de');
    assert.equal(tipFor(CATALOGUE, 1, o, customer('fr'))?.subject, 'espresso 1');
    assert.equal(tipFor(CATALOGUE, 1, o, customer())?.count, 2);
    assert.equal(tipFor(CATALOGUE, 3, o, customer()), null);
  });
});

describe('reading a tip series file', () => {
  test('every problem with its line and field', () => {
    const text = [
      'id: Bad Id',
      'match:',
      '  prodcts: [A]',
      '  segments: [b2x]',
      'tips:',
      '  - de:',
      '      subject: Hallo',
      '      text: Welt',
      '  - en:',
      '      subject: ""',
      '      text: ok',
    ].join('\n');
    const result = parseTipSeries(text, 'tips/bad.yaml');
    assert.equal(result.ok, false);
    const issues = result.ok ? [] : result.issues.map((i) => `${i.file}:${i.line} ${i.field}: ${i.message}`);
    assert.deepEqual(issues, [
      'tips/bad.yaml:1 id: must use only lower-case letters, digits and -',
      'tips/bad.yaml:3 match.prodcts: unknown field "prodcts" (did you mean "products"?)',
      'tips/bad.yaml:4 match.segments[0]: must be one of: b2c, b2b',
      'tips/bad.yaml:10 tips[1].en.subject: must not be empty',
    ]);
  });

  test('a tip without the fallback locale is named', () => {
    const text = 'id: ok\ntips:\n  - de:\n      subject: Hallo\n      text: Welt\n';
    const result = parseTipSeries(text, 'ok.yaml');
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.equal(result.issues[0]?.line, 3);
      assert.equal(result.issues[0]?.field, 'tips[0]');
      assert.match(result.issues[0]?.message ?? '', /has no en text/);
    }
  });

  test('a valid file', () => {
    const text =
      'id: ok\nmatch: { categories: [kitchen] }\ntips:\n  - en: { subject: Hi, text: "  There.  " }\n';
    const result = parseTipSeries(text, 'ok.yaml');
    assert.ok(result.ok);
    if (result.ok) {
      assert.deepEqual(result.series.match, { products: [], categories: ['kitchen'], segments: [] });
      assert.deepEqual(result.series.tips[0]?.texts['en'], { subject: 'Hi', text: 'There.' });
    }
  });
});
