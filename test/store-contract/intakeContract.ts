// Contract: intake is atomic per batch, dedupes by event id, lets later events see earlier
// ones, and only moves or cancels touch points that are still scheduled.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import type { IntakeResult } from '../../src/store/ports/intake.js';
import type { Store } from '../../src/store/store.js';
import {
  DAY,
  DEFAULT_STEPS,
  HOUR,
  T0,
  event,
  placedEvent,
  task,
  testReducer,
  touchPointIdFor,
  withStore,
  type OpenStore,
} from './fixtures.js';

const ADA_ADDRESS = {
  name: 'Ada Lovelace',
  company: null,
  line1: 'Kastanienallee 12',
  line2: 'Hinterhaus, 3. OG',
  city: 'Berlin',
  region: null,
  postalCode: '10435',
  country: 'DE',
  phone: '+49 30 1234567',
};

function richOrder(id: string, orderId: string): DomainEvent {
  const e = placedEvent(id, orderId, { email: 'Ada@Example.com' });
  return {
    ...e,
    customer: {
      email: 'Ada@Example.com',
      firstName: 'Ada',
      timezone: 'Europe/Berlin',
      attributes: { vip: true },
    },
    order: {
      placedAt: T0,
      number: '#1042',
      shippingAddress: ADA_ADDRESS,
      currency: 'EUR',
      total: 42.5,
      items: [{ sku: 'S1', productName: 'Mug', category: 'kitchen', quantity: 2, price: 12.5 }],
      attributes: { gift: true, tags: ['a', 'b'], note: 'ünïcode ✓' },
    },
  };
}

