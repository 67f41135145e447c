import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConditions } from './conditions.js';
import { aContext, aStep } from './fixtures.test-helpers.js';

describe('checkConditions', () => {
  test('a step without `when` passes', () => {
    assert.equal(checkConditions(aContext(), aStep()), null);
  });

  test('the condition is evaluated against the customer and order as they are now', () => {
    const step = aStep({ when: { field: 'order.total', op: 'gte', value: 100 } });
    assert.equal(checkConditions(aContext({ order: { total: 150 } }), step), null);
    assert.deepEqual(checkConditions(aContext({ order: { total: 80 } }), step), {
      kind: 'skip',
      reason: 'condition_not_met',
    });
  });

  test('a concern raised since planning fails a `concern_open: false` condition', () => {
    const step = aStep({ when: { field: 'concern_open', op: 'eq', value: false } });
    assert.equal(checkConditions(aContext(), step), null);
    assert.deepEqual(checkConditions(aContext({ customer: { openConcerns: 1 } }), step), {
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
    assert.equal(checkConditions(aContext(), step), null);
    assert.deepEqual(checkConditions(aContext({ customer: { openConcerns: 1 } }), step), {
      kind: 'skip',
      reason: 'condition_not_met',
    });
  });
});
