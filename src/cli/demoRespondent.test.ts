// The demo's customers answering the surveys sent to them: holdout customers answer the
// measurement surveys too, tied to the touch point, as the report needs; nothing else is answered.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainEvent, Survey, TouchPoint } from '../core/domain.js';
import { aTouchPoint, NOW } from '../core/policy/fixtures.test-helpers.js';
import { VirtualClock } from '../engine/clock.js';
import type { OutcomeReport } from '../engine/dispatch/batch.js';
import { seededRandom } from '../integrations/demo/random.js';
import { answerTo, DemoRespondent } from './demoRespondent.js';

const surveys: Record<string, Survey> = { 'checkin-week': 'csat', 'checkin-month': 'nps' };
const options = {
  surveyOf: (tp: TouchPoint): Survey | null => surveys[tp.stepKey] ?? null,
  troubled: () => false,
};

function sent(i: number, overrides: Partial<TouchPoint>): OutcomeReport {
  const touchPoint = aTouchPoint({
    id: `reassure:ord_${i}:checkin-week`,
    stepKey: 'checkin-week',
    ...overrides,
  });
  return {
    touchPoint,
    outcome: { kind: 'sent', id: touchPoint.id, attempt: 1, at: NOW, providerId: null },
    applied: true,
    subject: 'One week in. How is it going?',
  };
}

describe('demo customers answering surveys', () => {
  test('holdout customers answer the measurement survey, tied to its touch point', () => {
    const r = seededRandom('respond');
    const answers: DomainEvent[] = [];
    for (let i = 0; i < 200; i++) {
      const answer = answerTo(sent(i, { holdout: true, customerId: `cus_${i}` }), options, r);
      if (answer !== null) answers.push(answer);
    }
    assert.ok(answers.length > 50 && answers.length < 150, `${answers.length} of 200 answered`);
    for (const a of answers) {
      assert.equal(a.type, 'survey.answered');
      assert.equal(a.data['survey'], 'csat');
      assert.match(String(a.data['touchPointId']), /^reassure:ord_\d+:checkin-week$/);
      assert.equal(a.customerId, `cus_${String(a.data['touchPointId']).split(':')[1]!.slice(4)}`);
      assert.ok(a.at > NOW && a.at <= NOW + 48 * 3_600_000, 'some hours after it was sent');
      const score = Number(a.data['score']);
      assert.ok(Number.isInteger(score) && score >= 1 && score <= 5);
    }
  });

  test('holdout customers answer lower than treated ones (the built-in effect)', () => {
    const mean = (holdout: boolean) => {
      const r = seededRandom(`mean:${holdout}`);
      const scores = Array.from({ length: 3000 }, (_, i) => answerTo(sent(i, { holdout }), options, r))
        .filter((a) => a !== null)
        .map((a) => Number(a.data['score']));
      return scores.reduce((x, y) => x + y, 0) / scores.length;
    };
    assert.ok(mean(true) < mean(false) - 0.1, `${mean(true)} vs ${mean(false)}`);
  });

  test('only sent surveys are answered', () => {
    const r = seededRandom('only');
    for (let i = 0; i < 50; i++) {
      assert.equal(answerTo(sent(i, { stepKey: 'usage-tips' }), options, r), null);
      const skipped = sent(i, {});
      const reason = { code: 'holdout' as const, detail: null };
      assert.equal(
        answerTo(
          { ...skipped, outcome: { kind: 'skipped', id: 'x', attempt: 1, at: NOW, reason } },
          options,
          r,
        ),
        null,
      );
      assert.equal(answerTo({ ...skipped, applied: false }, options, r), null);
    }
  });

  test('the respondent ingests answers when the demo clock reaches them, and stops cleanly', async () => {
    const clock = new VirtualClock(NOW);
    const ingested: DomainEvent[] = [];
    const respondent = new DemoRespondent({
      ...options,
      ingest: (events) => {
        ingested.push(...events);
        return Promise.resolve();
      },
      clock,
      // A day of demo time in a millisecond.
      speed: 86_400_000,
      seed: 'timers',
      onError: (error) => {
        throw error;
      },
    });
    for (let i = 0; i < 40; i++) respondent.heard(sent(i, { holdout: i % 2 === 0 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(ingested.length > 5, `${ingested.length} answers`);
    assert.equal(respondent.answered, ingested.length);
    assert.ok(ingested.every((e) => e.type === 'survey.answered' && e.at === NOW));
    respondent.stop();
    respondent.heard(sent(99, {}));
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(respondent.answered, ingested.length, 'nothing after stop');
  });
});
