// API key tokens: their shape, their ids, and that only a hash of them is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiKeyId, hashApiKey, matchesApiKey, newApiKey } from './apiKeyTokens.js';

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

test('a key matches only its own record, and nothing matches no record', () => {
  const { key, record } = newApiKey('shop', 1);
  assert.equal(matchesApiKey(record, key), true);
  assert.equal(matchesApiKey(record, key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a')), false);
  assert.equal(matchesApiKey(newApiKey('other', 1).record, key), false);
  assert.equal(matchesApiKey(null, key), false);
});
