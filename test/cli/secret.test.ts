// `serve` and `worker` refuse to start without AFTERCARE_SECRET, saying how to make one; the demo
// makes its own once and keeps it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { demoSecret } from '../../src/cli/secret.js';
import { workspace } from './run.js';

const ws = await workspace();
after(() => ws.cleanup());

for (const command of ['serve', 'worker']) {
  test(`${command} without AFTERCARE_SECRET stops before opening anything, saying how to make one`, async () => {
    const result = await ws.cli(command);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /AFTERCARE_SECRET: is required by `aftercare (serve|worker)`/);
    assert.match(result.stderr, /openssl rand -base64 48/);
    assert.match(result.stderr, /AFTERCARE_E_CONFIG/);
  });
}

test('the demo makes its secret once, private to its owner, and keeps it across restarts', async () => {
  const file = join(ws.dir, 'data', 'demo-secret');
  const first = await demoSecret(file);
  assert.ok(first.length >= 32);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.equal(await demoSecret(file), first);
  assert.equal((await readFile(file, 'utf8')).trim(), first);
});
