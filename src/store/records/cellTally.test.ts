import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  CellTally,
  answerOf,
  attributeAnswers,
  cellKeyOf,
  placedWindow,
  type AnswerEvent,
  type CustomerEnrollment,
} from './cellTally.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 9);

function enrolled(orderId: string, placedAt: number, playbook = 'reassure'): CustomerEnrollment {
  return { playbook, version: 1, segment: 'b2c', placedAt, holdout: false, firstOrder: true, orderId };
}

function answer(id: string, at: number, score: number, touchPointId: string | null = null): AnswerEvent {
  return { id, customerId: 'ada', at, survey: 'csat', score, touchPointId };
}

describe('attributeAnswers', () => {
  const orders = [enrolled('o1', T0), enrolled('o2', T0 + 10 * DAY)];
  const of = (customerId: string) => (customerId === 'ada' ? orders : []);

  test('an answer to a touch point counts once per customer and touch point: the latest', () => {
    const out = attributeAnswers(
      [
        answer('b', T0 + DAY, 2, 'reassure:o1:checkin-week'),
        answer('a', T0 + 2 * DAY, 5, 'reassure:o1:checkin-week'),
        // Same time as the latest: the larger event id wins, on every store alike.
        answer('c', T0 + 2 * DAY, 4, 'reassure:o1:checkin-week'),
      ],
      of,
    );
    assert.deepEqual(
      out.map((a) => [a.key.placedAt, a.stepKey, a.score]),
      [[T0, 'checkin-week', 4]],
    );
  });

  test('without a touch point: the latest order placed at or before the answer; none before it counts nowhere', () => {
    const out = attributeAnswers(
      [answer('x', T0 + 10 * DAY, 3), answer('y', T0 + 5 * DAY, 4), answer('z', T0 - DAY, 1)],
      of,
    );
    assert.deepEqual(
      out.map((a) => [a.key.placedAt, a.stepKey, a.score]),
      [
        [T0 + 10 * DAY, null, 3],
        [T0, null, 4],
      ],
    );
  });

  test('a touch point of another customer or of no stored enrollment is treated as none', () => {
    const out = attributeAnswers(
      [
        answer('x', T0 + 11 * DAY, 3, 'reassure:someone-else:thank-you'),
        answer('y', T0 + DAY, 2, 'nonsense'),
      ],
      of,
    );
    assert.deepEqual(
      out.map((a) => [a.key.placedAt, a.stepKey]),
      [
        [T0 + 10 * DAY, null],
        [T0, null],
      ],
    );
  });
});

describe('CellTally', () => {
  test('renewal cycles and follow-up digests roll into their step; sent has no reason', () => {
    const tally = new CellTally();
    const key = cellKeyOf(enrolled('o1', T0));
    const one = { count: 1, answers: 0, unsubscribes: 0 };
    tally.addStep(key, 'renewal-notice', 'email', 'sent', null, one);
    tally.addStep(key, 'renewal-notice.2', 'email', 'sent', 'quiet_hours', one);
    tally.addStep(key, 'fix-check.0123456789abcdef', 'email', 'skipped', 'stale', one);
    const { steps } = tally.cells();
    assert.deepEqual(
      steps.map((s) => [s.cohort, s.step, s.status, s.reason, s.count]),
      [
        ['2026-03-01', 'fix-check', 'skipped', 'stale', 1],
        ['2026-03-01', 'renewal-notice', 'sent', null, 2],
      ],
    );
  });

  test('hours add up exactly from milliseconds', () => {
    const tally = new CellTally();
    const key = cellKeyOf(enrolled('o1', T0));
    for (let i = 0; i < 3; i++)
      tally.addOutcomes(key, { enrollments: 1, firstContacts: 1, firstContactMs: 1_200_000 });
    const [cell] = tally.cells().outcomes;
    assert.equal(cell!.firstContactHours, 1);
    assert.equal(cell!.enrollments, 3);
  });
});

describe('placedWindow and answerOf', () => {
  test('days are whole UTC days, until inclusive; a bad day names its field', () => {
    assert.deepEqual(placedWindow({ asOf: 0, since: '2026-03-01', until: '2026-03-01' }), {
      from: Date.UTC(2026, 2, 1),
      to: Date.UTC(2026, 2, 2),
      playbook: null,
    });
    assert.throws(() => placedWindow({ asOf: 0, until: '2026-02-30' }), /until: must be a day/);
  });

  test('only csat and nps answers with a numeric score count', () => {
    assert.deepEqual(answerOf({ survey: 'nps', score: 9 }), { survey: 'nps', score: 9 });
    assert.equal(answerOf({ survey: 'nps', score: '9' }), null);
    assert.equal(answerOf({ survey: 'ces', score: 3 }), null);
    assert.equal(answerOf({}), null);
  });
});
