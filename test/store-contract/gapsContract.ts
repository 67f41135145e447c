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

  test('answers about the same order pair up in the cells, the latest per touch point, by placed day', () =>
    withStore(open, async (store) => {
      const { reduce } = testReducer();
      await store.intake.apply(
        [
          placedEvent('p1', 'o1', { at: T0, customerId: 'c1', email: 'ada@example.com' }),
          placedEvent('p2', 'o2', { at: T0 + 10 * DAY, customerId: 'c2', email: 'bob@example.com' }),
          // Ada's second order: its answer pairs with nothing of her first.
          placedEvent('p3', 'o3', { at: T0 + 20 * DAY, customerId: 'c1', email: 'ada@example.com' }),
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
          answer('a5', 'o2', 'c2', 'tips', 1, T0 + 18 * DAY + HOUR),
          // A renewal cycle's touch point pairs under its step.
          answer('a6', 'o2', 'c2', 'renewal.2', 3, T0 + 19 * DAY),
          answer('a7', 'o3', 'c1', 'month', 7, T0 + 40 * DAY),
          // Without a touch point: an answer cell, never a pair.
          event('a8', 'survey.answered', 'o2', {
            at: T0 + 19 * DAY,
            customerId: 'c2',
            data: { survey: 'nps', score: 0 },
          }),
        ],
        reduce,
      );
      const asOf = T0 + 60 * DAY;
      const pairsOf = (cells: Awaited<ReturnType<typeof store.measuring.cells>>) =>
        cells.pairs.map((p) => [
          p.cohort,
          p.step,
          p.survey,
          p.score,
          p.otherStep,
          p.otherSurvey,
          p.otherScore,
          p.count,
        ]);
      const expected = [
        ['2026-03-01', 'month', 'nps', 9, 'week', 'csat', 4, 1],
        ['2026-03-11', 'renewal', 'csat', 3, 'tips', 'csat', 1, 1],
        ['2026-03-11', 'renewal', 'csat', 3, 'week', 'csat', 5, 1],
        ['2026-03-11', 'tips', 'csat', 1, 'week', 'csat', 5, 1],
      ];
      assert.deepEqual(pairsOf(await store.measuring.cells({ asOf })), expected);
      // Folded into the stored days, they read back the same.
      while ((await store.measuring.fold(1)).pending > 0);
      const cells = await store.measuring.cells({ asOf });
      assert.deepEqual(pairsOf(cells), expected);
      assert.ok(cells.pairs.every((p) => p.playbook === 'test'));
      assert.deepEqual(
        pairsOf(await store.measuring.cells({ asOf, since: '2026-03-02' })),
        expected.slice(1),
      );
      assert.deepEqual(pairsOf(await store.measuring.cells({ asOf, playbook: 'other' })), []);
      // Ada's later order answered once: an answer cell, no pair.
      assert.deepEqual(
        cells.answers.filter((a) => a.cohort === '2026-03-21').map((a) => [a.step, a.score, a.count]),
        [['month', 7, 1]],
      );
    }));
}
