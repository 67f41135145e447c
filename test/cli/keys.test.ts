// `aftercare keys`: a key is printed once and works against the API; listed without its secret;
// revoked at once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SystemClock } from '../../src/engine/clock.js';
import { apiKeyCommands } from '../../src/engine/commands/apiKeys.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

async function verify(key: string) {
  const store = await openSqliteStore(join(ws.dir, 'data', 'aftercare.db'));
  try {
    return await apiKeyCommands({ access: store.access, clock: new SystemClock() }).authenticate(key);
  } finally {
    await store.close();
  }
}

describe('aftercare keys', () => {
  test('create prints the key once; list shows it without the secret; revoke ends it', async () => {
    const empty = await ws.cli('keys', 'list');
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /No API keys yet/);

    const created = await ws.cli('keys', 'create', '--name', 'shopify sync');
    assert.equal(created.code, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^ak_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /not shown again/);
    const id = key.slice(3, 15);
    assert.equal((await verify(key))?.name, 'shopify sync');

    const listed = await ws.cli('keys', 'list');
    assert.match(listed.stdout, new RegExp(`^${id}\\s+active\\s+\\S+\\s+-\\s+shopify sync$`, 'm'));
    assert.equal(listed.stdout.includes(key.slice(16)), false, 'the secret is never listed');
    const json = JSON.parse((await ws.cli('keys', 'list', '--json')).stdout) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(json[0]!).sort(), ['createdAt', 'id', 'name', 'revokedAt']);

    const revoked = await ws.cli('keys', 'revoke', id);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`Revoked API key ${id}`));
    assert.equal(await verify(key), null);
    assert.match((await ws.cli('keys', 'list')).stdout, new RegExp(`^${id}\\s+revoked`, 'm'));
  });

  test('usage problems and unknown keys are reported with their code', async () => {
    const noName = await ws.cli('keys', 'create');
    assert.equal(noName.code, 2);
    const badName = await ws.cli('keys', 'create', '--name', 'bad\nname');
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /AFTERCARE_E_INPUT_INVALID/);
    const unknown = await ws.cli('keys', 'revoke', 'nosuchkey000');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /AFTERCARE_E_NOT_FOUND/);
  });
});
