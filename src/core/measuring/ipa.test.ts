import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditScore } from './audit.js';
import type { InteractionCatalogue } from './interactions.js';
import type { Survey } from '../domain.js';
import {
  analyseGaps,
  correlationToImportance,
  quadrantOf,
  toFivePoint,
  type ScoreCount,
  type ScorePair,
} from './ipa.js';

const catalogue: InteractionCatalogue = {
  playbook: 'p',
  source: 'interactions.yaml',
  overall: { step: 'month', survey: 'nps' },
  interactions: [
    {
      id: 'delivery',
      name: 'Delivery',
      description: null,
      steps: [],
      events: [],
      questions: [{ step: 'arrival', survey: 'csat' }],
    },
    {
      id: 'first-use',
      name: 'First use',
      description: null,
      steps: [],
      events: [],
      questions: [{ step: 'week', survey: 'csat' }],
    },
    { id: 'support', name: 'Support', description: null, steps: [], events: [], questions: [] },
    { id: 'renewal', name: 'Renewal', description: null, steps: [], events: [], questions: [] },
    {
      id: 'overall',
      name: 'Overall',
      description: null,
      steps: [],
      events: [],
      questions: [{ step: 'month', survey: 'nps' }],
    },
  ],
};

/** One answer about one order (one order per customer here). */
interface Answer {
  order: string;
  step: string;
  survey: Survey;
  score: number;
}

/** Answers as the report's cells count them: by step and score, and paired within each order. */
function counted(answers: readonly Answer[]): { answers: ScoreCount[]; pairs: ScorePair[] } {
  const counts: ScoreCount[] = answers.map((a) => ({
    step: a.step,
    survey: a.survey,
    score: a.score,
    count: 1,
  }));
  const pairs: ScorePair[] = [];
  for (const a of answers) {
    for (const b of answers) {
      if (a.order !== b.order || a.step >= b.step) continue;
      pairs.push({
        step: a.step,
        survey: a.survey,
        score: a.score,
        otherStep: b.step,
        otherSurvey: b.survey,
        otherScore: b.score,
        count: 1,
      });
    }
  }
  return { answers: counts, pairs };
}

const audit = (team: string, interaction: string, importance: number, performance: number): AuditScore => ({
  team,
  interaction,
  importance,
  performance,
  note: null,
});

test('survey scores on the 1-5 scale: CSAT as it is, NPS linearly', () => {
  assert.equal(toFivePoint('csat', 4), 4);
  assert.equal(toFivePoint('csat', 0), 1);
  assert.equal(toFivePoint('nps', 0), 1);
  assert.equal(toFivePoint('nps', 5), 3);
  assert.equal(toFivePoint('nps', 10), 5);
  assert.equal(toFivePoint('nps', 9), 4.6);
  assert.equal(correlationToImportance(0.5), 3);
  assert.equal(correlationToImportance(-0.4), 1);
});

test('quadrants split at the means, a value on the mean counting as high', () => {
  const means = { importance: 3, performance: 3 };
  assert.equal(quadrantOf(4, 2, means), 'concentrate_here');
  assert.equal(quadrantOf(3, 3, means), 'keep_up_the_good_work');
  assert.equal(quadrantOf(2, 2, means), 'low_priority');
  assert.equal(quadrantOf(2, 4, means), 'possible_overkill');
});

