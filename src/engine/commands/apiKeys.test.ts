// API key commands: created once (hash kept) with scopes and an expiry, listed without the hash,
// revoked by id or by key; authentication refuses wrong, unknown, malformed and revoked keys alike,
// tells an expired key so, and notes the last use at most once a minute.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { HOUR, T0, commandWorld, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
beforeEach(async () => {
  w = await commandWorld();
});
afterEach(() => w.close());

describe('API key commands', () => {
  test('create: the key once, its name trimmed; only the hash is stored', async () => {
    const created = await w.commands.apiKeys.create('  shopify sync ');
    assert.ok(created.ok);
    assert.match(created.key, /^ak_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(created.info, {
      id: created.key.slice(3, 15),
      name: 'shopify sync',
      scopes: ['read'],
      createdAt: T0,
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
    });
    const stored = await w.store.access.findApiKey(created.info.id);
    assert.ok(stored && stored.hash.length === 64 && !JSON.stringify(stored).includes(created.key));
  });

  test('create: a name outside 1-100 letters, digits, spaces and . _ : @ / - is refused', async () => {
    for (const name of ['', '   ', 'bad\nname', 'x'.repeat(101), 'semi;colon']) {
      assert.deepEqual(await w.commands.apiKeys.create(name), { ok: false, why: 'invalid_name' }, name);
    }
    assert.ok((await w.commands.apiKeys.create('Zoë @ shop.example/sync:1')).ok);
    assert.equal((await w.commands.apiKeys.list()).length, 1);
  });

  test('list: oldest first, never the hash', async () => {
    await w.commands.apiKeys.create('first');
    w.clock.advance(HOUR);
    await w.commands.apiKeys.create('second');
    const listed = await w.commands.apiKeys.list();
    assert.deepEqual(
      listed.map((k) => k.name),
      ['first', 'second'],
    );
    assert.deepEqual(Object.keys(listed[0]!).sort(), [
      'createdAt',
      'expiresAt',
      'id',
      'lastUsedAt',
      'name',
      'revokedAt',
      'scopes',
    ]);
  });

  test('revoke by id or by the whole key; an unknown one is not_found with the id looked for', async () => {
    const one = await w.commands.apiKeys.create('one');
    const two = await w.commands.apiKeys.create('two');
    assert.ok(one.ok && two.ok);
    w.clock.advance(HOUR);
    const byId = await w.commands.apiKeys.revoke(` ${one.info.id} `);
    assert.ok(byId.ok);
    assert.equal(byId.info.revokedAt, T0 + HOUR);
    const byKey = await w.commands.apiKeys.revoke(two.key);
    assert.ok(byKey.ok && byKey.info.id === two.info.id);
    assert.deepEqual(await w.commands.apiKeys.revoke('nosuchkey000'), {
      ok: false,
      why: 'not_found',
      id: 'nosuchkey000',
    });
  });

  test('authenticate: the right key passes; a wrong, unknown, malformed or revoked one does not', async () => {
    const created = await w.commands.apiKeys.create('shop');
    assert.ok(created.ok);
    const { key } = created;
    const passed = await w.commands.apiKeys.authenticate(key);
    assert.ok(passed.ok && passed.key.id === created.info.id);
    const invalid = { ok: false, why: 'invalid' };
    const flipped = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    assert.deepEqual(await w.commands.apiKeys.authenticate(flipped), invalid);
    assert.deepEqual(
      await w.commands.apiKeys.authenticate(`ak_${'a'.repeat(12)}_${'b'.repeat(43)}`),
      invalid,
    );
    assert.deepEqual(await w.commands.apiKeys.authenticate('garbage'), invalid);
    await w.commands.apiKeys.revoke(created.info.id);
    assert.deepEqual(await w.commands.apiKeys.authenticate(key), invalid);
  });

  test('create: scopes by name, in their canonical order; an unknown one is refused by name', async () => {
    const rep = await w.commands.apiKeys.create('rep', { scopes: ['tasks', ' Read ', 'tasks'] });
    assert.ok(rep.ok);
    assert.deepEqual(rep.info.scopes, ['read', 'tasks']);
    assert.deepEqual((await w.store.access.findApiKey(rep.info.id))?.scopes, ['read', 'tasks']);
    const all = await w.commands.apiKeys.create('all', { scopes: ['privacy', 'write', 'tasks', 'read'] });
    assert.ok(all.ok);
    assert.deepEqual(all.info.scopes, ['read', 'write', 'tasks', 'privacy']);
    assert.deepEqual(await w.commands.apiKeys.create('x', { scopes: ['read', 'admin'] }), {
      ok: false,
      why: 'invalid_scope',
      scope: 'admin',
    });
  });

  test('expiry: a key works until its expiry, then is refused as expired; a past expiry is refused', async () => {
    assert.deepEqual(await w.commands.apiKeys.create('late', { expiresAt: T0 }), {
      ok: false,
      why: 'expiry_passed',
    });
    const created = await w.commands.apiKeys.create('quarter', { expiresAt: T0 + 90 * 24 * HOUR });
    assert.ok(created.ok);
    assert.equal(created.info.expiresAt, T0 + 90 * 24 * HOUR);
    w.clock.advance(90 * 24 * HOUR - 1);
    assert.ok((await w.commands.apiKeys.authenticate(created.key)).ok);
    w.clock.advance(1);
    assert.deepEqual(await w.commands.apiKeys.authenticate(created.key), {
      ok: false,
      why: 'expired',
      expiredAt: T0 + 90 * 24 * HOUR,
    });
    // A wrong secret for an expired key is just invalid: only the key's holder learns it expired.
    const flipped = created.key.slice(0, -1) + (created.key.endsWith('a') ? 'b' : 'a');
    assert.deepEqual(await w.commands.apiKeys.authenticate(flipped), { ok: false, why: 'invalid' });
  });

  test('last used: noted on the first use, then at most once a minute', async () => {
    const created = await w.commands.apiKeys.create('shop');
    assert.ok(created.ok);
    const lastUsed = async () => (await w.store.access.findApiKey(created.info.id))?.lastUsedAt;
    assert.equal(await lastUsed(), null);
    await w.commands.apiKeys.authenticate(created.key);
    assert.equal(await lastUsed(), T0);
    w.clock.advance(59_999);
    await w.commands.apiKeys.authenticate(created.key);
    assert.equal(await lastUsed(), T0, 'not written again within the minute');
    w.clock.advance(1);
    await w.commands.apiKeys.authenticate(created.key);
    assert.equal(await lastUsed(), T0 + 60_000);
  });
});
