// Users and sessions on the in-memory store with a virtual wall clock: scrypt hashes that carry
// their parameters, sign-in answers alike for every refusal, idle and absolute expiry, disabling.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openMemoryStore } from '../../store/memory/store.js';
import { VirtualClock } from '../clock.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { sessionCommands } from './sessions.js';
import { userCommands } from './users.js';

const T0 = Date.UTC(2026, 5, 1, 9);
const MINUTE = 60_000;

async function world() {
  const store = await openMemoryStore();
  const clock = new VirtualClock(T0);
  const users = userCommands({ users: store.users, clock, defaultTimeZone: 'Europe/Berlin' });
  const sessions = sessionCommands({
    users: store.users,
    clock,
    lifetimes: { idleMs: 30 * MINUTE, absoluteMs: 120 * MINUTE },
  });
  return { store, clock, users, sessions };
}

test('a hash carries its parameters and a salt; only the right password verifies', async () => {
  const a = await hashPassword('a long enough password');
  const b = await hashPassword('a long enough password');
  assert.match(a, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a, b, 'salted');
  assert.equal(await verifyPassword('a long enough password', a), true);
  assert.equal(await verifyPassword('a long enough passworD', a), false);
  assert.equal(await verifyPassword('anything', null), false);
  assert.equal(await verifyPassword('anything', 'md5$abc'), false);
});

test('users: a generated password is returned once and works; bad input is named', async () => {
  const { users, sessions } = await world();
  const created = await users.create({ email: 'Rita@Shop.test', role: 'rep' });
  assert.ok(created.ok && created.generatedPassword !== null);
  assert.equal(created.user.timeZone, 'Europe/Berlin');
  assert.equal((await sessions.signIn('rita@shop.test', created.generatedPassword)).ok, true);
  assert.deepEqual(await users.create({ email: 'rita@shop.TEST', role: 'owner', password: 'x'.repeat(12) }), {
    ok: false,
    why: 'exists',
  });
  await assert.rejects(
    users.create({ email: 'a@b.test', role: 'admin' }),
    /role: must be one of owner, manager, rep, viewer/,
  );
  await assert.rejects(
    users.create({ email: 'a@b.test', role: 'rep', password: 'short' }),
    /password: must be at least 12/,
  );
  await assert.rejects(users.create({ email: 'not an address', role: 'rep' }), /email:/);
  await assert.rejects(users.create({ email: 'a@b.test', role: 'rep', timeZone: 'Mars/Olympus' }), /zone:/);
});

test('sessions end when idle too long and at their absolute end, however active', async () => {
  const { users, sessions, clock } = await world();
  await users.create({ email: 'rita@shop.test', role: 'rep', password: 'correct horse battery' });
  assert.deepEqual(await sessions.signIn('rita@shop.test', 'wrong horse battery'), { ok: false });
  assert.deepEqual(await sessions.signIn('nobody@shop.test', 'correct horse battery'), { ok: false });
  const idle = await sessions.signIn('rita@shop.test', 'correct horse battery');
  assert.ok(idle.ok);
  clock.advance(31 * MINUTE);
  assert.equal(await sessions.resolve(idle.token), null, 'idle for 31 minutes');

  const busy = await sessions.signIn('rita@shop.test', 'correct horse battery');
  assert.ok(busy.ok);
  for (let i = 0; i < 5; i += 1) {
    clock.advance(20 * MINUTE);
    assert.ok(await sessions.resolve(busy.token), `still good after ${(i + 1) * 20} minutes of use`);
  }
  clock.advance(20 * MINUTE);
  assert.equal(await sessions.resolve(busy.token), null, 'past two hours in all');
  assert.equal(await sessions.resolve('not-a-token'), null);
});

test('disabling a user ends their sessions and refuses their password', async () => {
  const { users, sessions } = await world();
  await users.create({ email: 'rita@shop.test', role: 'rep', password: 'correct horse battery' });
  const signedIn = await sessions.signIn('rita@shop.test', 'correct horse battery');
  assert.ok(signedIn.ok);
  assert.ok(await users.disable('RITA@shop.test'));
  assert.equal(await sessions.resolve(signedIn.token), null);
  assert.deepEqual(await sessions.signIn('rita@shop.test', 'correct horse battery'), { ok: false });
  assert.equal(await users.disable('nobody@shop.test'), null);
});
