import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { fieldName, parseInput } from './validate.js';

test('field names: dotted keys, indexed arrays, the whole input by its place', () => {
  assert.equal(fieldName(['customer', 'email'], 'body'), 'customer.email');
  assert.equal(fieldName(['items', 2, 'quantity'], 'body'), 'items[2].quantity');
  assert.equal(fieldName([], 'query'), '(query)');
  assert.equal(fieldName(['x'.repeat(500)], 'body').length, 203);
});

test('invalid input throws AFTERCARE_E_INPUT_INVALID naming every field, unknown keys by name', () => {
  const schema = z.strictObject({ a: z.number(), b: z.strictObject({ c: z.string() }) });
  assert.deepEqual(parseInput(schema, { a: 1, b: { c: 'x' } }, 'body'), { a: 1, b: { c: 'x' } });
  assert.throws(
    () => parseInput(schema, { a: 'one', b: { c: 'x', d: 1 }, e: 2 }, 'body'),
    (error: { code: string; message: string; details: { field: string; issues: { field: string }[] } }) => {
      assert.equal(error.code, 'AFTERCARE_E_INPUT_INVALID');
      assert.equal(error.details.field, 'a');
      assert.match(error.message, /^a: .* \(and 2 more\)$/);
      assert.deepEqual(
        error.details.issues.map((i) => i.field),
        ['a', 'b.d', 'e'],
      );
      return true;
    },
  );
});
