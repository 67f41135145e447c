// A customer's temperature, 0 (cold, about to leave) .. 100 (warm), 50 neutral, derived from
// what they told us and what happened to them: a pure fold over their history at `now`, with
// the reasons behind every step so a rep can read why ("-15 shipment 3 days late").
import type { Millis, Order, StoredEvent, TouchPoint } from '../domain.js';
import { NEUTRAL_TEMPERATURE, clampTemperature, surveyTemperatureDelta } from '../temperature.js';
import type { Concern, TemperatureReason } from './types.js';

/** Everything the fold reads about one customer. */
export interface TemperatureHistory {
  /** The customer's timeline (any order). */
  events: readonly StoredEvent[];
  /** Their touch points (sent ones tell engagement and silence). */
  touchPoints: readonly TouchPoint[];
  concerns: readonly Concern[];
  orders: readonly Order[];
}

export interface TemperatureReading {
  temperature: number;
  /** Oldest first; their deltas add up to temperature - 50 before clamping. */
  reasons: TemperatureReason[];
}

/** Pure: the temperature at `now` and why. */
export function temperatureOf(history: TemperatureHistory, now: Millis): TemperatureReading {
  const reasons: TemperatureReason[] = [];
  // The latest answer per survey touch point counts (a changed answer replaces the first).
  const answers = new Map<string, StoredEvent>();
  for (const event of history.events) {
    if (event.at > now || event.type !== 'survey.answered') continue;
    const key = typeof event.data['touchPointId'] === 'string' ? event.data['touchPointId'] : event.id;
    const seen = answers.get(key);
    if (!seen || seen.at <= event.at) answers.set(key, event);
  }
  for (const event of answers.values()) {
    const survey = event.data['survey'] === 'csat' ? 'csat' : 'nps';
    const score = Number(event.data['score']);
    const delta = surveyTemperatureDelta(survey, score);
    if (delta) reasons.push({ delta, why: `${survey.toUpperCase()} ${score}`, at: event.at });
  }
  reasons.sort((a, b) => a.at - b.at);
  const sum = reasons.reduce((total, reason) => total + reason.delta, 0);
  return { temperature: clampTemperature(NEUTRAL_TEMPERATURE + sum), reasons };
}
