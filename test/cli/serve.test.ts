// `aftercare serve --demo`: a fresh demo folder, events fed on a fast clock, touch points out as
// .eml files and tasks, one log line each, and a clean stop on SIGTERM.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '../http/dashboardWorld.js';
import { spawnCli, workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

describe('aftercare serve --demo', () => {
  test('feeds demo orders over virtual time, dispatches touch points, stops on SIGTERM', async () => {
    // Left over from an earlier run: must be wiped.
    await mkdir(join(ws.dir, 'data', 'demo'), { recursive: true });
    await writeFile(join(ws.dir, 'data', 'demo', 'stale.txt'), 'old');

    // Port 0: any free port, so parallel test files never collide.
    const child = spawnCli(['serve', '--demo', '--orders', '30', '--speed', '36000'], {
      cwd: ws.dir,
      env: { AFTERCARE_PORT: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const closed = once(child, 'close');

    const outbox = join(ws.dir, 'data', 'demo', 'outbox');
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(existsSync(outbox) && (await readdir(outbox)).length >= 5))
      await sleep(200);
    // The HTTP server runs in the same process, where the start-up line says.
    const address = /"http":"(http:\/\/[^"]+)"/.exec(stdout)?.[1];
    assert.ok(address, `no HTTP address in the logs: ${stdout.slice(0, 2000)}`);
    const health = await fetch(`${address}/healthz`);
    assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }]);
    // The dashboard address and the demo owner's login it prints work: sign in as a person would.
    assert.ok(stderr.includes(`Dashboard: ${address}/dashboard/`), stderr.slice(0, 2000));
    const login = /demo owner: (\S+) {2}password: (\S+)/.exec(stderr);
    assert.ok(login, `a demo owner login: ${stderr.slice(0, 2000)}`);
    const client = new Client(address);
    const signedIn = await client.signIn(login[1]!, login[2]);
    assert.equal(signedIn.status, 303);
    const overview = await client.request('GET', '/dashboard/overview');
    assert.equal(overview.status, 200);
    assert.match(await overview.text(), /<h1[^>]*>/);
    child.kill('SIGTERM');
    const [code] = (await closed) as [number | null];

    assert.equal(code, 0, stderr);
    assert.equal(existsSync(join(ws.dir, 'data', 'demo', 'stale.txt')), false);
    const files = await readdir(outbox);
    assert.ok(files.filter((f) => f.endsWith('.eml')).length >= 5, `outbox: ${files.join(', ')}`);
    const logs = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg: string; outcome?: string; step?: string });
    assert.ok(
      logs.some((l) => l.msg.startsWith('arrived: ')),
      'events were fed',
    );
    assert.ok(
      logs.filter((l) => l.outcome === 'sent' && typeof l.step === 'string').length >= 5,
      'one line per touch point',
    );
    assert.equal(logs.at(-1)?.msg, 'stopped');
    assert.ok(existsSync(join(ws.dir, 'data', 'demo', 'orders.csv')));
  });
});
