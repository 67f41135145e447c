import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NEGATIVE_AT, POSITIVE_AT, toneOf } from './tone.js';

test('realistic replies get the tone a person would give them', () => {
  const cases: [string, string][] = [
    ['It arrived broken and nobody answers', 'negative'],
    ['Thanks, all good!', 'positive'],
    ['When will it ship?', 'neutral'],
    ['Thanks for the quick delivery, but the lamp is damaged and I want a refund.', 'negative'],
    [
      'Hi, I still have not received my order. This is the third time I write. Very disappointed.',
      'negative',
    ],
    ['Great, thank you so much! The chair is perfect.', 'positive'],
    ['Can you change the delivery address to my office?', 'neutral'],
    ['Not happy at all, the box was crushed.', 'negative'],
    ['Die Lampe kam leider kaputt an.', 'negative'],
    ['Vielen Dank, alles super!', 'positive'],
    ['', 'neutral'],
  ];
  for (const [text, tone] of cases) assert.equal(toneOf(text).tone, tone, text);
});

test('the score is the comparative AFINN score, on the documented thresholds', () => {
  const { score } = toneOf('It arrived broken and nobody answers');
  assert.ok(score <= NEGATIVE_AT && score > -1, String(score));
  assert.ok(toneOf('Thanks, all good!').score >= POSITIVE_AT);
  assert.equal(toneOf('When will it ship?').score, 0);
});
