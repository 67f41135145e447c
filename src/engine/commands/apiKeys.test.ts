// API key commands: created once (hash kept), listed without the hash, revoked by id or by key,
// and authentication that refuses wrong, unknown, malformed and revoked keys alike.
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
      createdAt: T0,
      revokedAt: null,
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
    assert.deepEqual(Object.keys(listed[0]!).sort(), ['createdAt', 'id', 'name', 'revokedAt']);
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
    assert.equal((await w.commands.apiKeys.authenticate(key))?.id, created.info.id);
    const flipped = key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a');
    assert.equal(await w.commands.apiKeys.authenticate(flipped), null);
    assert.equal(await w.commands.apiKeys.authenticate(`ak_${'a'.repeat(12)}_${'b'.repeat(43)}`), null);
    assert.equal(await w.commands.apiKeys.authenticate('garbage'), null);
    await w.commands.apiKeys.revoke(created.info.id);
    assert.equal(await w.commands.apiKeys.authenticate(key), null);
  });
});
