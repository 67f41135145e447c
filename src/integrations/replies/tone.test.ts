import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NEGATIVE_AT, POSITIVE_AT, toneOf, withReplyTone } from './tone.js';

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

type Loose = { type: string; data: Record<string, unknown> };

describe('withReplyTone', () => {
  test('a reply without a tone gets one from its text; a given tone and other events are kept', () => {
    const angry = withReplyTone<Loose>({
      type: 'reply.received',
      data: { text: 'It arrived broken and nobody answers.' },
    });
    assert.equal(angry.data.sentiment, 'negative');
    assert.equal(typeof angry.data.sentimentScore, 'number');
    const given = withReplyTone<Loose>({
      type: 'reply.received',
      data: { text: 'awful', sentiment: 'positive' },
    });
    assert.equal(given.data.sentiment, 'positive');
    const other = { type: 'survey.answered', data: { text: 'awful' } };
    assert.equal(withReplyTone(other), other);
    const textless = { type: 'reply.received', data: {} };
    assert.equal(withReplyTone(textless), textless);
  });
});
