// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { customerIdFor, normalizeEmail } from './identity.js';

describe('normalizeEmail', () => {
  test('trims and lower-cases', () => {
    assert.equal(normalizeEmail('  Ada@Example.COM '), 'ada@example.com');
  });
  test('empty and missing become null', () => {
    assert.equal(normalizeEmail('   '), null);
    assert.equal(normalizeEmail(null), null);
    assert.equal(normalizeEmail(undefined), null);
  });
});

describe('customerIdFor', () => {
  test('prefers the given customer id, trimmed', () => {
    assert.equal(customerIdFor({ customerId: ' cus_1 ', email: 'a@b.c' }), 'cus_1');
  });
  test('derives a stable id from the e-mail, ignoring case and spaces', () => {
    const id = customerIdFor({ email: 'Ada@Example.com' });
    assert.match(id ?? '', /^em_[0-9a-f]{20}$/);
    assert.equal(customerIdFor({ email: '  ada@example.COM ' }), id);
    assert.notEqual(customerIdFor({ email: 'bob@example.com' }), id);
  });
  test('a blank customer id falls back to the e-mail', () => {
    assert.equal(customerIdFor({ customerId: '  ', email: 'a@b.c' }), customerIdFor({ email: 'a@b.c' }));
  });
  test('null when nothing identifies the customer', () => {
    assert.equal(customerIdFor({}), null);
    assert.equal(customerIdFor({ customerId: null, email: ' ' }), null);
  });
});