export function intakeContract(open: OpenStore): void {
  test('migrate twice is harmless', () =>
    withStore(open, async (store) => {
      await store.migrate();
      await store.migrate();
      const { reduce } = testReducer();
      const [result] = await store.intake.apply([placedEvent('e1', 'o1')], reduce);
      assert.equal(result?.planned, 3);
      await store.migrate();
      assert.equal((await store.reads.counts()).touchPoints.scheduled, 3);
    }));

  test('what was sold, its period and renewal cycle are kept; touch points of a later cycle are their own', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      const placed = placedEvent('e1', 'o1', {
        steps: [
          { key: 'renewal-notice', offset: 23 * DAY, purpose: 'transactional' },
          { key: 'renewal-notice.2', offset: 54 * DAY, purpose: 'transactional' },
        ],
      });
      placed.order = {
        placedAt: T0,
        currency: 'JPY',
        total: 12_450,
        kind: 'software',
        renewalPeriod: 'monthly',
      };
      await store.intake.apply([placed], reduce);
      const order = await store.reads.getOrder('o1');
      assert.deepEqual([order?.kind, order?.renewalPeriod, order?.renewalCycle], ['software', 'monthly', 1]);
      const second = await store.reads.getTouchPoint(touchPointIdFor('o1', 'renewal-notice.2'));
      assert.equal(second?.stepKey, 'renewal-notice.2');
      assert.equal(second?.dueAt, T0 + 54 * DAY);
      assert.deepEqual((await store.reads.listTouchPoints({ orderId: 'o1' })).map((t) => t.id).sort(), [
        touchPointIdFor('o1', 'renewal-notice'),
        touchPointIdFor('o1', 'renewal-notice.2'),
      ]);
    }));

  test('an empty batch does nothing', () =>
    withStore(open, async (store) => {
      assert.deepEqual(await store.intake.apply([], testReducer().reduce), []);
    }));

  test('intake writes customer, order, event, enrollment and touch points and reports them', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      const results = await store.intake.apply([richOrder('e1', 'o1')], reduce);
      assert.deepEqual(results, [
        {
          eventId: 'e1',
          duplicate: false,
          customerId: 'c1',
          orderId: 'o1',
          planned: 3,
          cancelled: 0,
          rejected: null,
        },
      ]);

      const customer = await store.reads.getCustomer('c1');
      assert.deepEqual(customer, {
        id: 'c1',
        email: 'Ada@Example.com',
        firstName: 'Ada',
        lastName: null,
        phone: null,
        timezone: 'Europe/Berlin',
        locale: null,
        segment: 'b2c',
        holdout: false,
        temperature: 50,
        openConcerns: 0,
        temperatureReasons: [],
        awaitingPersonSince: null,
        lastNps: null,
        engagedAt: null,
        preferences: { topicsOff: [], channelsOff: [], pausedUntil: null },
        unsubscribedAt: null,
        emailBouncedAt: null,
        orderCount: 1,
        lastOrderId: null,
        attributes: { vip: true },
        createdAt: T0,
      });
      assert.equal((await store.reads.findCustomerByEmail('ada@EXAMPLE.com'))?.id, 'c1');

      assert.deepEqual(await store.reads.getOrder('o1'), {
        id: 'o1',
        customerId: 'c1',
        number: '#1042',
        shippingAddress: ADA_ADDRESS,
        placedAt: T0,
        currency: 'EUR',
        total: 42.5,
        segment: 'b2c',
        kind: 'goods',
        renewalPeriod: null,
        renewalCycle: 1,
        items: [{ sku: 'S1', productName: 'Mug', category: 'kitchen', quantity: 2, price: 12.5 }],
        shipments: [],
        moments: { placed: T0 },
        attributes: { gift: true, tags: ['a', 'b'], note: 'ünïcode ✓' },
        sequence: 1,
        updatedAt: T0,
      });

      const events = await store.reads.listEvents('c1');
      assert.deepEqual(events, [
        {
          id: 'e1',
          customerId: 'c1',
          orderId: 'o1',
          type: 'order.placed',
          at: T0,
          data: {},
          receivedAt: T0 + 1,
        },
      ]);

      const touchPoints = await store.reads.listTouchPoints({ orderId: 'o1' });
      assert.deepEqual(
        touchPoints.map((t) => [t.stepKey, t.dueAt, t.purpose]),
        DEFAULT_STEPS.map((s) => [s.key, T0 + s.offset, s.purpose]),
      );
      assert.deepEqual(touchPoints[0], {
        id: touchPointIdFor('o1', 'thanks'),
        enrollmentId: 'test:o1',
        customerId: 'c1',
        orderId: 'o1',
        playbook: 'test',
        playbookVersion: 1,
        stepKey: 'thanks',
        channel: 'email',
        purpose: 'transactional',
        holdout: false,
        dueAt: T0 + HOUR,
        status: 'scheduled',
        attempt: 0,
        leaseUntil: null,
        reason: null,
        outcomeAt: null,
        createdAt: T0,
      });

      const [claimed] = await store.queue.claimDue({
        now: T0 + HOUR,
        limit: 1,
        leaseMs: 60_000,
        worker: 'w',
      });
      assert.deepEqual(claimed?.enrollment, {
        id: 'test:o1',
        customerId: 'c1',
        orderId: 'o1',
        playbook: 'test',
        playbookVersion: 1,
        holdout: false,
        status: 'active',
        endedReason: null,
        enrolledAt: T0,
      });

      const counts = await store.reads.counts();
      assert.equal(counts.customers, 1);
      assert.equal(counts.orders, 1);
      assert.equal(counts.events, 1);
    }));

  test('events that only restate their order are kept with it, shown in the timeline and recognised when repeated', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      const embedded = (e: DomainEvent): DomainEvent => ({ ...e, embedded: true });
      const placed = embedded(placedEvent('csv:o1:placed', 'o1'));
      const shipped = embedded(
        event('csv:o1:shipped', 'shipment.shipped', 'o1', { at: T0 + DAY, data: { carrier: 'DHL' } }),
      );
      const first = await store.intake.apply([placed, shipped], reduce);
      assert.deepEqual(
        first.map((r) => r.duplicate),
        [false, false],
      );
      const again = await store.intake.apply([shipped, placed], reduce);
      assert.deepEqual(
        again.map((r) => [r.duplicate, r.customerId, r.orderId]),
        [
          [true, 'c1', 'o1'],
          [true, 'c1', 'o1'],
        ],
      );
      // Within one batch too.
      const third = embedded(event('csv:o1:delivered', 'shipment.delivered', 'o1', { at: T0 + 2 * DAY }));
      assert.deepEqual(
        (await store.intake.apply([third, third], reduce)).map((r) => r.duplicate),
        [false, true],
      );
      const timeline = await store.reads.listEvents('c1');
      assert.deepEqual(
        timeline.map((e) => [e.id, e.type, e.orderId, e.data]),
        [
          ['csv:o1:placed', 'order.placed', 'o1', {}],
          ['csv:o1:shipped', 'shipment.shipped', 'o1', { carrier: 'DHL' }],
          ['csv:o1:delivered', 'shipment.delivered', 'o1', {}],
        ],
      );
      assert.deepEqual(
        (await store.reads.listEvents('c1', ['shipment.shipped'])).map((e) => e.id),
        ['csv:o1:shipped'],
      );
      assert.equal((await store.reads.counts()).events, 3);
      const exported = await store.privacy.exportCustomer('c1');
      assert.equal(exported?.events.length, 3);
      await store.privacy.eraseCustomer('c1', T0 + 3 * DAY);
      assert.deepEqual(
        (await store.reads.listEvents('c1')).map((e) => e.data),
        [{}, {}, {}],
      );
    }));

  test('a repeated event id is reported duplicate and writes nothing, across and within batches', () =>
    withStore(open, async (store) => {
      const { reduce, seen } = testReducer();
      await store.intake.apply([placedEvent('e1', 'o1')], reduce);
      const before = await store.reads.counts();

      // Same id, different content: still a duplicate.
      const again = await store.intake.apply(
        [placedEvent('e1', 'o9', { steps: [{ key: 'x', offset: 0 }] })],
        reduce,
      );
      assert.deepEqual(again, [
        {
          eventId: 'e1',
          duplicate: true,
          customerId: 'c1',
          orderId: 'o1',
          planned: 0,
          cancelled: 0,
          rejected: null,
        },
      ]);
      assert.equal(seen.at(-1)?.state.duplicate, true);
      assert.deepEqual(await store.reads.counts(), before);
      assert.equal(await store.reads.getOrder('o9'), null);

      const batch = await store.intake.apply([placedEvent('e2', 'o2'), placedEvent('e2', 'o2')], reduce);
      assert.deepEqual(
        batch.map((r) => [r.duplicate, r.planned]),
        [
          [false, 3],
          [true, 0],
        ],
      );
      assert.equal((await store.reads.counts()).events, 2);
    }));

  test('a later event of the same batch sees what the earlier one wrote', () =>
    withStore(open, async (store) => {
      const { reduce, seen } = testReducer();
      const results = await store.intake.apply(
        [
          placedEvent('e1', 'o1'),
          event('e2', 'shipment.delayed', 'o1', { at: T0 + 5, data: { delayMs: DAY } }),
        ],
        reduce,
      );
      assert.deepEqual(
        results.map((r) => r.rejected),
        [null, null],
      );
      const state = seen[1]?.state;
      assert.equal(state?.duplicate, false);
      assert.equal(state?.customer?.id, 'c1');
      assert.equal(state?.order?.id, 'o1');
      assert.deepEqual(
        state?.enrollments.map((e) => e.id),
        ['test:o1'],
      );
      assert.deepEqual(
        state?.touchPoints.map((t) => t.stepKey),
        ['thanks', 'arrived', 'tips'],
      );
      const moved = await store.reads.listTouchPoints({ orderId: 'o1' });
      assert.deepEqual(
        moved.map((t) => t.dueAt),
        DEFAULT_STEPS.map((s) => T0 + s.offset + DAY),
      );
      assert.equal((await store.reads.getOrder('o1'))?.moments.delayed, T0 + 5);
    }));

  test('the state finds the customer by id, through the order, or by email', () =>
    withStore(open, async (store) => {
      const { reduce, seen } = testReducer();
      await store.intake.apply(
        [placedEvent('e1', 'o1', { customerId: null, email: 'Bo@Example.com' })],
        reduce,
      );
      await store.intake.apply(
        [
          event('e2', 'shipment.delayed', 'o1', { customerId: null }),
          event('e3', 'reply.received', null, { customerId: null, email: 'bo@example.COM' }),
          event('e4', 'reply.received', null, { customerId: 'c:Bo@Example.com' }),
        ],
        reduce,
      );
      assert.deepEqual(
        seen.slice(1).map((s) => s.state.customer?.id),
        ['c:Bo@Example.com', 'c:Bo@Example.com', 'c:Bo@Example.com'],
      );
      assert.equal(seen[1]?.state.order?.id, 'o1');
      assert.equal(seen[2]?.state.order, null);
    }));

  test("an existing order's customer wins over the customer id a later event carries", () =>
    withStore(open, async (store) => {
      const { reduce, seen } = testReducer();
      await store.intake.apply([placedEvent('e1', 'o1', { customerId: 'c1' })], reduce);
      await store.intake.apply(
        [
          event('e2', 'shipment.delayed', ' o1 ', { customerId: 'payment-provider-id' }),
          event('e3', 'reply.received', null, { customerId: ' c1 ' }),
        ],
        reduce,
      );
      assert.deepEqual(
        seen.slice(1).map((s) => [s.state.customer?.id, s.state.order?.id ?? null]),
        [
          ['c1', 'o1'],
          ['c1', null],
        ],
      );
    }));

  test('a reducer that throws rolls back the whole batch', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      const boom = event('e2', 'reply.received', null, { data: { explode: true } });
      await assert.rejects(store.intake.apply([placedEvent('e1', 'o1'), boom], reduce), {
        message: 'the test reducer was told to fail',
      });
      const counts = await store.reads.counts();
      assert.deepEqual(
        [counts.customers, counts.orders, counts.events, counts.touchPoints.scheduled],
        [0, 0, 0, 0],
      );
      assert.equal(await store.reads.getCustomer('c1'), null);
      // Nothing was remembered, so the same event goes through afterwards.
      const [again] = await store.intake.apply([placedEvent('e1', 'o1')], reduce);
      assert.deepEqual([again?.duplicate, again?.planned], [false, 3]);
    }));

  test('a rejected event is reported, writes nothing, and does not stop the batch', () =>
    withStore(open, async (store) => {
      const { reduce, seen } = testReducer();
      const results = await store.intake.apply(
        [event('e9', 'shipment.delayed', 'nope'), placedEvent('e1', 'o1')],
        reduce,
      );
      assert.deepEqual(results[0], {
        eventId: 'e9',
        duplicate: false,
        customerId: 'c1',
        orderId: 'nope',
        planned: 0,
        cancelled: 0,
        rejected: 'unknown order',
      });
      assert.equal(results[1]?.planned, 3);
      assert.deepEqual(
        (await store.reads.listEvents('c1')).map((e) => e.id),
        ['e1'],
      );
      // A rejected event is not remembered as seen.
      await store.intake.apply([event('e9', 'shipment.delayed', 'nope')], reduce);
      assert.equal(seen.at(-1)?.state.duplicate, false);
    }));

  test('planned counts only touch points that are new', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply([placedEvent('e1', 'o1')], reduce);
      const more = [...DEFAULT_STEPS, { key: 'nps', offset: 30 * DAY }];
      const [result] = await store.intake.apply([placedEvent('e2', 'o1', { steps: more })], reduce);
      assert.equal(result?.planned, 1);
      assert.equal((await store.reads.listTouchPoints({ orderId: 'o1' })).length, 4);
    }));

  test('intake moves and cancels only touch points that are still scheduled', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply([placedEvent('e1', 'o1')], reduce);
      const [claimed] = await store.queue.claimDue({ now: T0 + HOUR, limit: 1, leaseMs: HOUR, worker: 'w' });
      assert.equal(claimed?.touchPoint.stepKey, 'thanks');

      await store.intake.apply(
        [event('e2', 'shipment.delayed', 'o1', { at: T0 + 2 * HOUR, data: { delayMs: HOUR } })],
        reduce,
      );
      const [cancelled] = await store.intake.apply(
        [event('e3', 'order.cancelled', 'o1', { at: T0 + 3 * HOUR })],
        reduce,
      );
      assert.equal(cancelled?.cancelled, 2);

      const rows = await store.reads.listTouchPoints({ orderId: 'o1' });
      const thanks = rows.find((t) => t.stepKey === 'thanks');
      assert.deepEqual([thanks?.status, thanks?.dueAt, thanks?.reason], ['claimed', T0 + HOUR, null]);
      for (const row of rows.filter((t) => t.stepKey !== 'thanks')) {
        assert.equal(row.status, 'cancelled');
        assert.deepEqual(row.reason, { code: 'program_ended', detail: 'cancelled' });
        assert.equal(row.outcomeAt, T0 + 3 * HOUR);
        assert.equal(row.dueAt, T0 + DEFAULT_STEPS.find((s) => s.key === row.stepKey)!.offset + HOUR);
      }
    }));

  test("a program that ends closes its open and claimed tasks in the same transaction, and no one else's", () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      const steps = [...DEFAULT_STEPS, { key: 'letter', offset: 2 * DAY, channel: 'task:letter' as const }];
      await store.intake.apply(
        [placedEvent('e1', 'o1', { steps }), placedEvent('e2', 'o2', { steps })],
        reduce,
      );
      await store.tasks.create(task('t-letter', touchPointIdFor('o1', 'letter'), { kind: 'letter' }));
      await store.tasks.create(
        task('t-call', touchPointIdFor('o1', 'arrived'), { status: 'claimed', owner: 'sam' }),
      );
      await store.tasks.create(
        task('t-done', touchPointIdFor('o1', 'tips'), {
          status: 'done',
          outcome: 'reached',
          completedAt: T0,
        }),
      );
      // The listener's own work about the customer and another order's task stay as they are.
      await store.tasks.create(task('t-care', 'care:reply:r1', { kind: 'reply' }));
      await store.tasks.create(
        task('t-other', touchPointIdFor('o2', 'letter'), { orderId: 'o2', kind: 'letter' }),
      );

      await store.intake.apply([event('e3', 'order.cancelled', 'o1', { at: T0 + 3 * HOUR })], reduce);

      const byId = new Map((await store.tasks.list({})).map((t) => [t.id, t]));
      const state = (id: string) => {
        const t = byId.get(id);
        return [t?.status, t?.outcome, t?.completedAt];
      };
      assert.deepEqual(state('t-letter'), ['cancelled', 'program_ended:cancelled', T0 + 3 * HOUR]);
      assert.deepEqual(state('t-call'), ['cancelled', 'program_ended:cancelled', T0 + 3 * HOUR]);
      assert.equal(byId.get('t-call')?.owner, 'sam');
      assert.deepEqual(state('t-done'), ['done', 'reached', T0]);
      assert.deepEqual(state('t-care'), ['open', null, null]);
      assert.deepEqual(state('t-other'), ['open', null, null]);

      // Ended already: a second cancellation changes nothing, not even the time.
      await store.intake.apply([event('e4', 'order.cancelled', 'o1', { at: T0 + 5 * HOUR })], reduce);
      assert.deepEqual((await store.tasks.get('t-letter'))?.completedAt, T0 + 3 * HOUR);
    }));

  test('several events of one order in one batch give the same rows and results as one batch each', async () => {
    const events = [
      placedEvent('e1', 'o1', { email: 'Ada@Example.com' }),
      event('e2', 'shipment.delayed', 'o1', { at: T0 + HOUR, data: { delayMs: HOUR } }),
      event('e3', 'customer.unsubscribed', null, { at: T0 + 2 * HOUR }),
      placedEvent('e4', 'o1', {
        at: T0 + 3 * HOUR,
        steps: [...DEFAULT_STEPS, { key: 'nps', offset: 30 * DAY }],
      }),
      event('e5', 'shipment.delayed', 'o1', { at: T0 + 4 * HOUR, data: { delayMs: DAY } }),
    ];
    const snapshot = async (store: Store) => ({
      customer: await store.reads.getCustomer('c1'),
      order: await store.reads.getOrder('o1'),
      events: await store.reads.listEvents('c1'),
      touchPoints: await store.reads.listTouchPoints({ orderId: 'o1' }),
      counts: await store.reads.counts(),
    });
    let together: { results: IntakeResult[]; rows: Awaited<ReturnType<typeof snapshot>> } | null = null;
    await withStore(open, async (store) => {
      const results = await store.intake.apply(events, testReducer().reduce);
      together = { results, rows: await snapshot(store) };
    });
    await withStore(open, async (store) => {
      const { reduce } = testReducer();
      const results: IntakeResult[] = [];
      for (const e of events) results.push(...(await store.intake.apply([e], reduce)));
      assert.deepEqual(together, { results, rows: await snapshot(store) });
    });
    assert.deepEqual(
      together!.results.map((r) => r.planned),
      [3, 0, 0, 1, 0],
    );
    // The first delay moved the three steps planned before it; the second moved all four.
    assert.deepEqual(
      together!.rows.touchPoints.map((t) => t.dueAt),
      [...DEFAULT_STEPS.map((s) => T0 + s.offset + HOUR + DAY), T0 + 30 * DAY + DAY],
    );
    assert.equal(together!.rows.customer?.unsubscribedAt, T0 + 2 * HOUR);
  });

  test('a touch point inserted and cancelled in one batch is stored cancelled, each event counting its own', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      const results = await store.intake.apply(
        [
          placedEvent('e1', 'o1'),
          event('e2', 'shipment.delayed', 'o1', { at: T0 + 1, data: { delayMs: HOUR } }),
          event('e3', 'order.cancelled', 'o1', { at: T0 + 2 }),
          event('e4', 'order.cancelled', 'o1', { at: T0 + 3 }),
        ],
        reduce,
      );
      assert.deepEqual(
        results.map((r) => [r.planned, r.cancelled]),
        [
          [3, 0],
          [0, 0],
          [0, 3],
          [0, 0],
        ],
      );
      const rows = await store.reads.listTouchPoints({ orderId: 'o1' });
      assert.deepEqual(
        rows.map((t) => [t.stepKey, t.status, t.reason, t.outcomeAt, t.dueAt, t.leaseUntil]),
        DEFAULT_STEPS.map((s) => [
          s.key,
          'cancelled',
          { code: 'program_ended', detail: 'cancelled' },
          T0 + 2,
          T0 + s.offset + HOUR,
          null,
        ]),
      );
      const counts = await store.reads.counts();
      assert.deepEqual([counts.touchPoints.cancelled, counts.touchPoints.scheduled], [3, 0]);
      assert.equal(await store.queue.nextDueAt(), null);
      assert.deepEqual(
        await store.queue.claimDue({ now: T0 + 30 * DAY, limit: 10, leaseMs: HOUR, worker: 'w' }),
        [],
      );
    }));

  test('an event id repeated within a batch is a duplicate of the first, which alone is applied', () =>
    withStore(open, async (store) => {
      const { reduce, seen } = testReducer();
      const results = await store.intake.apply(
        [
          placedEvent('e1', 'o1'),
          event('e2', 'shipment.delayed', 'o1', { at: T0 + 1, data: { delayMs: HOUR } }),
          // Same ids, other content: both duplicates of what came first.
          event('e2', 'order.cancelled', 'o1', { at: T0 + 2 }),
          placedEvent('e1', 'o2', { customerId: 'c2' }),
        ],
        reduce,
      );
      assert.deepEqual(
        results.map((r) => [r.eventId, r.duplicate, r.customerId, r.orderId, r.planned, r.cancelled]),
        [
          ['e1', false, 'c1', 'o1', 3, 0],
          ['e2', false, 'c1', 'o1', 0, 0],
          ['e2', true, 'c1', 'o1', 0, 0],
          ['e1', true, 'c1', 'o1', 0, 0],
        ],
      );
      assert.deepEqual(
        seen.map((s) => s.state.duplicate),
        [false, false, true, true],
      );
      assert.equal(await store.reads.getOrder('o2'), null);
      assert.equal(await store.reads.getCustomer('c2'), null);
      assert.deepEqual(
        (await store.reads.listEvents('c1')).map((e) => [e.id, e.type]),
        [
          ['e1', 'order.placed'],
          ['e2', 'shipment.delayed'],
        ],
      );
      const rows = await store.reads.listTouchPoints({ orderId: 'o1' });
      assert.deepEqual(
        rows.map((t) => [t.status, t.dueAt]),
        DEFAULT_STEPS.map((s) => ['scheduled', T0 + s.offset + HOUR]),
      );
    }));

  test('a reducer that throws late in a batch leaves stored rows as they were', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply([placedEvent('e1', 'o1', { email: 'Ada@Example.com' })], reduce);
      const before = {
        customer: await store.reads.getCustomer('c1'),
        order: await store.reads.getOrder('o1'),
        touchPoints: await store.reads.listTouchPoints({ orderId: 'o1' }),
        counts: await store.reads.counts(),
      };
      await assert.rejects(
        store.intake.apply(
          [
            event('e2', 'shipment.delayed', 'o1', { at: T0 + 1, data: { delayMs: HOUR } }),
            event('e3', 'customer.unsubscribed', null, { at: T0 + 2 }),
            placedEvent('e4', 'o2', { at: T0 + 3 }),
            event('e5', 'order.cancelled', 'o1', { at: T0 + 4 }),
            event('e6', 'reply.received', null, { data: { explode: true } }),
          ],
          reduce,
        ),
        { message: 'the test reducer was told to fail' },
      );
      assert.deepEqual(
        {
          customer: await store.reads.getCustomer('c1'),
          order: await store.reads.getOrder('o1'),
          touchPoints: await store.reads.listTouchPoints({ orderId: 'o1' }),
          counts: await store.reads.counts(),
        },
        before,
      );
      assert.equal(await store.reads.getOrder('o2'), null);
      // None of the batch's events was remembered.
      const again = await store.intake.apply([event('e2', 'shipment.delayed', 'o1', { at: T0 + 1 })], reduce);
      assert.equal(again[0]?.duplicate, false);
    }));
}
