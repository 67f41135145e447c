// Contract: measuring. A small, realistic history through the real reducer and the built-in
// playbook (two currencies, a return, a cancellation, a repeat within 90 days, an answer via a
// touch point and one via the API, a holdout customer, an unsubscribe, concerns, a completed
// task) gives hand-checked cells, the same cells as the memory store given the same history,
// and cells that survive an erasure with nothing of the person in them.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinPlaybookPath, loadPlaybookFile } from '../../src/app/playbooks.js';
import type { DomainEvent, Millis, Task } from '../../src/core/domain.js';
import { isHoldout } from '../../src/core/holdout.js';
import { noChanges } from '../../src/core/listening/changes.js';
import type { Concern } from '../../src/core/listening/types.js';
import type { CellKey, MeasureCells, OutcomeCell, StepCell } from '../../src/core/measuring/cells.js';
import { makeIntakeReducer } from '../../src/engine/intake.js';
import { openMemoryStore } from '../../src/store/memory/store.js';
import type { Store } from '../../src/store/store.js';
import { DAY, HOUR, T0, TEST_INSTALL_KEY, withStore, type OpenStore } from './fixtures.js';

const HOLDOUT_SHARE = 0.5;
/** A salt that holds out hal and treats ada and bob (found once; isHoldout is stable). */
const SALT = (() => {
  for (let i = 0; ; i++) {
    const salt = `measuring-${i}`;
    const out = (id: string) => isHoldout(id, HOLDOUT_SHARE, salt);
    if (out('hal') && !out('ada') && !out('bob')) return salt;
  }
})();

function placed(
  customerId: string,
  orderId: string,
  at: Millis,
  currency: string,
  total: number,
  segment = 'b2c',
): DomainEvent {
  return {
    id: `shop:order:${orderId}`,
    type: 'order.placed',
    at,
    customerId,
    orderId,
    customer: { customerId, email: `${customerId}@example.org`, segment: segment as 'b2c' | 'b2b' },
    order: { placedAt: at, currency, total, items: [] },
    data: {},
  };
}

function fact(
  id: string,
  type: DomainEvent['type'],
  customerId: string,
  orderId: string | null,
  at: Millis,
  data: Record<string, unknown> = {},
): DomainEvent {
  return { id, type, at, customerId, orderId, data };
}

const tp = (orderId: string, step: string): string => `reassure:${orderId}:${step}`;

function concern(id: string, customerId: string, orderId: string, overrides: Partial<Concern>): Concern {
  return {
    id,
    customerId,
    orderId,
    source: 'survey',
    severity: 'high',
    summary: 'CSAT 1: arrived broken',
    status: 'open',
    level: 0,
    owner: 'rep',
    openedAt: T0 + 3 * DAY,
    acknowledgedAt: null,
    resolvedAt: null,
    resolution: null,
    escalations: [],
    nextEscalationAt: null,
    sourceEventId: `e-${id}`,
    ...overrides,
  };
}

const ASK_LETTER_DONE = T0 + 2 * DAY + 5 * HOUR;

/**
 * The history, the same on every store; returns the playbook version it enrolled under.
 * `between` runs after each write (a fold, for the stores that keep days).
 */
