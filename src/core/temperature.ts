// A customer's temperature: 0 (cold, at risk) .. 100 (warm), 50 neutral. Survey answers move it;
// conditions and escalation read it.
import type { Survey } from './domain.js';

export const NEUTRAL_TEMPERATURE = 50;

/** How one survey answer moves the temperature; null for a score the survey cannot have. */
export function surveyTemperatureDelta(survey: Survey, score: number): number | null {
  if (!Number.isInteger(score)) return null;
  switch (survey) {
    case 'csat':
      if (score < 1 || score > 5) return null;
      return score >= 4 ? 10 : score === 3 ? 0 : -20;
    case 'nps':
      if (score < 0 || score > 10) return null;
      return score >= 9 ? 10 : score >= 7 ? 0 : -20;
  }
}

export function clampTemperature(value: number): number {
  return Math.min(100, Math.max(0, value));
}
