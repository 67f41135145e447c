// Contract: the users port (dashboard people and sessions) and customer search (prefix by
// address, keyset pages, temperature bands).
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '../../src/store/ports/users.js';
import { HOUR, MINUTE, T0, placedEvent, testReducer, withStore, type OpenStore } from './fixtures.js';

function user(id: string, email: string, overrides: Partial<User> = {}): User {
  return {
    id,
    email,
    name: null,
    role: 'rep',
    passwordHash: `scrypt$hash-of-${id}`,
    timeZone: 'Europe/Berlin',
    createdAt: T0,
    disabledAt: null,
    ...overrides,
  };
}

export function usersContract(open: OpenStore): void {
  test('a user is created once per address in any case, found by id and address, listed by address', () =>
    withStore(open, async (store) => {
      assert.equal(await store.users.createUser(user('u1', 'Rita@Shop.test', { name: 'Rita' })), true);
      assert.equal(await store.users.createUser(user('u2', 'rita@shop.TEST')), false);
      assert.equal(await store.users.createUser(user('u3', 'anna@shop.test', { role: 'owner' })), true);
      assert.deepEqual(await store.users.getUser('u1'), user('u1', 'Rita@Shop.test', { name: 'Rita' }));
      assert.equal((await store.users.findUserByEmail(' RITA@shop.test '))?.id, 'u1');
      assert.equal(await store.users.findUserByEmail('nobody@shop.test'), null);
      assert.deepEqual(
        (await store.users.listUsers()).map((u) => [u.id, u.role]),
        [
          ['u3', 'owner'],
          ['u1', 'rep'],
        ],
      );
    }));

  test('disabling keeps the first time and ends every session of the user', () =>
    withStore(open, async (store) => {
      await store.users.createUser(user('u1', 'rita@shop.test'));
      await store.users.createUser(user('u2', 'anna@shop.test'));
      const session = { createdAt: T0, lastSeenAt: T0, expiresAt: T0 + 12 * HOUR };
      await store.users.createSession({ id: 's1', userId: 'u1', ...session });
      await store.users.createSession({ id: 's2', userId: 'u1', ...session });
      await store.users.createSession({ id: 's3', userId: 'u2', ...session });
      assert.equal((await store.users.disableUser('u1', T0 + HOUR))?.disabledAt, T0 + HOUR);
      assert.equal((await store.users.disableUser('u1', T0 + 2 * HOUR))?.disabledAt, T0 + HOUR);
      assert.equal(await store.users.disableUser('nobody', T0), null);
      assert.equal(await store.users.getSession('s1'), null);
      assert.equal(await store.users.getSession('s2'), null);
      assert.equal((await store.users.getSession('s3'))?.userId, 'u2');
    }));

  test('sessions: touched at most once per interval, ended one or all at once, purged by either expiry', () =>
    withStore(open, async (store) => {
      await store.users.createSession({
        id: 's1',
        userId: 'u1',
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: T0 + 8 * HOUR,
      });
      await store.users.touchSession('s1', T0 + 30_000, MINUTE);
      assert.equal((await store.users.getSession('s1'))?.lastSeenAt, T0);
      await store.users.touchSession('s1', T0 + 2 * MINUTE, MINUTE);
      assert.deepEqual(await store.users.getSession('s1'), {
        id: 's1',
        userId: 'u1',
        createdAt: T0,
        lastSeenAt: T0 + 2 * MINUTE,
        expiresAt: T0 + 8 * HOUR,
      });
      await store.users.createSession({
        id: 's2',
        userId: 'u1',
        createdAt: T0,
        lastSeenAt: T0,
        expiresAt: T0 + HOUR,
      });
      await store.users.createSession({
        id: 's3',
        userId: 'u2',
        createdAt: T0,
        lastSeenAt: T0 + 3 * HOUR,
        expiresAt: T0 + 9 * HOUR,
      });
      await store.users.createSession({
        id: 's4',
        userId: 'u2',
        createdAt: T0,
        lastSeenAt: T0 + 3 * HOUR,
        expiresAt: T0 + 9 * HOUR,
      });
      // At T0 + 3h, idle since before T0 + 1h is too long: s1 (idle), s2 (expired) go.
      assert.equal(await store.users.purgeSessions(T0 + 3 * HOUR, T0 + HOUR), 2);
      assert.equal(await store.users.getSession('s1'), null);
      await store.users.deleteSession('s3');
      assert.equal(await store.users.getSession('s3'), null);
      assert.equal(await store.users.deleteUserSessions('u2'), 1);
      assert.equal(await store.users.getSession('s4'), null);
    }));

  test('customer search: by the start of the address in any case, a keyset page at a time; all by id', () =>
    withStore(open, async (store) => {
      const emails = ['anna@a.test', 'Ann@b.test', 'bert@a.test', 'annika@c.test', 'ANNA@d.test'];
      await store.intake.apply(
        emails.map((email, i) => placedEvent(`e${i}`, `o${i}`, { customerId: `c${i}`, email })),
        testReducer().reduce,
      );
      const page1 = await store.customerSearch.searchCustomers({ emailPrefix: 'ann', limit: 2 });
      assert.deepEqual(
        page1.map((c) => c.email),
        ['Ann@b.test', 'anna@a.test'],
      );
      const last = page1.at(-1)!;
      const page2 = await store.customerSearch.searchCustomers({
        emailPrefix: 'ann',
        after: { key: last.email!.toLowerCase(), id: last.id },
        limit: 2,
      });
      assert.deepEqual(
        page2.map((c) => c.email),
        ['ANNA@d.test', 'annika@c.test'],
      );
      const all = await store.customerSearch.searchCustomers({ limit: 10 });
      assert.deepEqual(
        all.map((c) => c.id),
        ['c0', 'c1', 'c2', 'c3', 'c4'],
      );
      const rest = await store.customerSearch.searchCustomers({ after: { key: '', id: 'c2' }, limit: 10 });
      assert.deepEqual(
        rest.map((c) => c.id),
        ['c3', 'c4'],
      );
      assert.deepEqual(await store.customerSearch.searchCustomers({ emailPrefix: 'zz', limit: 10 }), []);
      // Every new customer is at the neutral 50.
      assert.deepEqual(await store.customerSearch.temperatureBands([20, 40, 60, 80]), [0, 0, 5, 0, 0]);
    }));
}
