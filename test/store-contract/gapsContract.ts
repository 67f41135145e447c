// Contract: gap analysis. Team audits are replaced whole per team; action items are numbered from
// 1, listed oldest first, done once (the first time is kept); survey answers are traced to their
// step, the latest per touch point, within the orders' window.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DomainEvent } from '../../src/core/domain.js';
import { DAY, HOUR, T0, event, placedEvent, testReducer, withStore, type OpenStore } from './fixtures.js';

function answer(
  id: string,
  orderId: string,
  customerId: string,
  step: string,
  score: number,
  at: number,
): DomainEvent {
  const survey = step === 'month' ? 'nps' : 'csat';
  return event(id, 'survey.answered', orderId, {
    at,
    customerId,
    data: { survey, score, touchPointId: `test:${orderId}:${step}` },
  });
}

export function gapsContract(open: OpenStore): void {
  test('a re-import replaces the team audit; other teams stay', () =>
    withStore(open, async (store) => {
      const entry = (
        interaction: string,
        importance: number,
        performance: number,
        note: string | null = null,
      ) => ({
        interaction,
        importance,
        performance,
        note,
        importedAt: T0,
      });
      await store.gaps.replaceAudit('support', [
        entry('delivery', 5, 2, 'late parcels'),
        entry('renewal', 3, 4),
      ]);
      await store.gaps.replaceAudit('sales', [entry('delivery', 4, 3)]);
      await store.gaps.replaceAudit('support', [entry('support', 5, 3)]);
      assert.deepEqual(
        (await store.gaps.listAudits()).map((a) => [
          a.team,
          a.interaction,
          a.importance,
          a.performance,
          a.note,
        ]),
        [
          ['sales', 'delivery', 4, 3, null],
          ['support', 'support', 5, 3, null],
        ],
      );
      assert.deepEqual((await store.gaps.listAudits('sales')).length, 1);
      assert.equal((await store.gaps.listAudits('support'))[0]!.importedAt, T0);
      // A file naming one interaction twice is refused whole: the team's audit stays as it was.
      await assert.rejects(
        store.gaps.replaceAudit('support', [entry('renewal', 1, 1), entry('renewal', 2, 2)]),
        (e: Error & { code?: string }) => e.code === 'AFTERCARE_E_STORE',
      );
      assert.deepEqual(
        (await store.gaps.listAudits('support')).map((a) => a.interaction),
        ['support'],
      );
    }));

  test('action items are numbered from 1, listed by status, done once', () =>
    withStore(open, async (store) => {
      const first = await store.gaps.addActionItem({
        interaction: 'delivery',
        title: 'Call when a parcel is late',
        owner: 'Sam',
        due: '2026-04-01',
        createdAt: T0,
      });
      assert.deepEqual(first, {
        id: 1,
        interaction: 'delivery',
        title: 'Call when a parcel is late',
        owner: 'Sam',
        due: '2026-04-01',
        status: 'open',
        createdAt: T0,
        doneAt: null,
        playbookVersion: null,
      });
      const second = await store.gaps.addActionItem({
        interaction: 'renewal',
        title: 'Earlier heads-up',
        owner: 'Kim',
        due: '2026-05-01',
        createdAt: T0 + 1,
      });
      assert.equal(second.id, 2);
      const done = await store.gaps.completeActionItem(2, T0 + DAY, 'reassure@4');
      assert.equal(done?.status, 'done');
      assert.equal(done?.doneAt, T0 + DAY);
      assert.equal(done?.playbookVersion, 'reassure@4');
      // Done again: the first time stays; no version named keeps the one given.
      const again = await store.gaps.completeActionItem(2, T0 + 2 * DAY, null);
      assert.equal(again?.doneAt, T0 + DAY);
      assert.equal(again?.playbookVersion, 'reassure@4');
      assert.equal(await store.gaps.completeActionItem(99, T0, null), null);
      assert.equal(await store.gaps.getActionItem(99), null);
      assert.deepEqual((await store.gaps.getActionItem(1))?.title, 'Call when a parcel is late');
      assert.deepEqual(
        (await store.gaps.listActionItems()).map((a) => a.id),
        [1, 2],
      );
      assert.deepEqual(
        (await store.gaps.listActionItems({ status: 'open' })).map((a) => a.id),
        [1],
      );
      assert.deepEqual(
        (await store.gaps.listActionItems({ status: 'done', interaction: 'renewal' })).map((a) => a.id),
        [2],
      );
      assert.deepEqual(await store.gaps.listActionItems({ interaction: 'support' }), []);
    }));

  test('survey answers are traced to their step, the latest per touch point, within the orders window', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply(
        [
          placedEvent('p1', 'o1', { at: T0, customerId: 'c1', email: 'ada@example.com' }),
          placedEvent('p2', 'o2', { at: T0 + 10 * DAY, customerId: 'c2', email: 'bob@example.com' }),
        ],
        reduce,
      );
      await store.intake.apply(
        [
          answer('a1', 'o1', 'c1', 'week', 2, T0 + 8 * DAY),
          // The same touch point answered again later: this one counts.
          answer('a2', 'o1', 'c1', 'week', 4, T0 + 9 * DAY),
          answer('a3', 'o1', 'c1', 'month', 9, T0 + 31 * DAY),
          answer('a4', 'o2', 'c2', 'week', 5, T0 + 18 * DAY),
          // A step the query does not ask for, and an answer without a touch point.
          answer('a5', 'o2', 'c2', 'tips', 1, T0 + 18 * DAY + HOUR),
          event('a6', 'survey.answered', 'o2', {
            at: T0 + 19 * DAY,
            customerId: 'c2',
            data: { survey: 'nps', score: 0 },
          }),
        ],
        reduce,
      );
      const read = await store.gaps.stepAnswers({ playbook: 'test', steps: ['week', 'month'] });
      assert.equal(read.complete, true);
      const all = read.answers;
      assert.deepEqual(
        all.map((a) => [a.customerId, a.step, a.survey, a.score, a.at]),
        [
          ['c1', 'month', 'nps', 9, T0 + 31 * DAY],
          ['c1', 'week', 'csat', 4, T0 + 9 * DAY],
          ['c2', 'week', 'csat', 5, T0 + 18 * DAY],
        ],
      );
      assert.equal(all[0]!.playbook, 'test');
      const { answers: windowed } = await store.gaps.stepAnswers({
        playbook: 'test',
        steps: ['week'],
        since: T0 + DAY,
        until: T0 + 11 * DAY,
      });
      assert.deepEqual(
        windowed.map((a) => a.customerId),
        ['c2'],
      );
      assert.deepEqual(await store.gaps.stepAnswers({ playbook: 'other', steps: ['week'] }), {
        answers: [],
        complete: true,
      });
      assert.deepEqual(await store.gaps.stepAnswers({ playbook: 'test', steps: [] }), {
        answers: [],
        complete: true,
      });
      // A limit reads whole customers in id order: c1 has three answer events, c2 three.
      const cut = await store.gaps.stepAnswers({ playbook: 'test', steps: ['week', 'month'], limit: 4 });
      assert.equal(cut.complete, false);
      assert.deepEqual(
        cut.answers.map((a) => [a.customerId, a.step]),
        [
          ['c1', 'month'],
          ['c1', 'week'],
        ],
      );
      const enough = await store.gaps.stepAnswers({ playbook: 'test', steps: ['week', 'month'], limit: 6 });
      assert.deepEqual([enough.complete, enough.answers.length], [true, 3]);
    }));
}
