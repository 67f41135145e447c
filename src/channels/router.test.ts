// Routing touch points to channel adapters by channel name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANNELS } from '../core/domain.js';
import { CaptureChannel } from './capture.js';
import type { Channel } from './port.js';
import { ChannelRouter } from './router.js';

test('the first adapter listed for a name wins', () => {
  const tasks = new CaptureChannel(['task:call', 'task:meeting']);
  const everything = new CaptureChannel();
  const router = new ChannelRouter([tasks, everything]);
  assert.equal(router.get('task:call'), tasks);
  assert.equal(router.get('task:meeting'), tasks);
  assert.equal(router.get('email'), everything);
  assert.equal(router.get('task:gift'), everything);
  assert.deepEqual(router.names().sort(), [...CHANNELS].sort());
});

test('a name nobody serves has no adapter', () => {
  const router = new ChannelRouter([new CaptureChannel(['email'])]);
  assert.equal(router.get('sms'), undefined);
  assert.deepEqual(router.names(), ['email']);
});

test('close closes each adapter once and reports a failure after closing the rest', async () => {
  const closed: string[] = [];
  const adapter = (name: string, fail: boolean): Channel => ({
    handles: name === 'a' ? ['email', 'sms'] : ['webhook'],
    send: () => Promise.resolve({ providerId: null }),
    close: () => {
      closed.push(name);
      return fail ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve();
    },
  });
  const a = adapter('a', true);
  const router = new ChannelRouter([a, a, adapter('b', false), new CaptureChannel()]);
  await assert.rejects(router.close(), /a failed/);
  assert.deepEqual(closed, ['a', 'b']);
});