async function play(store: Store, between: () => Promise<void> = () => Promise.resolve()): Promise<number> {
  const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
  let clock = T0;
  const reduce = makeIntakeReducer({
    playbooks: [playbook],
    defaultTimezone: 'Europe/Dublin',
    holdoutShare: HOLDOUT_SHARE,
    holdoutSalt: SALT,
    now: () => clock,
  });
  const apply = async (events: DomainEvent[]) => {
    clock = Math.max(clock, ...events.map((e) => e.at));
    const results = await store.intake.apply(events, reduce);
    for (const r of results) assert.equal(r.rejected, null, JSON.stringify(r));
    await between();
  };
  await apply([placed('ada', 'ada-1', T0, 'USD', 600), placed('hal', 'hal-1', T0 + HOUR, 'USD', 600)]);
  await apply([placed('bob', 'bob-1', T0 + DAY, 'EUR', 80, 'b2b')]);
  await apply([fact('bob-cancel', 'order.cancelled', 'bob', 'bob-1', T0 + DAY + 2 * HOUR)]);

  // The dispatcher's part, by hand: ada's thank-you goes out and her letter becomes a task a
  // person completes; bob is told his cancellation went through; hal is in the holdout, so his
  // are skipped.
  clock = T0 + 3 * DAY;
  const claimed = await store.queue.claimDue({ now: clock, limit: 100, leaseMs: HOUR, worker: 'w' });
  await between();
  const ids = claimed.map((c) => c.touchPoint.id).sort();
  assert.deepEqual(ids, [
    tp('ada-1', 'thank-you'),
    tp('ada-1', 'thank-you-letter'),
    tp('bob-1', 'cancel-followup'),
    tp('hal-1', 'thank-you'),
    tp('hal-1', 'thank-you-letter'),
  ]);
  const at = (id: string) => claimed.find((c) => c.touchPoint.id === id)!.touchPoint;
  await store.queue.recordOutcomes([
    {
      kind: 'sent',
      id: tp('ada-1', 'thank-you'),
      attempt: at(tp('ada-1', 'thank-you')).attempt,
      at: T0 + 2 * DAY + 7 * HOUR,
      providerId: null,
    },
    {
      kind: 'sent',
      id: tp('ada-1', 'thank-you-letter'),
      attempt: at(tp('ada-1', 'thank-you-letter')).attempt,
      at: T0 + 2 * DAY,
      providerId: null,
    },
    {
      kind: 'sent',
      id: tp('bob-1', 'cancel-followup'),
      attempt: at(tp('bob-1', 'cancel-followup')).attempt,
      at: T0 + DAY + 3 * HOUR,
      providerId: null,
    },
    ...[tp('hal-1', 'thank-you'), tp('hal-1', 'thank-you-letter')].map((id) => ({
      kind: 'skipped' as const,
      id,
      attempt: at(id).attempt,
      at: T0 + 2 * DAY,
      reason: { code: 'holdout' as const, detail: null },
    })),
  ]);
  const letter: Task = {
    id: `task:${tp('ada-1', 'thank-you-letter')}`,
    touchPointId: tp('ada-1', 'thank-you-letter'),
    customerId: 'ada',
    orderId: 'ada-1',
    concernId: null,
    kind: 'letter',
    title: 'Write to Ada',
    script: 'Thank her by hand.',
    dueAt: T0 + 2 * DAY,
    owner: null,
    status: 'open',
    outcome: null,
    notes: null,
    createdAt: T0 + 2 * DAY,
    completedAt: null,
  };
  await between();
  await store.tasks.create(letter);
  await between();
  await store.tasks.transition(letter.id, ['open'], {
    status: 'done',
    outcome: 'done',
    completedAt: ASK_LETTER_DONE,
  });
  await between();

  await apply([
    // She answers the thank-you's survey link, then changes her mind: the later answer counts.
    fact('ans-1', 'survey.answered', 'ada', null, T0 + 3 * DAY, {
      survey: 'csat',
      score: 4,
      touchPointId: tp('ada-1', 'thank-you'),
    }),
    fact('ans-2', 'survey.answered', 'ada', null, T0 + 4 * DAY, {
      survey: 'csat',
      score: 5,
      touchPointId: tp('ada-1', 'thank-you'),
    }),
    // And the letter's question about the same order: the two answers make a pair.
    fact('ans-5', 'survey.answered', 'ada', null, T0 + 4 * DAY, {
      survey: 'nps',
      score: 8,
      touchPointId: tp('ada-1', 'thank-you-letter'),
    }),
    // Bob answers through the API, no touch point: his latest order's enrollment, step null.
    fact('ans-3', 'survey.answered', 'bob', null, T0 + 5 * DAY, { survey: 'nps', score: 9 }),
    // Not a countable answer: no score.
    fact('ans-4', 'survey.answered', 'hal', null, T0 + 5 * DAY, { survey: 'nps' }),
    fact('unsub', 'customer.unsubscribed', 'ada', null, T0 + 6 * DAY, {
      source: 'one-click',
      touchPointId: tp('ada-1', 'thank-you'),
    }),
    fact('ada-return', 'order.returned', 'ada', 'ada-1', T0 + 10 * DAY),
  ]);
  await apply([placed('ada', 'ada-2', T0 + 30 * DAY, 'EUR', 40)]);
  await store.listening.apply(
    {
      ...noChanges(),
      concerns: [
        concern('k-ada', 'ada', 'ada-1', {
          level: 1,
          status: 'resolved',
          escalations: [{ level: 1, at: T0 + 3 * DAY + 4 * HOUR }],
          resolvedAt: T0 + 3 * DAY + 6 * HOUR,
          resolution: 'replaced',
        }),
        concern('k-hal', 'hal', 'hal-1', { nextEscalationAt: T0 + 4 * DAY }),
      ],
    },
    { ids: [], at: T0 + 3 * DAY },
  );
  await between();
  return playbook.version;
}

