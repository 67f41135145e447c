// The Bearer token is read from the Authorization header only in its one form.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bearerToken } from './auth.js';

test('Bearer tokens are read from the Authorization header only in that form', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer  abc '), 'abc');
  assert.equal(bearerToken('Basic abc'), null);
  assert.equal(bearerToken('Bearer a b'), null);
  assert.equal(bearerToken(undefined), null);
  assert.equal(bearerToken(['Bearer abc']), null);
});
