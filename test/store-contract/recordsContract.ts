// Contract: tasks (idempotent per touch point), the hashed suppression list, hand edits of
// scheduled touch points, listings with filters, and counts.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
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

const byHand = (detail: string) => ({ code: 'cancelled_by_hand' as const, detail });

export function recordsContract(open: OpenStore): void {
  test('suppressions match case-insensitively and are idempotent', () =>
    withStore(open, async (store) => {
      assert.equal((await store.consent.suppressed(['bob@example.com'])).size, 0);
      await store.consent.suppress('Bob@Example.COM', 'erased', T0);
      await store.consent.suppress('bob@example.com', 'bounced', T0 + 1);
      assert.deepEqual(
        await store.consent.suppressed(['bob@example.com', 'other@example.com', 'BOB@example.com']),
        new Set(['bob@example.com', 'BOB@example.com']),
      );
      assert.deepEqual(await store.consent.suppressed([]), new Set());
    }));

  test('tasks are idempotent per touch point, listed with filters and updated', () =>
    withStore(open, async (store) => {
      const first = task('t1', 'tp1', { dueAt: T0 + HOUR });
      assert.equal(await store.tasks.create(first), true);
      assert.equal(await store.tasks.create(task('t1-again', 'tp1', { title: 'other' })), false);
      assert.equal(
        await store.tasks.create(task('t2', 'tp2', { dueAt: T0, owner: 'kim', customerId: 'c2' })),
        true,
      );
      assert.equal(
        await store.tasks.create(task('t3', 'tp3', { dueAt: T0 + DAY, status: 'done', owner: 'kim' })),
        true,
      );

      assert.deepEqual(await store.tasks.list({}), [
        task('t2', 'tp2', { dueAt: T0, owner: 'kim', customerId: 'c2' }),
        first,
        task('t3', 'tp3', { dueAt: T0 + DAY, status: 'done', owner: 'kim' }),
      ]);
      const ids = async (query: Parameters<typeof store.tasks.list>[0]) =>
        (await store.tasks.list(query)).map((t) => t.id);
      assert.deepEqual(await ids({ status: 'open' }), ['t2', 't1']);
      assert.deepEqual(await ids({ owner: 'kim' }), ['t2', 't3']);
      assert.deepEqual(await ids({ customerId: 'c1' }), ['t1', 't3']);
      assert.deepEqual(await ids({ owner: 'kim', status: 'done' }), ['t3']);
      assert.deepEqual(await ids({ limit: 1 }), ['t2']);

      const transition = await store.tasks.transition('t1', ['open'], {
        status: 'done',
        outcome: 'happy customer',
        completedAt: T0 + 2 * HOUR,
        owner: undefined,
      });
      assert.equal(transition.ok, true);
      const updated = transition.task;
      assert.deepEqual(updated, {
        ...first,
        status: 'done',
        outcome: 'happy customer',
        completedAt: T0 + 2 * HOUR,
      });
      assert.deepEqual(
        (await store.tasks.list({ status: 'done' })).find((t) => t.id === 't1'),
        updated,
      );
      assert.deepEqual(
        await store.tasks.transition('t2', ['open'], { owner: null, notes: 'left a voicemail' }),
        {
          ok: true,
          task: { ...task('t2', 'tp2', { dueAt: T0, customerId: 'c2' }), notes: 'left a voicemail' },
        },
      );
      assert.deepEqual(await store.tasks.transition('missing', ['open'], { status: 'done' }), {
        ok: false,
        task: null,
      });
      assert.deepEqual((await store.reads.counts()).tasks, { open: 1, claimed: 0, done: 2, cancelled: 0 });
    }));

  test('only a scheduled touch point can be moved or cancelled by hand', () =>
    withStore(open, async (store) => {
      await store.intake.apply([placedEvent('e1', 'o1')], testReducer().reduce);
      const thanks = touchPointIdFor('o1', 'thanks');
      const arrived = touchPointIdFor('o1', 'arrived');

      const moved = await store.schedule.move(thanks, T0 + 2 * HOUR);
      assert.deepEqual([moved?.id, moved?.status, moved?.dueAt], [thanks, 'scheduled', T0 + 2 * HOUR]);
      assert.equal(await store.queue.nextDueAt(), T0 + 2 * HOUR);

      const claimed = await store.queue.claimDue({
        now: T0 + 2 * HOUR,
        limit: 1,
        leaseMs: MINUTE,
        worker: 'w',
      });
      assert.equal(claimed[0]?.touchPoint.id, thanks);
      assert.equal(await store.schedule.move(thanks, T0 + DAY), null);
      assert.equal(await store.schedule.cancel(thanks, byHand('by hand'), T0), null);

      const cancelled = await store.schedule.cancel(arrived, byHand('customer asked'), T0 + 3 * HOUR);
      assert.deepEqual(
        [cancelled?.status, cancelled?.reason, cancelled?.outcomeAt],
        ['cancelled', byHand('customer asked'), T0 + 3 * HOUR],
      );
      assert.equal(await store.schedule.cancel(arrived, byHand('again'), T0 + 4 * HOUR), null);
      assert.equal(await store.schedule.move(arrived, T0 + DAY), null);
      assert.equal(await store.schedule.move('missing', T0), null);
      assert.deepEqual(
        (await store.reads.listTouchPoints({ orderId: 'o1', status: 'cancelled' }))[0]?.reason,
        byHand('customer asked'),
      );
    }));

  test('listTouchPoints filters by customer, order, status and limit', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply(
        [
          placedEvent('e1', 'o1', { steps: [{ key: 'a', offset: 3 * HOUR }] }),
          placedEvent('e2', 'o2', {
            at: T0 + MINUTE,
            steps: [
              { key: 'b', offset: HOUR, purpose: 'offer' },
              { key: 'c', offset: HOUR - MINUTE, purpose: 'transactional' },
            ],
          }),
          placedEvent('e3', 'o3', { customerId: 'c2', steps: [{ key: 'd', offset: 2 * HOUR }] }),
        ],
        reduce,
      );
      const keys = async (query: Parameters<typeof store.reads.listTouchPoints>[0]) =>
        (await store.reads.listTouchPoints(query)).map((t) => t.stepKey);
      assert.deepEqual(await keys({}), ['c', 'b', 'd', 'a']);
      assert.deepEqual(await keys({ customerId: 'c1' }), ['c', 'b', 'a']);
      assert.deepEqual(await keys({ customerId: 'c2' }), ['d']);
      assert.deepEqual(await keys({ orderId: 'o2' }), ['c', 'b']);
      assert.deepEqual(await keys({ customerId: 'c1', limit: 2 }), ['c', 'b']);
      assert.deepEqual(await keys({ customerId: 'nobody' }), []);

      await store.queue.claimDue({ now: T0 + 2 * HOUR, limit: 10, leaseMs: MINUTE, worker: 'w' });
      assert.deepEqual(await keys({ status: 'claimed' }), ['c', 'b', 'd']);
      assert.deepEqual(await keys({ status: 'scheduled' }), ['a']);
      assert.deepEqual(await keys({ customerId: 'c1', status: 'claimed' }), ['c', 'b']);
      assert.deepEqual(await keys({ orderId: 'o3', status: 'scheduled' }), []);
    }));

  test('customers, orders and timelines can be read back', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply(
        [
          placedEvent('e2', 'o2', { at: T0 + DAY }),
          placedEvent('e1', 'o1'),
          event('e3', 'shipment.delayed', 'o1', { at: T0 + 2 * DAY }),
          event('e4', 'customer.unsubscribed', null, { at: T0 + 3 * DAY }),
        ],
        reduce,
      );
      assert.deepEqual(
        (await store.reads.listOrders('c1')).map((o) => o.id),
        ['o1', 'o2'],
      );
      assert.deepEqual(await store.reads.listOrders('nobody'), []);
      assert.deepEqual(
        (await store.reads.listEvents('c1')).map((e) => e.id),
        ['e1', 'e2', 'e3', 'e4'],
      );
      assert.deepEqual(
        (await store.reads.listEvents('c1', ['shipment.delayed', 'customer.unsubscribed'])).map((e) => e.id),
        ['e3', 'e4'],
      );
      assert.equal((await store.reads.getCustomer('c1'))?.unsubscribedAt, T0 + 3 * DAY);
      assert.equal(await store.reads.getCustomer('nobody'), null);
      assert.equal(await store.reads.getOrder('nobody'), null);
      assert.equal(await store.reads.findCustomerByEmail('nobody@example.com'), null);
      const counts = await store.reads.counts();
      assert.deepEqual([counts.customers, counts.orders, counts.events], [1, 2, 4]);
      assert.deepEqual(counts.touchPoints, {
        scheduled: 6,
        claimed: 0,
        sent: 0,
        skipped: 0,
        failed: 0,
        cancelled: 0,
      });
    }));
}
