// The tone of a reply: negative, neutral or positive, by the `sentiment` package (the AFINN-165
// word list, with negation), plus a few words customers use about deliveries that AFINN lacks and
// the most common German ones. A rough signal for sorting, never a verdict: a person reads every
// reply (it pauses automation until they do).
import Sentiment from 'sentiment';

export const TONES = ['negative', 'neutral', 'positive'] as const;
export type Tone = (typeof TONES)[number];

export interface ToneOf {
  tone: Tone;
  /** AFINN score per word (the package's `comparative`), rounded to 3 decimals. */
  score: number;
}

/**
 * Comparative score (sum of word scores / number of words) at or below NEGATIVE_AT is negative,
 * at or above POSITIVE_AT positive. One mildly negative word in a twenty-word reply (-2 / 20 =
 * -0.1) is enough: a complaint wrapped in politeness ("Thanks, but it arrived damaged") should
 * reach a person as negative rather than neutral.
 */
export const NEGATIVE_AT = -0.05;
export const POSITIVE_AT = 0.05;

/** Words AFINN does not score, on its -5..5 scale (damaged as AFINN's own `damage`). */
const EXTRAS: Record<string, number> = {
  damaged: -3,
  defective: -3,
  refund: -1,
  missing: -2,
  crushed: -2,
  late: -1,
  delayed: -1,
  // German (AFINN is English only; its negation handling too, so "nicht gut" still reads as
  // good: German tone is the roughest part).
  kaputt: -3,
  defekt: -3,
  beschädigt: -2,
  falsch: -2,
  schlecht: -3,
  ärgerlich: -2,
  leider: -1,
  enttäuscht: -2,
  beschwerde: -2,
  reklamation: -2,
  danke: 2,
  vielen: 1,
  super: 3,
  toll: 3,
  perfekt: 3,
  prima: 3,
};

const analyzer = new Sentiment();

export function toneOf(text: string): ToneOf {
  const result = analyzer.analyze(text, { extras: EXTRAS });
  const score = Number.isFinite(result.comparative) ? Math.round(result.comparative * 1000) / 1000 : 0;
  const tone: Tone = score <= NEGATIVE_AT ? 'negative' : score >= POSITIVE_AT ? 'positive' : 'neutral';
  return { tone, score };
}

/**
 * A reply that came in some other way than our own inbound routes (the API, an events CSV from a
 * helpdesk export) and says nothing of its tone: the tone is read from its text here, at the
 * edge, the same way as for replies we receive ourselves. A tone the sender gave is kept.
 */
export function withReplyTone<E extends { type: string; data: Record<string, unknown> }>(event: E): E {
  if (event.type !== 'reply.received') return event;
  const given = event.data['sentiment'];
  const text = event.data['text'];
  if ((TONES as readonly unknown[]).includes(given) || typeof text !== 'string') return event;
  const { tone, score } = toneOf(text);
  return { ...event, data: { ...event.data, sentiment: tone, sentimentScore: score } };
}
