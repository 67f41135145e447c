// Configuration of the mailing list's news digest: how often a subscriber gets one, and how often
// the worker looks for subscribers whose digest is due (in their own zone, outside quiet hours).
// config.ts merges these variables into its own; docs/configuration.md documents them.
import type { z } from 'zod';
import type { Millis } from '../core/domain.js';
import { variable } from './env.js';
import { parseDurationValue, type Parsed } from './values.js';

export interface MailingListConfig {
  /** One digest per subscriber per period of this length (periods count from the Unix epoch). */
  digestEveryMs: Millis;
  /** How often the worker's digest job runs. */
  checkEveryMs: Millis;
}

const HOUR = 3_600_000;
export const MAILING_LIST_DEFAULTS = { digestEveryMs: 7 * 24 * HOUR, checkEveryMs: 15 * 60_000 } as const;

function atLeast(minMs: Millis, what: string): (raw: string) => Parsed<Millis> {
  return (raw) => {
    const parsed = parseDurationValue(raw);
    if (!parsed.ok || parsed.value >= minMs) return parsed;
    return { ok: false, problem: `"${raw}" is shorter than ${what}` };
  };
}

export const MAILING_LIST_ENV = {
  AFTERCARE_LIST_DIGEST_EVERY: variable(atLeast(HOUR, 'an hour')),
  AFTERCARE_LIST_DIGEST_CHECK: variable(atLeast(60_000, 'a minute')),
};

type MailingListEnv = { [K in keyof typeof MAILING_LIST_ENV]: z.output<(typeof MAILING_LIST_ENV)[K]> };

export function mailingListConfig(values: Partial<MailingListEnv>): MailingListConfig {
  return {
    digestEveryMs: values.AFTERCARE_LIST_DIGEST_EVERY ?? MAILING_LIST_DEFAULTS.digestEveryMs,
    checkEveryMs: values.AFTERCARE_LIST_DIGEST_CHECK ?? MAILING_LIST_DEFAULTS.checkEveryMs,
  };
}
