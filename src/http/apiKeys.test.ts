import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSqliteStore } from '../store/sqlite/store.js';
import { apiKeyId, bearerToken, hashApiKey, newApiKey, verifyApiKey } from './apiKeys.js';

test('a new key is ak_<id>_<secret>, unique, and only its hash is in the record', () => {
  const a = newApiKey('shop', 1);
  const b = newApiKey('shop', 1);
  assert.match(a.key, /^ak_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.key, b.key);
  assert.equal(apiKeyId(a.key), a.record.id);
  assert.equal(a.record.hash, hashApiKey(a.key));
  assert.equal(JSON.stringify(a.record).includes(a.key.slice(16)), false);
  assert.equal(apiKeyId('ak_short_x'), null);
});

test('verification: the right key passes; a wrong, unknown or revoked one does not', async () => {
  const store = await openSqliteStore(':memory:');
  try {
    const { key, record } = newApiKey('shop', 1);
    await store.access.createApiKey(record);
    assert.deepEqual(await verifyApiKey(store.access, key), record);
    const flipped = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    assert.equal(await verifyApiKey(store.access, flipped), null);
    assert.equal(await verifyApiKey(store.access, newApiKey('other', 1).key), null);
    assert.equal(await verifyApiKey(store.access, 'garbage'), null);
    await store.access.revokeApiKey(record.id, 2);
    assert.equal(await verifyApiKey(store.access, key), null);
  } finally {
    await store.close();
  }
});

test('Bearer tokens are read from the Authorization header only in that form', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer  abc '), 'abc');
  assert.equal(bearerToken('Basic abc'), null);
  assert.equal(bearerToken('Bearer a b'), null);
  assert.equal(bearerToken(undefined), null);
  assert.equal(bearerToken(['Bearer abc']), null);
});
