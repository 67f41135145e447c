import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRateWindows } from '../../store/memory/rateWindows.js';
import { VirtualClock } from '../clock.js';
import { signInLimitCommands } from './signInLimits.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 5, 1, 12);
const LIMITS = { account: { max: 3, windowMs: 15 * MINUTE }, address: { max: 5, windowMs: 10 * MINUTE } };

test('an account over its failures waits out the rest of its window; a success forgets them', async () => {
  const clock = new VirtualClock(T0);
  const limits = signInLimitCommands({ windows: new MemoryRateWindows(), clock });
  for (let i = 0; i < 3; i++)
    assert.equal(await limits.attempt('Ada@Shop.test', `10.0.0.${i}`, LIMITS), null);
  clock.advance(5 * MINUTE);
  // Any case, any address: the same account; 10 minutes of its 15 are left.
  assert.equal(await limits.attempt(' ada@shop.TEST ', '10.0.0.9', LIMITS), 600);
  clock.advance(10 * MINUTE);
  assert.equal(await limits.attempt('ada@shop.test', '10.0.1.1', LIMITS), null, 'a new window');
  await limits.succeeded('ADA@shop.test');
  for (let i = 0; i < 3; i++)
    assert.equal(await limits.attempt('ada@shop.test', `10.0.2.${i}`, LIMITS), null);
});

test('an address over its attempts waits, whichever accounts it tries', async () => {
  const clock = new VirtualClock(T0);
  const limits = signInLimitCommands({ windows: new MemoryRateWindows(), clock });
  for (let i = 0; i < 5; i++)
    assert.equal(await limits.attempt(`u${i}@shop.test`, '192.0.2.7', LIMITS), null);
  clock.advance(30_500);
  assert.equal(await limits.attempt('new@shop.test', '192.0.2.7', LIMITS), 570);
  assert.equal(await limits.attempt('new@shop.test', '192.0.2.8', LIMITS), null, 'another address');
  clock.advance(10 * MINUTE);
  assert.equal(await limits.attempt('new@shop.test', '192.0.2.7', LIMITS), null);
});
