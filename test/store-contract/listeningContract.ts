// The listening port's contract: unheard events in order, one customer's state, the listener's
// changes written atomically (care columns only, idempotent tasks, events marked heard once),
// concern listings, escalation timers, and erasure of what the customer said in a concern.
// node:test registers tests synchronously; the promises test() returns need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TouchPoint } from '../../src/core/domain.js';
import type { Concern } from '../../src/core/listening/types.js';
import { noChanges } from '../../src/core/listening/changes.js';
import type { ListeningChanges } from '../../src/store/ports/listening.js';
import type { Store } from '../../src/store/store.js';
import {
  DAY,
  HOUR,
  T0,
  event,
  placedEvent,
  task,
  testReducer,
  withStore,
  type OpenStore,
} from './fixtures.js';

function concern(id: string, overrides: Partial<Concern> = {}): Concern {
  return {
    id,
    customerId: 'c1',
    orderId: 'o1',
    source: 'survey',
    severity: 'high',
    summary: 'NPS 2: arrived broken',
    status: 'open',
    level: 0,
    owner: 'rep',
    openedAt: T0 + HOUR,
    acknowledgedAt: null,
    resolvedAt: null,
    resolution: null,
    escalations: [],
    nextEscalationAt: T0 + 5 * HOUR,
    sourceEventId: 'e-survey',
    ...overrides,
  };
}

const NONE: ListeningChanges = noChanges();

/** Ada with an order, a low answer, a reply and an unsubscribe on file (received an hour apart). */
async function seed(store: Store): Promise<void> {
  const { reduce } = testReducer();
  await store.intake.apply(
    [
      placedEvent('e-placed', 'o1', { email: 'ada@example.com' }),
      event('e-survey', 'survey.answered', null, {
        at: T0 + 2 * HOUR,
        data: { survey: 'nps', score: 2, comment: 'arrived broken' },
      }),
      event('e-reply', 'reply.received', null, { at: T0 + HOUR, data: { text: 'it is broken' } }),
      event('e-delivered', 'shipment.delivered', 'o1', { at: T0 + 3 * HOUR }),
      event('e-unsub', 'customer.unsubscribed', null, { at: T0 + 4 * HOUR }),
    ],
    reduce,
  );
}

