import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConditions } from './conditions.js';
import { DEFAULT_POLICY_CONFIG } from './defaults.js';
import { aContext, aStep } from './fixtures.test-helpers.js';
import type { PolicyConfig } from './types.js';

const config = DEFAULT_POLICY_CONFIG;

describe('checkConditions', () => {
  test('a step without `when` passes', () => {
    assert.equal(checkConditions(aContext(), aStep(), config), null);
  });

  test('the condition is evaluated against the customer and order as they are now', () => {
    const step = aStep({ when: { field: 'order.total', op: 'gte', value: 100 } });
    assert.equal(checkConditions(aContext({ order: { total: 150 } }), step, config), null);
    assert.deepEqual(checkConditions(aContext({ order: { total: 80 } }), step, config), {
      kind: 'skip',
      reason: 'condition_not_met',
    });
  });

  test('a concern raised since planning fails a `concern_open: false` condition', () => {
    const step = aStep({ when: { field: 'concern_open', op: 'eq', value: false } });
    assert.equal(checkConditions(aContext(), step, config), null);
    assert.deepEqual(checkConditions(aContext({ customer: { openConcerns: 1 } }), step, config), {
      kind: 'skip',
      reason: 'condition_not_met',
    });
  });

  test("a follow-up's facts about its anchor were decided when planned; the rest is checked again", () => {
    const step = aStep({
      timing: { moment: 'answered', offsetMs: 0, atLocal: null },
      when: {
        all: [
          { field: 'answer.score', op: 'gte', value: 9 },
          { field: 'concern_open', op: 'eq', value: false },
        ],
      },
    });
    assert.equal(checkConditions(aContext(), step, config), null);
    assert.deepEqual(checkConditions(aContext({ customer: { openConcerns: 1 } }), step, config), {
      kind: 'skip',
      reason: 'condition_not_met',
    });
  });

  test('order.total_base compares in the configured base currency, at send time too', () => {
    const euro: PolicyConfig = { ...config, currency: { base: 'EUR', rates: { JPY: 0.0061, USD: 0.92 } } };
    const step = aStep({ when: { field: 'order.total_base', op: 'gte', value: 500 } });
    const yen = aContext({ order: { total: 12_450, currency: 'JPY' } });
    assert.equal(checkConditions(yen, step, euro)?.kind, 'skip');
    assert.equal(checkConditions(aContext({ order: { total: 98_000, currency: 'JPY' } }), step, euro), null);
    assert.equal(checkConditions(aContext({ order: { total: 640, currency: 'USD' } }), step, euro), null);
    // No rate for the currency: not met, never guessed.
    assert.equal(
      checkConditions(aContext({ order: { total: 9_000, currency: 'CHF' } }), step, euro)?.kind,
      'skip',
    );
  });
});