const AS_OF = T0 + 200 * DAY;

function key(
  version: number,
  segment: string,
  cohort: string,
  holdout: boolean,
  firstOrder: boolean,
): CellKey {
  return { playbook: 'reassure', version, segment, cohort, holdout, firstOrder };
}

function sameKey(a: CellKey, b: CellKey): boolean {
  return (
    a.playbook === b.playbook &&
    a.version === b.version &&
    a.segment === b.segment &&
    a.cohort === b.cohort &&
    a.holdout === b.holdout &&
    a.firstOrder === b.firstOrder
  );
}

function outcome(k: CellKey, counts: Partial<OutcomeCell>): OutcomeCell {
  return {
    ...k,
    enrollments: 1,
    returned: 0,
    cancelled: 0,
    repeat90Eligible: 1,
    repeat90: 0,
    repeat180Eligible: 1,
    repeat180: 0,
    firstContacts: 0,
    firstContactHours: 0,
    concernsOpened: 0,
    concernsResolved: 0,
    resolveHours: 0,
    slaBreaches: 0,
    ...counts,
  };
}

function stepCount(cells: MeasureCells, k: CellKey): number {
  return cells.steps.filter((s) => sameKey(s, k)).reduce((n, s) => n + s.count, 0);
}

function stepCell(cells: MeasureCells, k: CellKey, step: string, status: StepCell['status']): StepCell[] {
  return cells.steps.filter((s) => sameKey(s, k) && s.step === step && s.status === status);
}

