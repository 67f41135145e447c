// Contract: the access port (src/store/accessPort.ts) — API keys, idempotent requests, single
// rows, conditional task changes, and a customer's export and erasure.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiKey, IdempotencyClaim } from '../../src/store/ports/access.js';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  event,
  placedEvent,
  task,
  testReducer,
  touchPointIdFor,
  withStore,
  type OpenStore,
} from './fixtures.js';

function apiKey(id: string, overrides: Partial<ApiKey> = {}): ApiKey {
  return {
    id,
    name: `key ${id}`,
    hash: `hash-of-${id}`,
    scopes: ['read'],
    createdAt: T0,
    expiresAt: null,
    revokedAt: null,
    lastUsedAt: null,
    ...overrides,
  };
}

function claim(overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim {
  return {
    apiKeyId: 'k1',
    key: 'idem-1',
    fingerprint: 'POST /orders body#1',
    token: 'tok-1',
    now: T0,
    lockUntil: T0 + MINUTE,
    ...overrides,
  };
}

export function accessContract(open: OpenStore): void {
  test('API keys are stored, listed oldest first, and revoked once', () =>
    withStore(open, async (store) => {
      await store.access.createApiKey(apiKey('b', { createdAt: T0 + 1 }));
      await store.access.createApiKey(apiKey('a', { createdAt: T0 + 1 }));
      await store.access.createApiKey(apiKey('z'));
      assert.deepEqual(
        (await store.access.listApiKeys()).map((k) => k.id),
        ['z', 'a', 'b'],
      );
      assert.deepEqual(await store.access.findApiKey('a'), apiKey('a', { createdAt: T0 + 1 }));
      assert.equal(await store.access.findApiKey('missing'), null);

      assert.deepEqual(
        await store.access.revokeApiKey('z', T0 + HOUR),
        apiKey('z', { revokedAt: T0 + HOUR }),
      );
      // A second revocation keeps the first time.
      assert.equal((await store.access.revokeApiKey('z', T0 + DAY))?.revokedAt, T0 + HOUR);
      assert.equal((await store.access.findApiKey('z'))?.revokedAt, T0 + HOUR);
      assert.equal(await store.access.revokeApiKey('missing', T0), null);
      await assert.rejects(store.access.createApiKey(apiKey('a')), { code: 'AFTERCARE_E_STORE' });
    }));

  test('API keys keep their scopes and expiry; last use is written at most once per interval', () =>
    withStore(open, async (store) => {
      const rep = apiKey('rep', { scopes: ['read', 'tasks'], expiresAt: T0 + 90 * DAY });
      const all = apiKey('all', { scopes: ['read', 'write', 'tasks', 'privacy'], createdAt: T0 + 1 });
      const none = apiKey('none', { scopes: [], createdAt: T0 + 2 });
      for (const key of [rep, all, none]) await store.access.createApiKey(key);
      assert.deepEqual(await store.access.findApiKey('rep'), rep);
      assert.deepEqual(await store.access.listApiKeys(), [rep, all, none]);

      await store.access.noteApiKeyUse('rep', T0 + HOUR, MINUTE);
      assert.equal((await store.access.findApiKey('rep'))?.lastUsedAt, T0 + HOUR);
      // Within the interval nothing is written, even by a caller that thinks it is time.
      await store.access.noteApiKeyUse('rep', T0 + HOUR + MINUTE - 1, MINUTE);
      assert.equal((await store.access.findApiKey('rep'))?.lastUsedAt, T0 + HOUR);
      await store.access.noteApiKeyUse('rep', T0 + HOUR + MINUTE, MINUTE);
      assert.equal((await store.access.findApiKey('rep'))?.lastUsedAt, T0 + HOUR + MINUTE);
      // An earlier time (a process with a slow clock) never moves it back.
      await store.access.noteApiKeyUse('rep', T0, MINUTE);
      assert.equal((await store.access.findApiKey('rep'))?.lastUsedAt, T0 + HOUR + MINUTE);
      await store.access.noteApiKeyUse('missing', T0, MINUTE);
      assert.equal((await store.access.findApiKey('all'))?.lastUsedAt, null);
      // Revoking keeps the rest of the key as it was.
      assert.deepEqual(await store.access.revokeApiKey('rep', T0 + DAY), {
        ...rep,
        lastUsedAt: T0 + HOUR + MINUTE,
        revokedAt: T0 + DAY,
      });
    }));

  test('an idempotency key starts once, replays the finished answer, and refuses another request', () =>
    withStore(open, async (store) => {
      assert.deepEqual(await store.access.beginIdempotent(claim()), { state: 'started' });
      assert.deepEqual(await store.access.beginIdempotent(claim({ token: 'tok-2' })), {
        state: 'in_progress',
      });
      assert.deepEqual(await store.access.beginIdempotent(claim({ fingerprint: 'other body' })), {
        state: 'mismatch',
      });
      // Keys are per API key: another API key's identical Idempotency-Key is its own.
      assert.deepEqual(await store.access.beginIdempotent(claim({ apiKeyId: 'k2' })), { state: 'started' });

      // A finish by an attempt that does not hold the key changes nothing.
      await store.access.finishIdempotent('k1', 'idem-1', 'tok-other', { status: 500, body: 'x' }, T0 + DAY);
      assert.deepEqual(await store.access.beginIdempotent(claim({ token: 'tok-3' })), {
        state: 'in_progress',
      });

      const response = { status: 201, body: '{"orderId":"o1"}' };
      await store.access.finishIdempotent('k1', 'idem-1', 'tok-1', response, T0 + DAY);
      assert.deepEqual(await store.access.beginIdempotent(claim({ token: 'tok-4', now: T0 + HOUR })), {
        state: 'replay',
        response,
      });
      assert.deepEqual(await store.access.beginIdempotent(claim({ fingerprint: 'other', now: T0 + HOUR })), {
        state: 'mismatch',
      });
      // Once expired, the key is free again, for any request.
      assert.deepEqual(
        await store.access.beginIdempotent(
          claim({ fingerprint: 'other', token: 'tok-5', now: T0 + DAY, lockUntil: T0 + DAY + MINUTE }),
        ),
        { state: 'started' },
      );
    }));

  test('an abandoned or crashed request frees its idempotency key', () =>
    withStore(open, async (store) => {
      assert.deepEqual(await store.access.beginIdempotent(claim()), { state: 'started' });
      await store.access.abandonIdempotent('k1', 'idem-1', 'tok-other');
      assert.deepEqual(await store.access.beginIdempotent(claim({ token: 'tok-2' })), {
        state: 'in_progress',
      });
      await store.access.abandonIdempotent('k1', 'idem-1', 'tok-1');
      assert.deepEqual(await store.access.beginIdempotent(claim({ token: 'tok-2' })), { state: 'started' });

      // tok-2 never finishes (the process died): after its lock another attempt takes over, and
      // tok-2's late finish is ignored.
      assert.deepEqual(await store.access.beginIdempotent(claim({ token: 'tok-3', now: T0 + MINUTE - 1 })), {
        state: 'in_progress',
      });
      assert.deepEqual(
        await store.access.beginIdempotent(
          claim({ token: 'tok-3', now: T0 + MINUTE, lockUntil: T0 + 2 * MINUTE }),
        ),
        { state: 'started' },
      );
      await store.access.finishIdempotent('k1', 'idem-1', 'tok-2', { status: 200, body: 'late' }, T0 + DAY);
      await store.access.finishIdempotent('k1', 'idem-1', 'tok-3', { status: 201, body: 'mine' }, T0 + DAY);
      assert.deepEqual(await store.access.beginIdempotent(claim({ token: 'tok-4', now: T0 + HOUR })), {
        state: 'replay',
        response: { status: 201, body: 'mine' },
      });
    }));

  test('parallel begins of one idempotency key start it exactly once', () =>
    withStore(open, async (store) => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.access.beginIdempotent(claim({ token: `tok-${i}` }))),
      );
      assert.equal(results.filter((r) => r.state === 'started').length, 1);
      assert.equal(results.filter((r) => r.state === 'in_progress').length, 7);
    }));

  test('expired idempotency records are purged', () =>
    withStore(open, async (store) => {
      await store.access.beginIdempotent(claim({ key: 'a' }));
      await store.access.finishIdempotent('k1', 'a', 'tok-1', { status: 200, body: '{}' }, T0 + DAY);
      await store.access.beginIdempotent(claim({ key: 'b', lockUntil: T0 + MINUTE }));
      await store.access.beginIdempotent(claim({ key: 'c' }));
      await store.access.finishIdempotent('k1', 'c', 'tok-1', { status: 200, body: '{}' }, T0 + 2 * DAY);
      assert.equal(await store.access.purgeIdempotency(T0), 0);
      assert.equal(await store.access.purgeIdempotency(T0 + DAY), 2);
      assert.equal(await store.access.purgeIdempotency(T0 + DAY), 0);
      assert.deepEqual(await store.access.beginIdempotent(claim({ key: 'c', now: T0 + DAY })), {
        state: 'replay',
        response: { status: 200, body: '{}' },
      });
    }));

  test('touch points and tasks are read by id; tasks change only from the expected status', () =>
    withStore(open, async (store) => {
      await store.intake.apply([placedEvent('e1', 'o1')], testReducer().reduce);
      const thanks = touchPointIdFor('o1', 'thanks');
      assert.equal((await store.reads.getTouchPoint(thanks))?.stepKey, 'thanks');
      assert.equal(await store.reads.getTouchPoint('missing'), null);

      await store.tasks.create(task('t1', thanks));
      assert.equal((await store.tasks.get('t1'))?.title, 'Call Ada');
      assert.equal(await store.tasks.get('missing'), null);

      const claims = await Promise.all(
        ['kim', 'lee', 'max'].map((owner) =>
          store.tasks.transition('t1', ['open'], { status: 'claimed', owner }),
        ),
      );
      const won = claims.filter((c) => c.ok);
      assert.equal(won.length, 1);
      const owner = won[0]!.task.owner;
      for (const lost of claims.filter((c) => !c.ok)) assert.equal(lost.task?.owner, owner);

      const done = await store.tasks.transition('t1', ['open', 'claimed'], {
        status: 'done',
        outcome: 'happy',
        notes: null,
        completedAt: T0 + HOUR,
      });
      assert.deepEqual(done, {
        ok: true,
        task: { ...task('t1', thanks), status: 'done', owner, outcome: 'happy', completedAt: T0 + HOUR },
      });
      assert.deepEqual(await store.tasks.get('t1'), done.ok ? done.task : null);
      const again = await store.tasks.transition('t1', ['open', 'claimed'], { status: 'done' });
      assert.equal(again.ok, false);
      assert.equal(again.task?.status, 'done');
      assert.deepEqual(await store.tasks.transition('missing', ['open'], { status: 'done' }), {
        ok: false,
        task: null,
      });
    }));

  test('a customer export holds every row about them and nobody else', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply(
        [
          placedEvent('e1', 'o1', { email: 'ada@example.com' }),
          placedEvent('e2', 'o2', { at: T0 + DAY }),
          event('e3', 'shipment.delayed', 'o1', { at: T0 + 2 * DAY }),
          placedEvent('e4', 'o3', { customerId: 'c2', email: 'bob@example.com' }),
        ],
        reduce,
      );
      await store.tasks.create(task('t1', touchPointIdFor('o1', 'thanks')));
      await store.tasks.create(
        task('t2', touchPointIdFor('o3', 'thanks'), { customerId: 'c2', orderId: 'o3' }),
      );

      const exported = await store.privacy.exportCustomer('c1');
      assert.ok(exported);
      assert.equal(exported.customer.email, 'ada@example.com');
      assert.deepEqual(
        exported.orders.map((o) => o.id),
        ['o1', 'o2'],
      );
      assert.deepEqual(
        exported.enrollments.map((e) => e.orderId),
        ['o1', 'o2'],
      );
      assert.deepEqual(
        exported.events.map((e) => e.id),
        ['e1', 'e2', 'e3'],
      );
      assert.equal(exported.touchPoints.length, 6);
      assert.ok(exported.touchPoints.every((t) => t.customerId === 'c1'));
      assert.deepEqual(
        exported.tasks.map((t) => t.id),
        ['t1'],
      );
      assert.equal(await store.privacy.exportCustomer('nobody'), null);
    }));

  test('erasing a customer leaves ids and times, a hashed suppression, and nothing personal', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply(
        [
          {
            ...placedEvent('e1', 'o1', {
              email: 'Ada.Lovelace@example.com',
              data: { note: 'Ada Lovelace, flat 3' },
            }),
            order: {
              placedAt: T0,
              number: '#1042',
              shippingAddress: {
                name: 'Ada Lovelace',
                company: null,
                line1: '12 St James Square',
                line2: 'Flat 3',
                city: 'London',
                region: null,
                postalCode: 'SW1Y 4JH',
                country: 'GB',
                phone: '+44 20 7946 0555',
              },
            },
          },
          event('e2', 'reply.received', 'o1', { at: T0 + MINUTE, data: { text: 'Thanks, Ada' } }),
          placedEvent('e3', 'o9', { customerId: 'c2', email: 'bob@example.com' }),
        ],
        reduce,
      );
      const thanks = touchPointIdFor('o1', 'thanks');
      const [claimed] = await store.queue.claimDue({ now: T0 + HOUR, limit: 1, leaseMs: HOUR, worker: 'w' });
      assert.equal(claimed?.touchPoint.id, thanks);
      await store.queue.recordOutcomes([
        { kind: 'sent', id: thanks, attempt: 1, at: T0 + HOUR, providerId: null },
      ]);
      await store.tasks.create(
        task('t1', touchPointIdFor('o1', 'arrived'), { script: 'Call Ada on +1 555' }),
      );
      await store.tasks.create(
        task('t2', touchPointIdFor('o1', 'tips'), { status: 'done', notes: 'Ada was happy', outcome: 'ok' }),
      );

      const before = await store.privacy.exportCustomer('c1');
      assert.equal(before?.orders[0]?.shippingAddress?.line1, '12 St James Square');

      const report = await store.privacy.eraseCustomer('c1', T0 + DAY);
      assert.deepEqual(report, {
        customerId: 'c1',
        suppressed: true,
        orders: 1,
        events: 2,
        tasks: 2,
        cancelledTouchPoints: 2,
        touchPointIds: ['test:o1:arrived', 'test:o1:thanks', 'test:o1:tips'],
        // Their id and their address.
        tombstones: 2,
        waitingCopies: 0,
      });
      assert.deepEqual(
        await store.consent.suppressed(['ada.lovelace@example.com']),
        new Set(['ada.lovelace@example.com']),
      );
      assert.equal(await store.reads.findCustomerByEmail('ada.lovelace@example.com'), null);

      const after = await store.privacy.exportCustomer('c1');
      assert.ok(after);
      const text = JSON.stringify(after).toLowerCase();
      for (const personal of ['ada', 'lovelace', 'flat 3', '555', 'happy', 'james square', 'sw1y'])
        assert.equal(text.includes(personal), false, `"${personal}" survived the erasure: ${text}`);
      assert.deepEqual(
        {
          email: after.customer.email,
          firstName: after.customer.firstName,
          attributes: after.customer.attributes,
          unsubscribedAt: after.customer.unsubscribedAt,
        },
        { email: null, firstName: null, attributes: { erased_at: T0 + DAY }, unsubscribedAt: T0 + DAY },
      );
      assert.deepEqual(
        after.touchPoints.map((t) => [t.stepKey, t.status, t.reason]),
        [
          ['thanks', 'sent', null],
          ['arrived', 'cancelled', { code: 'erased', detail: null }],
          ['tips', 'cancelled', { code: 'erased', detail: null }],
        ],
      );
      assert.deepEqual(
        after.tasks.map((t) => [t.id, t.status, t.script, t.notes, t.outcome]),
        [
          ['t1', 'cancelled', '', null, null],
          ['t2', 'done', '', null, null],
        ],
      );
      assert.ok(after.enrollments.every((e) => e.status === 'ended' && e.endedReason === 'erased'));
      assert.ok(after.events.every((e) => Object.keys(e.data).length === 0));
      assert.deepEqual(after.orders[0]?.items, []);
      assert.equal(after.orders[0]?.shippingAddress, null);
      // Not personal: what the customer knew the order by stays, like its id.
      assert.equal(after.orders[0]?.number, '#1042');

      // Nothing of theirs is claimable any more; a replayed event is still a duplicate.
      assert.deepEqual(
        await store.queue
          .claimDue({ now: T0 + 30 * DAY, limit: 10, leaseMs: HOUR, worker: 'w' })
          .then((claims) => claims.filter((c) => c.customer.id === 'c1')),
        [],
      );
      const [replayed] = await store.intake.apply(
        [placedEvent('e1', 'o1', { email: 'ada.lovelace@example.com' })],
        reduce,
      );
      assert.equal(replayed?.duplicate, true);

      // The other customer is untouched.
      assert.equal((await store.reads.getCustomer('c2'))?.email, 'bob@example.com');
      assert.equal(await store.privacy.eraseCustomer('nobody', T0), null);
    }));
}