test('importance and performance against hand-computed numbers, largest gap first', () => {
  // Delivery: answers 2, 4 and 3 (CSAT) about orders a, b, c; their overall NPS 2, 8, 5.
  // Scores on delivery x = (2, 4, 3), overall y = 1 + 0.4 NPS = (1.8, 4.2, 3): perfectly
  // linear, r = 1, so derived importance 1 + 4 x 1 = 5. Performance (2 + 4 + 3) / 3 = 3.
  // First use: a answers 5, b 5, c 1 -> x = (5, 5, 1) against y = (1.8, 4.2, 3):
  // mean x = 11/3, mean y = 3; dx = (4/3, 4/3, -8/3), dy = (-1.2, 1.2, 0);
  // sum dx dy = -1.6 + 1.6 + 0 = 0 -> r = 0 -> derived importance 1. Performance 11/3 = 3.667.
  // But teams asked about first use: importance (4 + 5) / 2 = 4.5, which is preferred.
  // Support: no answers; teams: importance (5 + 4) / 2 = 4.5, performance (2 + 1) / 2 = 1.5.
  // Renewal: one team, importance 2, performance 4.
  const answers: Answer[] = [
    { order: 'a', step: 'arrival', survey: 'csat', score: 2 },
    { order: 'b', step: 'arrival', survey: 'csat', score: 4 },
    { order: 'c', step: 'arrival', survey: 'csat', score: 3 },
    { order: 'a', step: 'week', survey: 'csat', score: 5 },
    { order: 'b', step: 'week', survey: 'csat', score: 5 },
    { order: 'c', step: 'week', survey: 'csat', score: 1 },
    { order: 'a', step: 'month', survey: 'nps', score: 2 },
    { order: 'b', step: 'month', survey: 'nps', score: 8 },
    { order: 'c', step: 'month', survey: 'nps', score: 5 },
    // A step no interaction asks about is ignored.
    { order: 'a', step: 'tips', survey: 'csat', score: 1 },
  ];
  const audits = [
    audit('sales', 'first-use', 4, 4),
    audit('care', 'first-use', 5, 3),
    audit('sales', 'support', 5, 2),
    audit('care', 'support', 4, 1),
    audit('care', 'renewal', 2, 4),
  ];
  const result = analyseGaps({ catalogue, ...counted(answers), audits, minPairs: 3 });
  const by = new Map(result.interactions.map((g) => [g.interaction, g]));

  const delivery = by.get('delivery')!;
  assert.deepEqual(delivery.importance, { value: 5, source: 'derived' });
  assert.deepEqual(delivery.evidence.derived, { value: 5, r: 1, pairs: 3 });
  assert.deepEqual(delivery.performance, { value: 3, source: 'survey' });
  assert.deepEqual(delivery.evidence.survey, { value: 3, answers: 3 });
  assert.equal(delivery.gap, 2);
  assert.equal(delivery.n, 3);

  const firstUse = by.get('first-use')!;
  assert.deepEqual(firstUse.importance, { value: 4.5, source: 'asked' });
  assert.deepEqual(firstUse.evidence.derived, { value: 1, r: 0, pairs: 3 });
  assert.deepEqual(firstUse.performance, { value: 3.667, source: 'survey' });
  assert.deepEqual(firstUse.evidence.audit, { value: 3.5, teams: 2 });
  assert.equal(firstUse.gap, 0.833);

  const support = by.get('support')!;
  assert.deepEqual(support.importance, { value: 4.5, source: 'asked' });
  assert.deepEqual(support.performance, { value: 1.5, source: 'audit' });
  assert.equal(support.gap, 3);
  assert.equal(support.n, 2);

  const renewal = by.get('renewal')!;
  assert.equal(renewal.gap, -2);

  // The overall question itself: performance (1.8 + 4.2 + 3) / 3 = 3, no importance (it would
  // correlate with itself), so no gap and no quadrant; listed last.
  const overall = by.get('overall')!;
  assert.equal(overall.importance, null);
  assert.deepEqual(overall.performance, { value: 3, source: 'survey' });
  assert.equal(overall.gap, null);
  assert.equal(overall.quadrant, null);

  assert.deepEqual(
    result.interactions.map((g) => g.interaction),
    ['support', 'delivery', 'first-use', 'renewal', 'overall'],
  );
  // Means over the four with both: importance (5 + 4.5 + 4.5 + 2) / 4 = 4,
  // performance (3 + 3.667 + 1.5 + 4) / 4 = 3.04175 -> 3.042.
  assert.deepEqual(result.means, { importance: 4, performance: 3.042 });
  assert.equal(support.quadrant, 'concentrate_here');
  assert.equal(delivery.quadrant, 'concentrate_here');
  assert.equal(firstUse.quadrant, 'keep_up_the_good_work');
  assert.equal(renewal.quadrant, 'possible_overkill');

  // Preferring derived importance: first use has r = 0 -> importance 1, gap 1 - 3.667.
  const derived = analyseGaps({ catalogue, ...counted(answers), audits, minPairs: 3, prefer: 'derived' });
  const firstUseDerived = derived.interactions.find((g) => g.interaction === 'first-use')!;
  assert.deepEqual(firstUseDerived.importance, { value: 1, source: 'derived' });
  assert.equal(firstUseDerived.gap, -2.667);
});

