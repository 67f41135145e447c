// Contract: the mailing list. Every store keeps one subscriber per address (any case), moves it
// pending -> confirmed -> unsubscribed with the proof of consent, limits confirmation mails,
// lists news by time, gives each subscriber's digest period to exactly one claimant (a dead
// claimant's lease ends and another takes it), and exports and erases a person's subscriptions.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConsentProof, SignUp } from '../../src/store/ports/mailingList.js';
import { DAY, HOUR, MINUTE, T0, withStore, type OpenStore } from './fixtures.js';

const signUp = (id: string, email: string, overrides: Partial<SignUp> = {}): SignUp => ({
  id,
  email,
  customerId: null,
  locale: 'de-DE',
  timezone: 'Europe/Berlin',
  source: 'form',
  ip: '192.0.2.7',
  at: T0,
  ...overrides,
});

const proof = (at: number): ConsentProof => ({
  requestSource: 'form',
  requestedAt: T0,
  requestIp: '192.0.2.7',
  confirmedAt: at,
  confirmIp: '192.0.2.8',
  confirmUserAgent: 'Mobile Safari',
  wording: 'Yes, send me the news digest.',
});

export function mailingListContract(open: OpenStore): void {
  test('one subscriber per address, any case; confirm keeps the proof; unsubscribe, then sign up again', async () => {
    await withStore(open, async (store) => {
      const list = store.mailingList;
      const first = await list.signUp(signUp('s1', ' Ada@Example.com '));
      assert.equal(first.status, 'pending');
      assert.equal(first.email, 'Ada@Example.com');
      const again = await list.signUp(signUp('s2', 'ada@example.COM', { at: T0 + HOUR }));
      assert.equal(again.id, 's1');
      assert.equal(again.requestedAt, T0);
      assert.equal((await list.findByEmail('ADA@example.com'))?.id, 's1');
      assert.equal(await list.get('s2'), null);

      const confirmed = await list.confirm('s1', proof(T0 + HOUR));
      assert.equal(confirmed?.status, 'confirmed');
      assert.deepEqual(confirmed?.consent, proof(T0 + HOUR));
      // Confirming twice changes nothing; a stranger's id confirms nothing.
      assert.deepEqual((await list.confirm('s1', proof(T0 + 2 * HOUR)))?.consent, proof(T0 + HOUR));
      assert.equal(await list.confirm('nope', proof(T0)), null);

      const gone = await list.unsubscribe('s1', T0 + DAY, 'one-click');
      assert.equal(gone?.status, 'unsubscribed');
      assert.equal((await list.unsubscribe('s1', T0 + 2 * DAY, 'page'))?.unsubscribedAt, T0 + DAY);
      assert.equal(await list.confirm('s1', proof(T0 + 2 * DAY)), null);
      const back = await list.signUp(signUp('s3', 'ada@example.com', { at: T0 + 3 * DAY, source: 'api' }));
      assert.equal(back.id, 's1');
      assert.equal(back.status, 'pending');
      assert.equal(back.requestSource, 'api');
      assert.equal(back.consent, null);
      assert.equal(back.unsubscribedAt, null);
    });
  });

  test('confirmation mails: one per gap, at most max until a window passes, none once confirmed', async () => {
    await withStore(open, async (store) => {
      const list = store.mailingList;
      await list.signUp(signUp('s1', 'bob@example.com'));
      const rule = (at: number) => ({ at, minGapMs: 10 * MINUTE, max: 3, windowMs: DAY });
      assert.equal(await list.takeConfirmationSend('s1', rule(T0)), true);
      assert.equal(await list.takeConfirmationSend('s1', rule(T0 + MINUTE)), false);
      assert.equal(await list.takeConfirmationSend('s1', rule(T0 + 10 * MINUTE)), true);
      assert.equal(await list.takeConfirmationSend('s1', rule(T0 + 20 * MINUTE)), true);
      assert.equal(await list.takeConfirmationSend('s1', rule(T0 + 5 * HOUR)), false);
      assert.equal((await list.get('s1'))?.confirmationsSent, 3);
      // A day after the last one, a new count starts.
      assert.equal(await list.takeConfirmationSend('s1', rule(T0 + 20 * MINUTE + DAY)), true);
      assert.equal((await list.get('s1'))?.confirmationsSent, 1);
      // Two at once: one wins.
      const both = await Promise.all([
        list.takeConfirmationSend('s1', rule(T0 + 3 * DAY)),
        list.takeConfirmationSend('s1', rule(T0 + 3 * DAY)),
      ]);
      assert.deepEqual(both.sort(), [false, true]);
      await list.confirm('s1', proof(T0 + 3 * DAY));
      assert.equal(await list.takeConfirmationSend('s1', rule(T0 + 10 * DAY)), false);
      assert.equal(await list.takeConfirmationSend('nope', rule(T0)), false);
    });
  });

  test('news items by time, (after, until]', async () => {
    await withStore(open, async (store) => {
      const list = store.mailingList;
      await list.addNews({ id: 'n2', title: 'B', body: 'b', locale: 'de', createdAt: T0 + HOUR });
      await list.addNews({ id: 'n1', title: 'A', body: 'a', locale: null, createdAt: T0 });
      await list.addNews({ id: 'n3', title: 'C', body: 'c', locale: null, createdAt: T0 + HOUR });
      const ids = (items: { id: string }[]) => items.map((n) => n.id);
      assert.deepEqual(ids(await list.listNews({})), ['n1', 'n2', 'n3']);
      assert.deepEqual(ids(await list.listNews({ after: T0 })), ['n2', 'n3']);
      assert.deepEqual(ids(await list.listNews({ until: T0 })), ['n1']);
      assert.deepEqual(ids(await list.listNews({ limit: 2 })), ['n1', 'n2']);
      assert.deepEqual((await list.listNews({ after: T0 }))[0], {
        id: 'n2',
        title: 'B',
        body: 'b',
        locale: 'de',
        createdAt: T0 + HOUR,
      });
    });
  });

  test('a digest period is claimed once; a dead claim is taken over after its lease; finished is final', async () => {
    await withStore(open, async (store) => {
      const list = store.mailingList;
      for (const id of ['s1', 's2', 's3']) await list.signUp(signUp(id, `${id}@example.com`));
      await list.confirm('s1', proof(T0));
      await list.confirm('s3', proof(T0));
      const due = async (period: number) => (await list.dueForDigest(period, null, 10)).map((s) => s.id);
      assert.deepEqual(await due(7), ['s1', 's3']);
      assert.deepEqual(
        (await list.dueForDigest(7, 's1', 10)).map((s) => s.id),
        ['s3'],
      );

      const claims = await Promise.all([
        list.claimDigest('s1', 7, T0, T0 + MINUTE),
        list.claimDigest('s1', 7, T0, T0 + MINUTE),
      ]);
      assert.deepEqual(claims.sort(), [false, true]);
      // The lease ends: another worker takes it over, once.
      assert.equal(await list.claimDigest('s1', 7, T0 + 30_000, T0 + 2 * MINUTE), false);
      assert.equal(await list.claimDigest('s1', 7, T0 + MINUTE, T0 + 2 * MINUTE), true);
      assert.equal(await list.finishDigest('s1', 7, 'sent', T0 + 90_000, T0 + MINUTE), true);
      assert.equal(await list.finishDigest('s1', 7, 'sent', T0 + 90_000, T0 + MINUTE), false);
      assert.equal(await list.claimDigest('s1', 7, T0 + DAY, T0 + DAY + MINUTE), false);
      const s1 = await list.get('s1');
      assert.equal(s1?.lastDigestPeriod, 7);
      assert.equal(s1?.lastDigestAt, T0 + MINUTE);
      assert.deepEqual(await due(7), ['s3']);
      assert.deepEqual(await due(8), ['s1', 's3']);
      assert.deepEqual(await list.digestsSentSince('s1', T0), [T0 + 90_000]);
      assert.deepEqual(await list.digestsSentSince('s1', T0 + HOUR), []);

      // Skipped (nothing to send): the period is given, lastDigestAt stays.
      assert.equal(await list.claimDigest('s3', 7, T0, T0 + MINUTE), true);
      await list.finishDigest('s3', 7, 'skipped', T0, T0);
      assert.equal((await list.get('s3'))?.lastDigestAt, null);
      assert.deepEqual(await list.digestsSentSince('s3', 0), []);
      // Released (quiet hours): claimable again at once.
      assert.equal(await list.claimDigest('s3', 8, T0, T0 + HOUR), true);
      await list.releaseDigest('s3', 8);
      assert.equal(await list.claimDigest('s3', 8, T0, T0 + HOUR), true);
    });
  });

  test('export and erasure find subscriptions by customer id or address', async () => {
    await withStore(open, async (store) => {
      const list = store.mailingList;
      await list.signUp(signUp('s1', 'ada@example.com', { customerId: 'c1' }));
      await list.signUp(signUp('s2', 'ada.work@example.com'));
      await list.signUp(signUp('s3', 'other@example.com', { customerId: 'c2' }));
      await list.claimDigest('s2', 1, T0, T0 + HOUR);
      const ids = (subs: { id: string }[]) => subs.map((s) => s.id);
      assert.deepEqual(ids(await list.subscriptionsOf('c1', 'ADA.work@example.com')), ['s1', 's2']);
      assert.deepEqual(ids(await list.subscriptionsOf('c1', null)), ['s1']);
      assert.equal(await list.erase('c1', 'ada.work@example.com'), 2);
      assert.deepEqual(ids(await list.subscriptionsOf('c1', 'ada.work@example.com')), []);
      assert.equal(await list.findByEmail('ada@example.com'), null);
      assert.equal(await list.erase('c1', 'ada.work@example.com'), 0);
      // The claim went with it: a new sign-up of the address starts clean.
      const fresh = await list.signUp(signUp('s4', 'ada.work@example.com'));
      assert.equal(fresh.id, 's4');
      await list.confirm('s4', proof(T0));
      assert.equal(await list.claimDigest('s4', 1, T0, T0 + HOUR), true);
      assert.deepEqual(ids(await list.subscriptionsOf('c2', null)), ['s3']);
    });
  });
}