export function listeningContract(open: OpenStore): void {
  test('unheard: only the kinds the listener hears, by received time then id, up to the limit', () =>
    withStore(open, async (store) => {
      await seed(store);
      const all = await store.listening.unheard(10);
      assert.deepEqual(
        all.map((e) => e.id),
        ['e-reply', 'e-survey', 'e-unsub'],
      );
      assert.deepEqual(all[1]?.data, { survey: 'nps', score: 2, comment: 'arrived broken' });
      assert.deepEqual(
        (await store.listening.unheard(2)).map((e) => e.id),
        ['e-reply', 'e-survey'],
      );
      assert.deepEqual(await store.listening.unheard(0), []);
    }));

  test('stateOf: the customer, timeline, orders, touch points, concerns and open tasks; null if unknown', () =>
    withStore(open, async (store) => {
      await seed(store);
      await store.tasks.create(task('t-open', 'test:o1:thanks'));
      await store.tasks.create(task('t-done', 'test:o1:arrived', { status: 'done' }));
      await store.listening.apply({ ...NONE, concerns: [concern('k1')] }, { ids: [], at: T0 });
      const state = (await store.listening.stateOf('c1'))!;
      assert.equal(state.customer.email, 'ada@example.com');
      assert.deepEqual(
        state.events.map((e) => e.id),
        ['e-placed', 'e-reply', 'e-survey', 'e-delivered', 'e-unsub'],
      );
      assert.deepEqual(
        state.orders.map((o) => o.id),
        ['o1'],
      );
      assert.deepEqual(state.touchPoints.map((t) => t.stepKey).sort(), ['arrived', 'thanks', 'tips']);
      assert.deepEqual(state.concerns, [concern('k1')]);
      assert.deepEqual(
        state.openTasks.map((t) => t.id),
        ['t-open'],
      );
      assert.equal(await store.listening.stateOf('nobody'), null);
    }));

  test('apply writes the care columns only, upserts concerns, adds tasks once, closes open ones, marks heard', () =>
    withStore(open, async (store) => {
      await seed(store);
      await store.tasks.create(task('t-claimed', 'test:o1:thanks', { status: 'claimed', owner: 'kim' }));
      await store.tasks.create(task('t-cancelled', 'test:o1:arrived', { status: 'cancelled' }));
      const before = (await store.reads.getCustomer('c1'))!;
      const careTask = task('care:k1', 'care:k1', {
        concernId: 'k1',
        title: 'Call Ada: NPS 2',
        dueAt: T0 + DAY,
      });
      const applied = await store.listening.apply(
        {
          customer: {
            ...before,
            // Intake's columns: the listener's copy may be stale and must not win.
            email: 'stale@example.com',
            unsubscribedAt: null,
            preferences: { topicsOff: ['offers'], channelsOff: [], pausedUntil: null },
            temperature: 30,
            temperatureReasons: [{ delta: -20, why: 'NPS 2', at: T0 + 2 * HOUR }],
            openConcerns: 1,
            awaitingPersonSince: T0 + HOUR,
            lastNps: 2,
            engagedAt: T0 + 4 * HOUR,
          },
          concerns: [concern('k1')],
          newTasks: [careTask],
          closeTasks: [
            { id: 't-claimed', status: 'done', outcome: 'concern_resolved', at: T0 + 5 * HOUR },
            { id: 't-cancelled', status: 'done', outcome: 'concern_resolved', at: T0 + 5 * HOUR },
          ],
          events: [
            {
              id: 'concern:e-survey:raised',
              customerId: 'c1',
              orderId: 'o1',
              type: 'concern.raised',
              at: T0 + 2 * HOUR,
              data: { concernId: 'k1' },
              receivedAt: T0 + 5 * HOUR,
            },
          ],
          newTouchPoints: [],
        },
        { ids: ['e-reply', 'e-survey'], at: T0 + 5 * HOUR },
      );
      assert.equal(applied, true);
      const after = (await store.reads.getCustomer('c1'))!;
      assert.deepEqual(after, {
        ...before,
        temperature: 30,
        temperatureReasons: [{ delta: -20, why: 'NPS 2', at: T0 + 2 * HOUR }],
        openConcerns: 1,
        awaitingPersonSince: T0 + HOUR,
        lastNps: 2,
        engagedAt: T0 + 4 * HOUR,
      });
      assert.notEqual(after.unsubscribedAt, null);
      assert.deepEqual(await store.listening.getConcern('k1'), concern('k1'));
      assert.deepEqual(await store.tasks.get('care:k1'), careTask);
      const closed = await store.tasks.get('t-claimed');
      assert.deepEqual(
        [closed?.status, closed?.outcome, closed?.completedAt, closed?.owner],
        ['done', 'concern_resolved', T0 + 5 * HOUR, 'kim'],
      );
      assert.equal(
        (await store.tasks.get('t-cancelled'))?.status,
        'cancelled',
        'only open or claimed tasks close',
      );
      // The derived event is on the timeline, already heard; the heard ones are gone from the list.
      const timeline = await store.reads.listEvents('c1', ['concern.raised']);
      assert.deepEqual(
        timeline.map((e) => e.id),
        ['concern:e-survey:raised'],
      );
      assert.deepEqual(
        (await store.listening.unheard(10)).map((e) => e.id),
        ['e-unsub'],
      );

      // Hearing again: the concern is updated in place, the task with the same key is not added twice.
      const resolved = concern('k1', {
        status: 'resolved',
        resolvedAt: T0 + DAY,
        resolution: 'replaced',
        nextEscalationAt: null,
      });
      assert.equal(
        await store.listening.apply(
          {
            ...NONE,
            concerns: [resolved],
            newTasks: [{ ...careTask, id: 'care:k1:again', title: 'changed' }],
          },
          { ids: ['e-unsub'], at: T0 + DAY },
        ),
        true,
      );
      assert.deepEqual(await store.listening.getConcern('k1'), resolved);
      assert.equal(await store.tasks.get('care:k1:again'), null);
      assert.equal((await store.tasks.get('care:k1'))?.title, 'Call Ada: NPS 2');
      assert.deepEqual(await store.listening.unheard(10), []);
    }));

  test('apply writes nothing when an event was heard already (another listener was first)', () =>
    withStore(open, async (store) => {
      await seed(store);
      assert.equal(await store.listening.apply(NONE, { ids: ['e-reply'], at: T0 + DAY }), true);
      const before = await store.reads.getCustomer('c1');
      const stale: ListeningChanges = {
        ...NONE,
        customer: { ...before!, temperature: 5 },
        concerns: [concern('k2')],
        newTasks: [task('care:k2', 'care:k2')],
      };
      assert.equal(await store.listening.apply(stale, { ids: ['e-survey', 'e-reply'], at: T0 + DAY }), false);
      assert.deepEqual(await store.reads.getCustomer('c1'), before);
      assert.equal(await store.listening.getConcern('k2'), null);
      assert.equal(await store.tasks.get('care:k2'), null);
      assert.deepEqual(
        (await store.listening.unheard(10)).map((e) => e.id),
        ['e-survey', 'e-unsub'],
        'the rolled-back batch left its other events unheard',
      );
    }));

  test('follow-up touch points are stored once as scheduled rows on their enrollment, listed and claimed like any other', () =>
    withStore(open, async (store) => {
      await seed(store);
      const before = await store.reads.listTouchPoints({ customerId: 'c1' });
      const followUp = (step: string, dueAt: number): TouchPoint => ({
        ...before[0]!,
        id: `test:o1:${step}.0123456789abcdef`,
        stepKey: step,
        channel: 'email',
        purpose: 'reassurance',
        dueAt,
        status: 'scheduled',
        attempt: 0,
        leaseUntil: null,
        reason: null,
        outcomeAt: null,
        createdAt: T0 + 5 * HOUR,
      });
      const fixCheck = followUp('fix-check', T0 + 20 * DAY);
      assert.equal(
        await store.listening.apply(
          { ...NONE, newTouchPoints: [fixCheck] },
          { ids: ['e-reply'], at: T0 + 5 * HOUR },
        ),
        true,
      );
      // Heard again (a crash before the events were marked): nothing is planned twice.
      assert.equal(
        await store.listening.apply(
          { ...NONE, newTouchPoints: [{ ...fixCheck, dueAt: T0 + 30 * DAY }] },
          { ids: ['e-survey'], at: T0 + 6 * HOUR },
        ),
        true,
      );
      const listed = await store.reads.listTouchPoints({ customerId: 'c1' });
      assert.deepEqual(
        listed.find((t) => t.id === fixCheck.id),
        fixCheck,
      );
      assert.equal(listed.length, before.length + 1);
      const state = (await store.listening.stateOf('c1'))!;
      assert.ok(
        state.touchPoints.some((t) => t.id === fixCheck.id),
        'the listener sees what it planned',
      );
      // Everything due by then is claimed, the follow-up with its order and enrollment.
      const claimed = await store.queue.claimDue({
        now: T0 + 21 * DAY,
        limit: 100,
        leaseMs: HOUR,
        worker: 'w1',
      });
      const mine = claimed.find((c) => c.touchPoint.id === fixCheck.id);
      assert.ok(mine, 'the follow-up is claimed when due');
      assert.equal(mine.touchPoint.attempt, 1);
      assert.equal(mine.order.id, 'o1');
      assert.equal(mine.enrollment.id, fixCheck.enrollmentId);
      assert.equal(mine.customer.id, 'c1');
      assert.equal(
        await store.queue.recordOutcomes([
          { kind: 'sent', id: fixCheck.id, attempt: 1, at: T0 + 21 * DAY, providerId: null },
        ]),
        1,
      );
      const sent = (await store.reads.listTouchPoints({ customerId: 'c1' })).find(
        (t) => t.id === fixCheck.id,
      );
      assert.equal(sent?.status, 'sent');
    }));

  test('concerns are listed newest first, filtered by status, customer and owner', () =>
    withStore(open, async (store) => {
      const k1 = concern('k1', { openedAt: T0 });
      const k2 = concern('k2', { openedAt: T0 + HOUR, status: 'acknowledged', owner: 'kim' });
      const k3 = concern('k3', { openedAt: T0 + 2 * HOUR, status: 'resolved', nextEscalationAt: null });
      const k4 = concern('k4', { openedAt: T0 + HOUR, customerId: 'c2', orderId: null, source: 'api' });
      await store.listening.apply({ ...NONE, concerns: [k1, k2, k3, k4] }, { ids: [], at: T0 });
      const ids = async (query: Parameters<Store['listening']['listConcerns']>[0]) =>
        (await store.listening.listConcerns(query)).map((c) => c.id);
      assert.deepEqual(await ids({}), ['k3', 'k4', 'k2', 'k1']);
      assert.deepEqual(await ids({ status: 'unresolved' }), ['k4', 'k2', 'k1']);
      assert.deepEqual(await ids({ status: 'resolved' }), ['k3']);
      assert.deepEqual(await ids({ customerId: 'c1', status: 'unresolved' }), ['k2', 'k1']);
      assert.deepEqual(await ids({ owner: 'kim' }), ['k2']);
      assert.deepEqual(await ids({ limit: 2 }), ['k3', 'k4']);
      assert.deepEqual(await store.listening.getConcern('k4'), k4);
      assert.equal(await store.listening.getConcern('nope'), null);
    }));

  test('due escalations: unresolved with a passed timer, earliest first; escalate only from the expected level', () =>
    withStore(open, async (store) => {
      const early = concern('k-early', { nextEscalationAt: T0 + HOUR });
      const late = concern('k-late', { nextEscalationAt: T0 + 3 * HOUR });
      const done = concern('k-done', { status: 'resolved', nextEscalationAt: T0 });
      const never = concern('k-never', { nextEscalationAt: null });
      await store.listening.apply({ ...NONE, concerns: [late, early, done, never] }, { ids: [], at: T0 });
      assert.deepEqual(
        (await store.listening.dueEscalations(T0 + 2 * HOUR, 10)).map((c) => c.id),
        ['k-early'],
      );
      assert.deepEqual(
        (await store.listening.dueEscalations(T0 + 3 * HOUR, 1)).map((c) => c.id),
        ['k-early'],
      );
      const climbed: Concern = {
        ...early,
        level: 1,
        owner: 'manager',
        severity: 'critical',
        escalations: [{ level: 1, at: T0 + 2 * HOUR }],
        nextEscalationAt: T0 + 26 * HOUR,
      };
      assert.equal(await store.listening.escalate(climbed, { level: 0 }), true);
      assert.deepEqual(await store.listening.getConcern('k-early'), climbed);
      // A second sweep that read level 0 loses; so does one for a resolved concern.
      assert.equal(await store.listening.escalate({ ...climbed, level: 2 }, { level: 0 }), false);
      assert.equal(await store.listening.escalate({ ...done, level: 1 }, { level: 0 }), false);
      assert.deepEqual(await store.listening.getConcern('k-early'), climbed);
      assert.deepEqual(
        (await store.listening.dueEscalations(T0 + 3 * HOUR, 10)).map((c) => c.id),
        ['k-late'],
      );
    }));

  test('erasure keeps concern rows but removes what the customer said and ends them', () =>
    withStore(open, async (store) => {
      await seed(store);
      const resolved = concern('k-old', {
        openedAt: T0,
        status: 'resolved',
        resolvedAt: T0 + HOUR,
        resolution: 'sent Ada a new one',
        nextEscalationAt: null,
      });
      await store.listening.apply({ ...NONE, concerns: [concern('k1'), resolved] }, { ids: [], at: T0 });
      assert.deepEqual(
        (await store.privacy.exportCustomer('c1'))?.concerns.map((c) => [c.id, c.summary]),
        [
          ['k-old', 'NPS 2: arrived broken'],
          ['k1', 'NPS 2: arrived broken'],
        ],
        'the export holds what the customer complained about',
      );
      await store.privacy.eraseCustomer('c1', T0 + DAY);
      const exported = JSON.stringify(await store.privacy.exportCustomer('c1')).toLowerCase();
      for (const said of ['arrived broken', 'new one']) assert.equal(exported.includes(said), false, said);
      assert.deepEqual(await store.listening.getConcern('k1'), {
        ...concern('k1'),
        summary: '',
        status: 'resolved',
        resolvedAt: T0 + DAY,
        nextEscalationAt: null,
      });
      assert.deepEqual(await store.listening.getConcern('k-old'), {
        ...resolved,
        resolution: null,
        summary: '',
      });
      assert.deepEqual(await store.listening.dueEscalations(T0 + 10 * DAY, 10), []);
      assert.equal((await store.listening.listConcerns({ customerId: 'c1' })).length, 2);
    }));
}
