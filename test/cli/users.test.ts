// `aftercare users`: a generated password is printed once on stdout and signs in; a chosen one is
// read from stdin; list never shows a hash; disable ends sign-in. Users are made only in an
// existing database, and a bad role is a usage error naming the field.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SystemClock } from '../../src/engine/clock.js';
import { sessionCommands } from '../../src/engine/commands/sessions.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { MAIN, cleanEnv, workspace, type CliResult } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

async function signsIn(email: string, password: string): Promise<boolean> {
  const store = await openSqliteStore(join(ws.dir, 'data', 'aftercare.db'));
  try {
    const sessions = sessionCommands({
      users: store.users,
      clock: new SystemClock(),
      lifetimes: { idleMs: 60_000, absoluteMs: 60_000 },
    });
    return (await sessions.signIn(email, password)).ok;
  } finally {
    await store.close();
  }
}

function withStdin(input: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN, ...args], {
      cwd: ws.dir,
      env: cleanEnv({ AFTERCARE_DATA_DIR: join(ws.dir, 'data') }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('aftercare users', () => {
  test('create, list and disable', async () => {
    const none = await ws.cli('users', 'list');
    assert.equal(none.code, 2, 'no database yet: nothing is created');
    assert.equal((await ws.cli('migrate')).code, 0);

    const created = await ws.cli(
      'users',
      'create',
      '--email',
      'anna@shop.test',
      '--role',
      'owner',
      '--name',
      'Anna',
    );
    assert.equal(created.code, 0, created.stderr);
    const password = created.stdout.trim();
    assert.match(password, /^[A-Za-z0-9]{20}$/);
    assert.match(created.stderr, /Created owner anna@shop\.test \(Anna\).*shown once/);
    assert.equal(await signsIn('anna@shop.test', password), true);

    const chosen = await withStdin(
      'a chosen password of mine\n',
      'users',
      'create',
      '--email',
      'ravi@shop.test',
      '--role',
      'rep',
      '--password-stdin',
    );
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.equal(chosen.stdout, '', 'a chosen password is not printed');
    assert.equal(await signsIn('ravi@shop.test', 'a chosen password of mine'), true);

    const twice = await ws.cli('users', 'create', '--email', 'ANNA@shop.test', '--role', 'viewer');
    assert.notEqual(twice.code, 0);
    assert.match(twice.stderr, /exists already/);
    const badRole = await ws.cli('users', 'create', '--email', 'x@shop.test', '--role', 'admin');
    assert.equal(badRole.code, 2);
    assert.match(badRole.stderr, /--role must be one of owner, manager, rep, viewer/);

    const listed = await ws.cli('users', 'list');
    assert.match(listed.stdout, /^anna@shop\.test\s+owner\s+active/m);
    assert.match(listed.stdout, /^ravi@shop\.test\s+rep\s+active/m);
    assert.doesNotMatch(listed.stdout + (await ws.cli('users', 'list', '--json')).stdout, /scrypt/);

    const disabled = await ws.cli('users', 'disable', 'ravi@shop.test');
    assert.equal(disabled.code, 0, disabled.stderr);
    assert.equal(await signsIn('ravi@shop.test', 'a chosen password of mine'), false);
    assert.match((await ws.cli('users', 'list')).stdout, /^ravi@shop\.test\s+rep\s+disabled/m);
  });
});
