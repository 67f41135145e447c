// The policies' defaults: what a business gets before it configures anything. config.ts
// overrides them from the environment.
import { DEFAULT_CURRENCY_RATES } from '../money.js';
import type { PolicyConfig } from './types.js';

const DAY = 86_400_000;

export const DEFAULT_POLICY_CONFIG: PolicyConfig = Object.freeze({
  defaultTimezone: 'UTC',
  currency: DEFAULT_CURRENCY_RATES,
  quietHours: Object.freeze({
    start: Object.freeze({ hour: 20, minute: 0 }),
    end: Object.freeze({ hour: 9, minute: 0 }),
  }),
  businessHours: Object.freeze({
    days: Object.freeze([1, 2, 3, 4, 5]) as number[],
    start: Object.freeze({ hour: 9, minute: 0 }),
    end: Object.freeze({ hour: 17, minute: 0 }),
  }),
  frequencyCap: Object.freeze({ max: 3, windowMs: 7 * DAY }),
  offerDelayAfterDeliveryMs: 21 * DAY,
  maxLatenessMs: 7 * DAY,
  surveyIntervalMs: 14 * DAY,
  awaitingPersonRecheckMs: DAY,
  sameStepWindowMs: DAY,
  measurementSurveys: true,
});
