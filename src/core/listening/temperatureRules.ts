// The table behind a temperature: how much each thing that happened moves it. One place, so
// docs/temperature.md can list it and a change to a number is a change to one line.
import type { Millis } from '../domain.js';
import type { Severity } from './types.js';

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

export const TEMPERATURE_RULES = Object.freeze({
  /** A reply, by the tone the listener read in it (`data.sentiment`). */
  reply: { positive: 5, neutral: 0, negative: -10 },
  /** The first time the customer answers anything at all: they are listening. */
  engaged: 5,
  /** Per whole day a delivery came (or is still coming) after its promise. */
  latePerDay: -5,
  /** The most a late delivery costs, however late. */
  lateMax: -20,
  /** Under this, a delivery after its promise is not "late". */
  lateTolerance: 12 * HOUR,
  /** A delay with no promise to measure it against. */
  delayedNoPromise: -5,
  damaged: -20,
  lost: -25,
  returned: -10,
  cancelled: -10,
  unsubscribed: -5,
  /** While a concern is open (and kept after it is resolved, partly made good). */
  concern: { low: -5, medium: -10, high: -15, critical: -20 } satisfies Record<Severity, number>,
  /** How much of the concern's penalty a resolution gives back, by how fast it came. */
  recovery: [
    { within: DAY, share: 2 / 3, words: 'within a day' },
    { within: 3 * DAY, share: 1 / 2, words: 'within three days' },
    { within: Number.POSITIVE_INFINITY, share: 1 / 3, words: 'slowly' },
  ],
  /** Delivered this long ago, written to, and not a word back. */
  silenceAfter: 7 * DAY,
  silence: -5,
  /** Older reasons count half... */
  fadeAfter: 90 * DAY,
  /** ...and the oldest not at all. */
  forgetAfter: 365 * DAY,
});

export const DAY_MS = DAY;
