// `serve` and `worker` refuse to start without AFTERCARE_SECRET, saying how to make one; a short
// secret is refused by its length, never quoted.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
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