test('too few pairs or no variation derive nothing; nothing known gives no gap', () => {
  const answers: Answer[] = [
    { order: 'a', step: 'arrival', survey: 'csat', score: 4 },
    { order: 'b', step: 'arrival', survey: 'csat', score: 4 },
    { order: 'a', step: 'month', survey: 'nps', score: 2 },
    { order: 'b', step: 'month', survey: 'nps', score: 9 },
  ];
  assert.equal(
    analyseGaps({ catalogue, ...counted(answers), audits: [] }).interactions[0]!.evidence.derived,
    null,
  );
  const flat = analyseGaps({ catalogue, ...counted(answers), audits: [], minPairs: 2 });
  const delivery = flat.interactions.find((g) => g.interaction === 'delivery')!;
  assert.equal(delivery.evidence.derived, null, 'every delivery score is 4: no correlation');
  assert.equal(delivery.importance, null);
  assert.equal(flat.means, null);
  const support = flat.interactions.find((g) => g.interaction === 'support')!;
  assert.deepEqual([support.importance, support.performance, support.gap, support.n], [null, null, null, 0]);
});

test('pairs weigh by their count, either step order, and answers to other steps count for nothing', () => {
  // Delivery against the overall question, given as counted cells: 20 orders (CSAT 5, NPS 10),
  // 20 orders (CSAT 1, NPS 0), 10 orders (CSAT 5, NPS 0): x = 5,5,...,1,...; y = 5,...,1,...
  // Computed by hand: n = 50, mean x = (20*5 + 20*1 + 10*5) / 50 = 3.4, mean y = (20*5 + 30*1) / 50 = 2.6;
  // cov = 20(1.6)(2.4) + 20(-2.4)(-1.6) + 10(1.6)(-1.6) = 76.8 + 76.8 - 25.6 = 128;
  // var x = 30(1.6^2) + 20(2.4^2) = 76.8 + 115.2 = 192; var y = 20(2.4^2) + 30(1.6^2) = 115.2 + 76.8 = 192;
  // r = 128 / 192 = 0.667.
  const pairs: ScorePair[] = [
    {
      step: 'arrival',
      survey: 'csat',
      score: 5,
      otherStep: 'month',
      otherSurvey: 'nps',
      otherScore: 10,
      count: 20,
    },
    // The overall step first: swapped into place.
    {
      step: 'month',
      survey: 'nps',
      score: 0,
      otherStep: 'arrival',
      otherSurvey: 'csat',
      otherScore: 1,
      count: 20,
    },
    {
      step: 'arrival',
      survey: 'csat',
      score: 5,
      otherStep: 'month',
      otherSurvey: 'nps',
      otherScore: 0,
      count: 10,
    },
    // Neither side is the overall question: not counted.
    {
      step: 'arrival',
      survey: 'csat',
      score: 1,
      otherStep: 'week',
      otherSurvey: 'csat',
      otherScore: 5,
      count: 99,
    },
  ];
  const answers: ScoreCount[] = [
    { step: 'arrival', survey: 'csat', score: 5, count: 30 },
    { step: 'arrival', survey: 'csat', score: 1, count: 20 },
    { step: null, survey: 'csat', score: 1, count: 500 },
  ];
  const result = analyseGaps({ catalogue, answers, pairs, audits: [] });
  const delivery = result.interactions.find((g) => g.interaction === 'delivery')!;
  assert.deepEqual(delivery.evidence.derived, { value: 3.667, r: 0.667, pairs: 50 });
  // (30 x 5 + 20 x 1) / 50 = 3.4; the answers without a step count nowhere.
  assert.deepEqual(delivery.evidence.survey, { value: 3.4, answers: 50 });
});
