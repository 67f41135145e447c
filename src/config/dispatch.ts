// Configuration of the dispatcher that `serve` and `worker` share: how many sends may be out
// without their outcome recorded, which is also the most a crash can ever repeat.
// config.ts merges these variables into its own; docs/configuration.md documents them.
import type { z } from 'zod';
import type { Parsed } from './values.js';
import { variable } from './env.js';

export interface DispatchConfig {
  /** Outcomes are written once per this many sends: the most a crash can resend. */
  maxUnrecorded: number;
}

export const DISPATCH_DEFAULTS = { maxUnrecorded: 50 } as const;

const MAX_UNRECORDED = 10_000;

export function parseMaxUnrecorded(raw: string): Parsed<number> {
  const value = /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  return value >= 1 && value <= MAX_UNRECORDED
    ? { ok: true, value }
    : { ok: false, problem: `"${raw}" is not a whole number of sends from 1 to ${MAX_UNRECORDED}` };
}

export const DISPATCH_ENV = {
  AFTERCARE_MAX_UNRECORDED: variable(parseMaxUnrecorded),
};

type DispatchEnv = { [K in keyof typeof DISPATCH_ENV]: z.output<(typeof DISPATCH_ENV)[K]> };

export function dispatchConfig(values: Partial<DispatchEnv>): DispatchConfig {
  return { maxUnrecorded: values.AFTERCARE_MAX_UNRECORDED ?? DISPATCH_DEFAULTS.maxUnrecorded };
}
