// `aftercare keys`: a key is printed once with its scopes and expiry and works against the API;
// listed without its secret, with scopes, expiry and last use; revoked at once. Keys are made only
// in an existing database: a mistyped AFTERCARE_DB creates nothing.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SystemClock } from '../../src/engine/clock.js';
import { apiKeyCommands } from '../../src/engine/commands/apiKeys.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { runCli, workspace } from './run.js';

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
    const outcome = await apiKeyCommands({ access: store.access, clock: new SystemClock() }).authenticate(
      key,
    );
    return outcome.ok ? outcome.key : null;
  } finally {
    await store.close();
  }
}

const DAY = 86_400_000;

describe('aftercare keys', () => {
  test('without a database, keys commands name the path and create nothing', async () => {
    const db = join(ws.dir, 'data', 'aftercare.db');
    for (const args of [
      ['keys', 'list'],
      ['keys', 'create', '--name', 'x'],
      ['keys', 'revoke', 'abc'],
    ]) {
      const refused = await ws.cli(...args);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, /no Aftercare database at .*aftercare\.db.*AFTERCARE_E_STORE_NOT_FOUND/);
      assert.equal(existsSync(db), false, `${args.join(' ')} created ${db}`);
    }
    assert.equal(existsSync(join(ws.dir, 'data')), false, 'not even the folder');
  });

  test('create prints the key once; list shows it without the secret; revoke ends it', async () => {
    assert.equal((await ws.cli('migrate')).code, 0);
    const empty = await ws.cli('keys', 'list');
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stdout, /No API keys yet/);

    const created = await ws.cli('keys', 'create', '--name', 'shopify sync', '--scope', 'write');
    assert.equal(created.code, 0, created.stderr);
    const key = created.stdout.trim();
    assert.match(key, /^ak_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.match(created.stderr, /with scopes write, never expiring\. .*not shown again/);
    const id = key.slice(3, 15);
    assert.equal((await verify(key))?.name, 'shopify sync');

    const listed = await ws.cli('keys', 'list');
    assert.match(
      listed.stdout,
      new RegExp(`^${id}\\s+active\\s+write\\s+\\S+\\s+-\\s+\\S+\\s+-\\s+shopify sync$`, 'm'),
    );
    assert.equal(listed.stdout.includes(key.slice(16)), false, 'the secret is never listed');
    const json = JSON.parse((await ws.cli('keys', 'list', '--json')).stdout) as Record<string, unknown>[];
    assert.deepEqual(Object.keys(json[0]!).sort(), [
      'createdAt',
      'expiresAt',
      'id',
      'lastUsedAt',
      'name',
      'revokedAt',
      'scopes',
    ]);
    assert.notEqual(json[0]!.lastUsedAt, null, 'verify() used it');

    const revoked = await ws.cli('keys', 'revoke', id);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match(revoked.stdout, new RegExp(`Revoked API key ${id}`));
    assert.equal(await verify(key), null);
    assert.match((await ws.cli('keys', 'list')).stdout, new RegExp(`^${id}\\s+revoked`, 'm'));
  });

  test('--scope and --expires: a list or repeated flags, a duration or a date', async () => {
    const before = Date.now();
    const rep = await ws.cli('keys', 'create', '--name', 'rep', '--scope', 'tasks,read', '--expires', '90d');
    assert.equal(rep.code, 0, rep.stderr);
    const dated = await ws.cli(
      'keys',
      'create',
      '--name',
      'audit',
      '--scope',
      'read',
      '--scope',
      'privacy',
      '--expires',
      '2099-03-01',
    );
    assert.equal(dated.code, 0, dated.stderr);
    const plain = await ws.cli('keys', 'create', '--name', 'plain');
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stderr, /with scopes read, never expiring/);
    const keys = JSON.parse((await ws.cli('keys', 'list', '--json')).stdout) as {
      name: string;
      scopes: string[];
      expiresAt: number | null;
    }[];
    const byName = new Map(keys.map((k) => [k.name, k]));
    assert.deepEqual(byName.get('rep')?.scopes, ['read', 'tasks']);
    const repExpiry = byName.get('rep')!.expiresAt!;
    assert.ok(repExpiry >= before + 90 * DAY && repExpiry <= Date.now() + 90 * DAY);
    assert.deepEqual(byName.get('audit')?.scopes, ['read', 'privacy']);
    assert.equal(byName.get('audit')?.expiresAt, Date.UTC(2099, 2, 1));
    assert.deepEqual(byName.get('plain'), { ...byName.get('plain'), scopes: ['read'], expiresAt: null });
    assert.match(
      (await ws.cli('keys', 'list')).stdout,
      /^\S+\s+active\s+read,privacy\s+\S+\s+2099-03-01T00:00:00\.000Z\s+-\s+-\s+audit$/m,
    );
  });

  test('usage problems and unknown keys are reported with their code', async () => {
    const noName = await ws.cli('keys', 'create');
    assert.equal(noName.code, 2);
    const badName = await ws.cli('keys', 'create', '--name', 'bad\nname');
    assert.equal(badName.code, 2);
    assert.match(badName.stderr, /AFTERCARE_E_INPUT_INVALID/);
    const badScope = await ws.cli('keys', 'create', '--name', 'x', '--scope', 'read,admin');
    assert.equal(badScope.code, 2);
    assert.match(badScope.stderr, /--scope: "admin" is not one of read, write, tasks, privacy/);
    for (const expires of ['soon', '2020-01-01']) {
      const bad = await ws.cli('keys', 'create', '--name', 'x', '--expires', expires);
      assert.equal(bad.code, 2, expires);
      assert.match(bad.stderr, /--expires/, expires);
    }
    const unknown = await ws.cli('keys', 'revoke', 'nosuchkey000');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /AFTERCARE_E_NOT_FOUND/);
  });

  test('status and keys list with a mistyped AFTERCARE_DB fail and leave no file', async () => {
    const typo = join(ws.dir, 'data', 'aftercre.db');
    for (const args of [['status'], ['keys', 'list']]) {
      const result = await runCli(args, { cwd: ws.dir, env: { AFTERCARE_DB: typo } });
      assert.equal(result.code, 2, result.stderr);
      assert.ok(result.stderr.includes(`no Aftercare database at ${typo}`), result.stderr);
      assert.equal(existsSync(typo), false);
    }
    const url = await runCli(['status'], { cwd: ws.dir, env: { AFTERCARE_DB: `sqlite://${typo}` } });
    assert.equal(url.code, 2, url.stderr);
    assert.equal(existsSync(typo), false);
  });
});