export function measuringContract(open: OpenStore): void {
  test('a small history gives hand-checked cells, the same as the memory store’s', () =>
    withStore(open, async (store) => {
      const version = await play(store);
      const cells = await store.measuring.cells({ asOf: AS_OF });
      const ada1 = key(version, 'b2c', '2026-03-01', false, true);
      const hal1 = key(version, 'b2c', '2026-03-01', true, true);
      const bob1 = key(version, 'b2b', '2026-03-02', false, true);
      const ada2 = key(version, 'b2c', '2026-03-31', false, false);

      // Sorted by key: playbook, version, segment, cohort, holdout, first order.
      assert.deepEqual(cells.outcomes, [
        outcome(bob1, { cancelled: 1, firstContacts: 1, firstContactHours: 3 }),
        outcome(ada1, {
          returned: 1,
          repeat90: 1,
          repeat180: 1,
          // The letter's task was completed 53 h after the order, before the e-mail went (55 h).
          firstContacts: 1,
          firstContactHours: 53,
          concernsOpened: 1,
          concernsResolved: 1,
          resolveHours: 6,
          slaBreaches: 1,
        }),
        outcome(hal1, { concernsOpened: 1 }),
        // Too young to tell a 180-day repeat; no later order within 90 days.
        outcome(ada2, { repeat180Eligible: 0 }),
      ]);

      assert.deepEqual(
        cells.answers.map((a) => [a.cohort, a.segment, a.step, a.survey, a.score, a.count]),
        [
          ['2026-03-02', 'b2b', null, 'nps', 9, 1],
          ['2026-03-01', 'b2c', 'thank-you', 'csat', 5, 1],
          ['2026-03-01', 'b2c', 'thank-you-letter', 'nps', 8, 1],
        ],
      );
      assert.deepEqual(cells.pairs, [
        {
          playbook: 'reassure',
          cohort: '2026-03-01',
          step: 'thank-you',
          survey: 'csat',
          score: 5,
          otherStep: 'thank-you-letter',
          otherSurvey: 'nps',
          otherScore: 8,
          count: 1,
        },
      ]);

      const sent = stepCell(cells, ada1, 'thank-you', 'sent');
      assert.deepEqual(
        sent.map((s) => [s.channel, s.reason, s.count, s.answers, s.unsubscribes]),
        [['email', null, 1, 1, 1]],
      );
      const held = stepCell(cells, hal1, 'thank-you', 'skipped');
      assert.deepEqual(
        held.map((s) => [s.reason, s.count, s.answers]),
        [['holdout', 1, 0]],
      );
      // Every touch point the reads list (rows and compact plans alike) is in exactly one cell.
      for (const [k, orderId] of [
        [ada1, 'ada-1'],
        [hal1, 'hal-1'],
        [bob1, 'bob-1'],
        [ada2, 'ada-2'],
      ] as const) {
        const listed = await store.reads.listTouchPoints({ orderId, limit: 1000 });
        assert.equal(stepCount(cells, k), listed.length, orderId);
      }
      // Bob's order was cancelled before anything went but the cancellation's confirmation.
      assert.deepEqual(
        cells.steps
          .filter((s) => sameKey(s, bob1) && s.status !== 'cancelled')
          .map((s) => [s.step, s.status]),
        [['cancel-followup', 'sent']],
      );

      const reference = await openMemoryStore({ installKey: TEST_INSTALL_KEY });
      try {
        await play(reference);
        assert.deepEqual(cells, await reference.measuring.cells({ asOf: AS_OF }));
      } finally {
        await reference.close();
      }
    }));

  test('cells kept per day and folded at any point are the cells a count gives', () =>
    withStore(open, async (store) => {
      const reference = await openMemoryStore({ installKey: TEST_INSTALL_KEY });
      try {
        // After every write of the history: the reference's cells, then the store's after a fold
        // (sometimes of one day only, so stored and marked days mix), must agree.
        const asOfs = [AS_OF, T0 + 91 * DAY];
        const snapshots: MeasureCells[][] = [];
        await play(reference, async () => {
          snapshots.push(await Promise.all(asOfs.map((asOf) => reference.measuring.cells({ asOf }))));
        });
        let writes = 0;
        let keeps = false;
        await play(store, async () => {
          const expected = snapshots[writes]!;
          writes += 1;
          const folded = await store.measuring.fold(writes % 3 === 0 ? 1 : 50);
          if (folded.folded > 0) keeps = true;
          for (const [i, asOf] of asOfs.entries()) {
            assert.deepEqual(
              await store.measuring.cells({ asOf }),
              expected[i],
              `after write ${writes}, asOf ${asOf}`,
            );
          }
        });
        assert.equal(writes, snapshots.length);
        const same = async (what: string) => {
          // The cut days of repeat purchases: on a cohort day, just after, and far away.
          for (const asOf of [
            AS_OF,
            T0 + 90 * DAY + 5 * HOUR,
            T0 + 91 * DAY,
            T0 + 180 * DAY + HOUR,
            T0 + 10 * DAY,
          ]) {
            for (const window of [
              {},
              { since: '2026-03-02' },
              { until: '2026-03-01' },
              { playbook: 'reassure' },
            ]) {
              const query = { asOf, ...window };
              assert.deepEqual(
                await store.measuring.cells(query),
                await reference.measuring.cells(query),
                `${what}: ${JSON.stringify(query)}`,
              );
            }
          }
        };
        await same('partly folded');
        for (let i = 0; i < 20 && (await store.measuring.fold(2)).pending > 0; i++);
        assert.equal((await store.measuring.fold()).pending, 0);
        await same('all folded');

        // Writes after the fold mark their days: counted at once, and again once folded.
        const late = async (s: Store) => {
          const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
          const reduce = makeIntakeReducer({
            playbooks: [playbook],
            defaultTimezone: 'Europe/Dublin',
            holdoutShare: HOLDOUT_SHARE,
            holdoutSalt: SALT,
            now: () => T0 + 40 * DAY,
          });
          await s.intake.apply(
            [
              fact('ada-2-return', 'order.returned', 'ada', 'ada-2', T0 + 38 * DAY),
              fact('ans-late', 'survey.answered', 'hal', null, T0 + 39 * DAY, { survey: 'csat', score: 2 }),
              placed('hal', 'hal-2', T0 + 40 * DAY, 'USD', 90),
            ],
            reduce,
          );
        };
        await late(store);
        await late(reference);
        // A store that keeps days has marked the ones these writes changed.
        if (keeps) assert.equal((await store.measuring.fold(1)).folded, 1);
        await same('written after the fold');
        for (let i = 0; i < 20 && (await store.measuring.fold(1)).pending > 0; i++);
        await same('folded again');
        await store.privacy.eraseCustomer('ada', T0 + 41 * DAY);
        await reference.privacy.eraseCustomer('ada', T0 + 41 * DAY);
        await same('erased');
        for (let i = 0; i < 20 && (await store.measuring.fold(3)).pending > 0; i++);
        await same('erased and folded');
      } finally {
        await reference.close();
      }
    }));

  test('since, until and playbook pick enrollments by placed day and playbook', () =>
    withStore(open, async (store) => {
      await play(store);
      const all = await store.measuring.cells({ asOf: AS_OF });
      const day = await store.measuring.cells({ asOf: AS_OF, since: '2026-03-02', until: '2026-03-02' });
      assert.deepEqual(
        day.outcomes.map((o) => o.cohort),
        ['2026-03-02'],
      );
      assert.deepEqual(
        day.answers,
        all.answers.filter((a) => a.cohort === '2026-03-02'),
      );
      assert.deepEqual(
        day.steps,
        all.steps.filter((s) => s.cohort === '2026-03-02'),
      );
      const from = await store.measuring.cells({ asOf: AS_OF, since: '2026-03-02' });
      assert.deepEqual(from.outcomes.map((o) => o.cohort).sort(), ['2026-03-02', '2026-03-31']);
      assert.deepEqual(await store.measuring.cells({ asOf: AS_OF, playbook: 'other' }), {
        steps: [],
        answers: [],
        outcomes: [],
        pairs: [],
      });
      assert.deepEqual(await store.measuring.cells({ asOf: AS_OF, playbook: 'reassure' }), all);
      await assert.rejects(store.measuring.cells({ asOf: AS_OF, since: '2026-3-2' }), /since: must be a day/);
    }));

  test('after an erasure the counts stay, the person’s answers go, and nothing names them', () =>
    withStore(open, async (store) => {
      await play(store);
      const before = await store.measuring.cells({ asOf: AS_OF });
      await store.privacy.eraseCustomer('ada', T0 + 40 * DAY);
      const after = await store.measuring.cells({ asOf: AS_OF });
      // Her enrollments, returns and repeat stay counted; her words (answers, the unsubscribe's
      // touch point) were erased with the events' data, so they no longer count.
      assert.deepEqual(
        after.outcomes.map((o) => o.enrollments),
        before.outcomes.map((o) => o.enrollments),
      );
      assert.equal(
        after.outcomes.reduce((n, o) => n + o.returned, 0),
        1,
      );
      assert.deepEqual(
        after.answers.map((a) => a.survey),
        ['nps'],
      );
      assert.equal(
        after.steps.reduce((n, s) => n + s.unsubscribes, 0),
        0,
      );
      const text = JSON.stringify(after);
      for (const personal of ['ada', 'example.org']) assert.ok(!text.includes(personal), personal);
      const reference = await openMemoryStore({ installKey: TEST_INSTALL_KEY });
      try {
        await play(reference);
        await reference.privacy.eraseCustomer('ada', T0 + 40 * DAY);
        assert.deepEqual(after, await reference.measuring.cells({ asOf: AS_OF }));
      } finally {
        await reference.close();
      }
    }));
}
