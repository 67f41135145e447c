// AFTERCARE_MEASUREMENT: whether measurement survey steps (`measurement: true` in a playbook)
// reach the holdout group too. config.ts merges the variable into its own; documented in
// docs/configuration.md and docs/measuring-surveys.md.
import type { z } from 'zod';
import { variable } from './env.js';
import type { Parsed } from './values.js';

export const MEASUREMENT_DEFAULT = true;

/** `on` (the default): measurement steps go to both groups; `off`: they are held back from the holdout. */
export function parseMeasurement(raw: string): Parsed<boolean> {
  const value = raw.trim().toLowerCase();
  if (value === 'on') return { ok: true, value: true };
  if (value === 'off') return { ok: true, value: false };
  return {
    ok: false,
    problem: `"${raw}" is not on or off (on: measurement surveys go to the holdout group too)`,
  };
}

export const MEASUREMENT_ENV = {
  AFTERCARE_MEASUREMENT: variable(parseMeasurement),
};

type MeasurementEnv = { [K in keyof typeof MEASUREMENT_ENV]: z.output<(typeof MEASUREMENT_ENV)[K]> };

export function measurementSurveys(values: Partial<MeasurementEnv>): boolean {
  return values.AFTERCARE_MEASUREMENT ?? MEASUREMENT_DEFAULT;
}
