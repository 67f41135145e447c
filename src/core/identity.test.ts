// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  customerIdFor,
  legacyCustomerIdFor,
  normalizeEmail,
  normalizePhone,
  tombstonesOf,
} from './identity.js';

const KEY = 'k3y-of-one-install';

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

describe('normalizePhone', () => {
  test('keeps digits and a leading plus', () => {
    assert.equal(normalizePhone(' +49 (30) 1234-567 '), '+49301234567');
    assert.equal(normalizePhone('030 1234567'), '0301234567');
    assert.equal(normalizePhone('n/a'), null);
    assert.equal(normalizePhone(null), null);
  });
});

describe('customerIdFor', () => {
  test('prefers the given customer id, trimmed', () => {
    assert.equal(customerIdFor({ customerId: ' cus_1 ', email: 'a@b.c' }, KEY), 'cus_1');
  });
  test('derives a stable id from the e-mail, ignoring case and spaces', () => {
    const id = customerIdFor({ email: 'Ada@Example.com' }, KEY);
    assert.match(id ?? '', /^ek_[0-9a-f]{24}$/);
    assert.equal(customerIdFor({ email: '  ada@example.COM ' }, KEY), id);
    assert.notEqual(customerIdFor({ email: 'bob@example.com' }, KEY), id);
  });
  test('the derived id depends on the key: hashing a list of addresses does not reverse it', () => {
    const id = customerIdFor({ email: 'ada@example.com' }, KEY)!;
    assert.notEqual(customerIdFor({ email: 'ada@example.com' }, 'another install'), id);
    const unkeyed = createHash('sha256').update('ada@example.com').digest('hex');
    assert.equal(unkeyed.includes(id.slice(3)), false);
    assert.notEqual(id, legacyCustomerIdFor('ada@example.com'));
  });
  test('a blank customer id falls back to the e-mail', () => {
    assert.equal(
      customerIdFor({ customerId: '  ', email: 'a@b.c' }, KEY),
      customerIdFor({ email: 'a@b.c' }, KEY),
    );
  });
  test('null when nothing identifies the customer', () => {
    assert.equal(customerIdFor({}, KEY), null);
    assert.equal(customerIdFor({ customerId: null, email: ' ' }, KEY), null);
  });
});

describe('legacyCustomerIdFor', () => {
  test('is the unkeyed id earlier versions gave', () => {
    assert.match(legacyCustomerIdFor('ada@example.com'), /^em_[0-9a-f]{20}$/);
  });
});

describe('tombstonesOf', () => {
  test('one keyed hash per identity, in normalized form, without the values themselves', () => {
    const stones = tombstonesOf(
      { customerId: ' 7301 ', email: 'Ada@Example.com', phone: '+49 30 1234567' },
      KEY,
    );
    assert.equal(stones.length, 3);
    assert.deepEqual(
      tombstonesOf({ customerId: '7301', email: 'ada@example.com', phone: '+49301234567' }, KEY),
      stones,
    );
    for (const stone of stones) assert.match(stone, /^[0-9a-f]{64}$/);
    assert.notDeepEqual(
      tombstonesOf({ email: 'ada@example.com' }, 'other'),
      tombstonesOf({ email: 'ada@example.com' }, KEY),
    );
    assert.deepEqual(tombstonesOf({ email: ' ', phone: null }, KEY), []);
  });
});
