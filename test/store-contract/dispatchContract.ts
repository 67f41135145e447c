// Contract: claims hand out due rows in order under a lease, never twice while it holds;
// outcomes are fenced by attempt; send history and the next due time are reported.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import {
  DAY,
  HOUR,
  MINUTE,
  T0,
  placedEvent,
  testReducer,
  touchPointIdFor,
  withStore,
  type OpenStore,
  type StepSpec,
} from './fixtures.js';

const LEASE = 5 * MINUTE;

async function place(store: Store, orderId: string, customerId: string, steps: StepSpec[]): Promise<void> {
  await store.intake.apply(
    [placedEvent(`placed-${orderId}`, orderId, { customerId, steps })],
    testReducer().reduce,
  );
}

function claim(store: Store, now: number, limit = 100, worker = 'w1') {
  return store.queue.claimDue({ now, limit, leaseMs: LEASE, worker });
}

export function dispatchContract(open: OpenStore): void {
  test('listSent: sent touch points newest first, by channel and step, a keyset page at a time', () =>
    withStore(open, async (store) => {
      const steps: StepSpec[] = [
        { key: 'thanks', offset: HOUR, purpose: 'transactional' },
        { key: 'call', offset: HOUR, channel: 'task:call', purpose: 'reassurance' },
      ];
      for (const [order, customer] of [
        ['o1', 'c1'],
        ['o2', 'c2'],
        ['o3', 'c3'],
      ] as const)
        await place(store, order, customer, steps);
      const claimed = await claim(store, T0 + 2 * HOUR);
      assert.equal(claimed.length, 6);
      // Sent at three times, two at each; one is left claimed (not sent).
      const outcomes = claimed.slice(0, 5).map((c, i) => ({
        kind: 'sent' as const,
        id: c.touchPoint.id,
        attempt: c.touchPoint.attempt,
        at: T0 + (3 + Math.floor(i / 2)) * HOUR,
        providerId: null,
      }));
      await store.queue.recordOutcomes(outcomes);
      const order = (list: { outcomeAt: number | null; id: string }[]) =>
        list.map((t) => `${t.outcomeAt}|${t.id}`);
      const expected = outcomes
        .map((o) => ({ outcomeAt: o.at, id: o.id }))
        .sort((a, b) => b.outcomeAt - a.outcomeAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      const all = await store.reads.listSent({ limit: 10 });
      assert.deepEqual(order(all), order(expected));
      assert.ok(all.every((t) => t.status === 'sent'));
      const first = await store.reads.listSent({ limit: 2 });
      const last = first.at(-1)!;
      const rest = await store.reads.listSent({ limit: 10, before: { at: last.outcomeAt!, id: last.id } });
      assert.deepEqual(order([...first, ...rest]), order(expected), 'pages meet without gap or overlap');
      const calls = await store.reads.listSent({ limit: 10, channel: 'task:call' });
      assert.ok(calls.length > 0 && calls.every((t) => t.channel === 'task:call'));
      const thanks = await store.reads.listSent({ limit: 10, stepKey: 'thanks', channel: 'email' });
      assert.ok(thanks.length > 0 && thanks.every((t) => t.stepKey === 'thanks'));
      assert.equal(calls.length + thanks.length, 5);
      assert.deepEqual(await store.reads.listSent({ limit: 0 }), []);
    }));

  test("inFlight reports another worker's live claims of the customers asked about, and nothing else", () =>
    withStore(open, async (store) => {
      const thanks = [{ key: 'thanks', offset: HOUR, purpose: 'reassurance' as const }];
      await place(store, 'o-1041', 'c-grace', thanks);
      await place(store, 'o-1042', 'c-grace', thanks);
      await place(store, 'o-2001', 'c-linus', thanks);
      const now = T0 + HOUR;
      const [first] = await claim(store, now, 1, 'w1');
      await claim(store, now, 2, 'w2');
      const held = await store.queue.inFlight(['c-grace'], now, 'w2');
      assert.deepEqual(held, [
        {
          id: first!.touchPoint.id,
          customerId: 'c-grace',
          orderId: first!.touchPoint.orderId,
          playbook: 'test',
          playbookVersion: first!.touchPoint.playbookVersion,
          stepKey: 'thanks',
          leaseUntil: now + LEASE,
        },
      ]);
      assert.equal((await store.queue.inFlight(['c-grace', 'c-linus'], now, 'w1')).length, 2, "w2's two");
      assert.deepEqual(await store.queue.inFlight([], now, 'w3'), []);
      assert.deepEqual(
        await store.queue.inFlight(['c-grace'], now + LEASE, 'w3'),
        [],
        'a lease that ended holds nothing',
      );
      await store.queue.recordOutcomes([
        {
          kind: 'sent',
          id: first!.touchPoint.id,
          attempt: first!.touchPoint.attempt,
          at: now,
          providerId: null,
        },
      ]);
      assert.deepEqual(
        (await store.queue.inFlight(['c-grace'], now, 'w3')).map((h) => h.orderId),
        ['o-1042', 'o-1041'].filter((o) => o !== first!.touchPoint.orderId),
        'a recorded outcome ends the claim',
      );
    }));

  test('claimDue hands out only due rows, by due time then purpose, with their context', () =>
    withStore(open, async (store) => {
      await place(store, 'o1', 'c1', [
        { key: 'offer', offset: HOUR, purpose: 'offer' },
        { key: 'receipt', offset: HOUR, purpose: 'transactional' },
        { key: 'check', offset: 2 * HOUR, purpose: 'reassurance' },
        { key: 'later', offset: 3 * DAY, purpose: 'education' },
      ]);
      await place(store, 'o2', 'c2', [
        { key: 'edu', offset: 30 * MINUTE, purpose: 'education' },
        { key: 'reassure', offset: HOUR, purpose: 'reassurance' },
      ]);
      const now = T0 + 2 * HOUR;
      const claimed = await claim(store, now);
      assert.deepEqual(
        claimed.map((c) => c.touchPoint.stepKey),
        ['edu', 'receipt', 'reassure', 'offer', 'check'],
      );
      for (const c of claimed) {
        assert.equal(c.touchPoint.status, 'claimed');
        assert.equal(c.touchPoint.attempt, 1);
        assert.equal(c.touchPoint.leaseUntil, now + LEASE);
        assert.deepEqual(c.customer, await store.reads.getCustomer(c.touchPoint.customerId));
        assert.deepEqual(c.order, await store.reads.getOrder(c.touchPoint.orderId));
        assert.equal(c.enrollment.id, c.touchPoint.enrollmentId);
        assert.equal(c.customer.id, c.touchPoint.customerId);
      }
      const stored = await store.reads.listTouchPoints({ status: 'claimed' });
      assert.equal(stored.length, 5);
      assert.ok(stored.every((t) => t.attempt === 1 && t.leaseUntil === now + LEASE));
      assert.deepEqual(
        (await store.reads.listTouchPoints({ status: 'scheduled' })).map((t) => t.stepKey),
        ['later'],
      );
    }));

  test('claimDue respects the limit, taking the oldest first', () =>
    withStore(open, async (store) => {
      await place(store, 'o1', 'c1', [
        { key: 'c', offset: 3 * MINUTE },
        { key: 'a', offset: MINUTE },
        { key: 'b', offset: 2 * MINUTE },
      ]);
      assert.deepEqual(
        (await claim(store, T0 + HOUR, 2)).map((c) => c.touchPoint.stepKey),
        ['a', 'b'],
      );
      assert.deepEqual(
        (await claim(store, T0 + HOUR, 2)).map((c) => c.touchPoint.stepKey),
        ['c'],
      );
      assert.deepEqual(await claim(store, T0 + HOUR, 2), []);
      assert.deepEqual(await claim(store, T0 + HOUR, 0), []);
    }));

  test('when the limit cuts between rows due at the same time, the higher purpose wins', () =>
    withStore(open, async (store) => {
      await place(store, 'o1', 'c1', [
        { key: 'offer', offset: HOUR, purpose: 'offer' },
        { key: 'tip', offset: HOUR, purpose: 'education' },
        { key: 'receipt', offset: HOUR, purpose: 'transactional' },
        { key: 'check', offset: HOUR, purpose: 'reassurance' },
      ]);
      const order: string[] = [];
      for (let i = 0; i < 4; i++) {
        const batch = await claim(store, T0 + HOUR, 1);
        order.push(...batch.map((c) => c.touchPoint.stepKey));
      }
      assert.deepEqual(order, ['receipt', 'check', 'tip', 'offer']);
    }));

  test('due at the same time with the same purpose, the smaller touch point id goes first, planned or queued', () =>
    withStore(open, async (store) => {
      // Order ids that sort one way as ids and another inside touch point ids ("o1:" vs "o10:").
      for (const [order, customer] of [
        ['o10', 'c1'],
        ['o1', 'c2'],
        ['o2', 'c3'],
      ] as const) {
        await place(store, order, customer, [
          { key: 'b', offset: HOUR, purpose: 'reassurance' },
          { key: 'a', offset: HOUR, purpose: 'reassurance' },
        ]);
      }
      // One of them goes through the queue's rows: moved by hand to the same time.
      await store.schedule.move(touchPointIdFor('o2', 'a'), T0 + HOUR);
      const order: string[] = [];
      for (let i = 0; i < 6; i++) {
        const batch = await claim(store, T0 + HOUR, 1);
        order.push(...batch.map((c) => c.touchPoint.id));
      }
      const expected = ['o10', 'o1', 'o2'].flatMap((o) => [touchPointIdFor(o, 'a'), touchPointIdFor(o, 'b')]);
      assert.deepEqual(
        order,
        [...expected].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
      );
    }));

  test('a claimed row is not handed out again while its lease holds, and is once it expires', () =>
    withStore(open, async (store) => {
      await place(store, 'o1', 'c1', [{ key: 'thanks', offset: HOUR }]);
      const now = T0 + HOUR;
      const first = await claim(store, now, 10, 'w1');
      assert.equal(first.length, 1);
      assert.deepEqual(await claim(store, now, 10, 'w2'), []);
      assert.deepEqual(await claim(store, now + LEASE - 1, 10, 'w2'), []);
      const second = await claim(store, now + LEASE, 10, 'w2');
      assert.deepEqual(
        second.map((c) => [c.touchPoint.stepKey, c.touchPoint.attempt, c.touchPoint.leaseUntil]),
        [['thanks', 2, now + 2 * LEASE]],
      );
    }));

  test('an outcome for a stale attempt changes nothing (fencing)', () =>
    withStore(open, async (store) => {
      await place(store, 'o1', 'c1', [{ key: 'thanks', offset: HOUR }]);
      const now = T0 + HOUR;
      const [first] = await claim(store, now);
      const id = first!.touchPoint.id;
      // Never claimed at attempt 0, and not claimed at all yet for attempt 2.
      assert.equal(
        await store.queue.recordOutcomes([{ kind: 'sent', id, attempt: 0, at: now, providerId: null }]),
        0,
      );
      await claim(store, now + LEASE);
      assert.equal(
        await store.queue.recordOutcomes([{ kind: 'sent', id, attempt: 1, at: now, providerId: 'late' }]),
        0,
      );
      assert.equal(
        await store.queue.recordOutcomes([
          {
            kind: 'failed',
            id,
            attempt: 1,
            at: now,
            reason: { code: 'send_failed', detail: 'stale worker' },
          },
        ]),
        0,
      );
      let [row] = await store.reads.listTouchPoints({ orderId: 'o1' });
      assert.deepEqual([row?.status, row?.attempt, row?.reason], ['claimed', 2, null]);

      assert.equal(
        await store.queue.recordOutcomes([
          { kind: 'sent', id, attempt: 2, at: now + LEASE, providerId: 'p' },
        ]),
        1,
      );
      // Once final, the same outcome again applies nowhere.
      assert.equal(
        await store.queue.recordOutcomes([
          { kind: 'sent', id, attempt: 2, at: now + LEASE, providerId: 'p' },
        ]),
        0,
      );
      [row] = await store.reads.listTouchPoints({ orderId: 'o1' });
      assert.deepEqual([row?.status, row?.outcomeAt], ['sent', now + LEASE]);
      assert.deepEqual(await store.queue.recordOutcomes([]), 0);
    }));

  test('every outcome kind is recorded, and rescheduled rows come back when due', () =>
    withStore(open, async (store) => {
      const keys = ['sent', 'skipped', 'failed', 'cancelled', 'rescheduled'];
      await place(
        store,
        'o1',
        'c1',
        keys.map((key) => ({ key, offset: HOUR })),
      );
      const now = T0 + HOUR;
      const claimed = await claim(store, now);
      const id = (key: string) => claimed.find((c) => c.touchPoint.stepKey === key)!.touchPoint.id;
      const applied = await store.queue.recordOutcomes([
        { kind: 'sent', id: id('sent'), attempt: 1, at: now + 1, providerId: 'msg-1' },
        {
          kind: 'skipped',
          id: id('skipped'),
          attempt: 1,
          at: now + 2,
          reason: { code: 'holdout', detail: null },
        },
        {
          kind: 'failed',
          id: id('failed'),
          attempt: 1,
          at: now + 3,
          reason: { code: 'send_failed', detail: '550 mailbox unavailable' },
        },
        {
          kind: 'cancelled',
          id: id('cancelled'),
          attempt: 1,
          at: now + 4,
          reason: { code: 'step_removed', detail: null },
        },
        {
          kind: 'rescheduled',
          id: id('rescheduled'),
          attempt: 1,
          dueAt: T0 + DAY,
          reason: { code: 'quiet_hours', detail: null },
        },
      ]);
      assert.equal(applied, 5);
      const rows = new Map((await store.reads.listTouchPoints({ orderId: 'o1' })).map((t) => [t.stepKey, t]));
      const view = (key: string) => {
        const t = rows.get(key)!;
        return [t.status, t.reason, t.outcomeAt, t.leaseUntil, t.attempt, t.dueAt];
      };
      assert.deepEqual(view('sent'), ['sent', null, now + 1, null, 1, now]);
      const why = (code: string, detail: string | null = null) => ({ code, detail });
      assert.deepEqual(view('skipped'), ['skipped', why('holdout'), now + 2, null, 1, now]);
      assert.deepEqual(view('failed'), [
        'failed',
        why('send_failed', '550 mailbox unavailable'),
        now + 3,
        null,
        1,
        now,
      ]);
      assert.deepEqual(view('cancelled'), ['cancelled', why('step_removed'), now + 4, null, 1, now]);
      assert.deepEqual(view('rescheduled'), ['scheduled', why('quiet_hours'), null, null, 1, T0 + DAY]);

      const counts = await store.reads.counts();
      assert.deepEqual(counts.touchPoints, {
        scheduled: 1,
        claimed: 0,
        sent: 1,
        skipped: 1,
        failed: 1,
        cancelled: 1,
      });

      assert.deepEqual(await claim(store, T0 + DAY - 1), []);
      assert.equal(await store.queue.nextDueAt(), T0 + DAY);
      const again = await claim(store, T0 + DAY);
      assert.deepEqual(
        again.map((c) => [c.touchPoint.stepKey, c.touchPoint.attempt]),
        [['rescheduled', 2]],
      );
    }));

  test('recentNonTransactional lists email and sms sends per customer with their step, oldest first', () =>
    withStore(open, async (store) => {
      await place(store, 'o1', 'c1', [
        { key: 'receipt', offset: HOUR, purpose: 'transactional' },
        { key: 'check', offset: HOUR, purpose: 'reassurance' },
        { key: 'tip', offset: HOUR, purpose: 'education', channel: 'sms' },
        { key: 'call', offset: HOUR, purpose: 'reassurance', channel: 'task:call' },
        { key: 'hook', offset: HOUR, purpose: 'offer', channel: 'webhook' },
        { key: 'skipped', offset: HOUR, purpose: 'offer' },
        { key: 'old', offset: HOUR, purpose: 'offer' },
      ]);
      await place(store, 'o2', 'c2', [{ key: 'check', offset: HOUR, purpose: 'reassurance' }]);
      const claimed = await claim(store, T0 + HOUR);
      const sentAt: Record<string, number> = {
        'o1:receipt': T0 + 4 * HOUR,
        'o1:check': T0 + 3 * HOUR,
        'o1:tip': T0 + 2 * HOUR,
        'o1:call': T0 + 2 * HOUR,
        'o1:hook': T0 + 2 * HOUR,
        'o1:old': T0 + HOUR,
        'o2:check': T0 + 5 * HOUR,
      };
      await store.queue.recordOutcomes(
        claimed.map(({ touchPoint: t }) => {
          const at = sentAt[`${t.orderId}:${t.stepKey}`];
          return at === undefined
            ? {
                kind: 'skipped' as const,
                id: t.id,
                attempt: t.attempt,
                at: T0 + 3 * HOUR,
                reason: { code: 'frequency_cap' as const, detail: null },
              }
            : { kind: 'sent' as const, id: t.id, attempt: t.attempt, at, providerId: null };
        }),
      );
      const recent = await store.queue.recentNonTransactional(['c1', 'c2', 'c3'], T0 + 2 * HOUR);
      const sent = (at: number, stepKey: string) => ({ at, playbook: 'test', playbookVersion: 1, stepKey });
      assert.deepEqual(recent.get('c1'), [sent(T0 + 2 * HOUR, 'tip'), sent(T0 + 3 * HOUR, 'check')]);
      assert.deepEqual(recent.get('c2'), [sent(T0 + 5 * HOUR, 'check')]);
      assert.deepEqual(recent.get('c3') ?? [], []);
      const later = await store.queue.recentNonTransactional(['c1'], T0 + 2 * HOUR + 1);
      assert.deepEqual(later.get('c1'), [sent(T0 + 3 * HOUR, 'check')]);
      assert.equal(later.has('c2'), false);
      assert.equal((await store.queue.recentNonTransactional([], T0)).size, 0);
    }));

  test('nextDueAt is the earliest scheduled due time, or null', () =>
    withStore(open, async (store) => {
      assert.equal(await store.queue.nextDueAt(), null);
      await place(store, 'o1', 'c1', [
        { key: 'a', offset: HOUR },
        { key: 'b', offset: DAY },
      ]);
      assert.equal(await store.queue.nextDueAt(), T0 + HOUR);
      await claim(store, T0 + HOUR);
      assert.equal(await store.queue.nextDueAt(), T0 + DAY);
      const [b] = await store.reads.listTouchPoints({ status: 'scheduled' });
      await store.schedule.cancel(b!.id, { code: 'cancelled_by_hand', detail: 'by hand' }, T0 + 2 * HOUR);
      assert.equal(await store.queue.nextDueAt(), null);
    }));
}
