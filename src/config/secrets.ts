// The link secret: AFTERCARE_SECRET signs (and encrypts) the tokens in every link a customer
// gets; AFTERCARE_SECRET_PREVIOUS lists older secrets still accepted while links made with them
// are out there (rotation); and how long links keep working. config.ts merges these variables into its own; docs/configuration.md
// and docs/public-pages.md document them. A secret is never quoted in a problem.
import type { z } from 'zod';
import type { Millis } from '../core/domain.js';
import { DEFAULT_LINK_LIFETIMES, type LinkLifetimes } from '../engine/links/lifetimes.js';
import { parseDurationValue, type Parsed } from './values.js';
import { variable } from './env.js';

export interface SecretsConfig {
  /** Signs new links; null when unset (serve and worker then refuse to start, outside the demo). */
  current: string | null;
  /** Older secrets: links made with them still open; nothing new is made with them. */
  previous: string[];
  /** How long links keep working after their message is sent. */
  linkLifetimes: LinkLifetimes;
}

/** Shorter secrets are refused: the link keys are derived from them. */
export const MIN_SECRET_LENGTH = 32;

export const SECRET_HOW_TO = 'make one with `openssl rand -base64 48`';

export function parseSecret(raw: string): Parsed<string> {
  return raw.length >= MIN_SECRET_LENGTH
    ? { ok: true, value: raw }
    : {
        ok: false,
        problem: `is ${raw.length} characters long; it must have at least ${MIN_SECRET_LENGTH} (${SECRET_HOW_TO})`,
      };
}

/** Comma-separated older secrets, each as long as a current one must be. */
export function parseSecretList(raw: string): Parsed<string[]> {
  const secrets = raw.split(',').map((s) => s.trim());
  for (const [index, secret] of secrets.entries()) {
    if (secret === '') return { ok: false, problem: `entry ${index + 1} is empty` };
    const parsed = parseSecret(secret);
    if (!parsed.ok) return { ok: false, problem: `entry ${index + 1} ${parsed.problem}` };
  }
  return { ok: true, value: secrets };
}

const DAY = 86_400_000;
/** Unsubscribe links must work long after the mail (mailbox providers and laws expect it). */
export const MIN_LINK_LIFETIME_MS = 60 * DAY;

/** Ten years: far past any use, and well inside what a token's expiry can hold. */
const MAX_LINK_LIFETIME_MS = 3650 * DAY;

function parseLifetime(min: Millis) {
  return (raw: string): Parsed<Millis> => {
    const parsed = parseDurationValue(raw);
    if (!parsed.ok) return parsed;
    if (parsed.value < min)
      return { ok: false, problem: `"${raw}" is shorter than ${Math.round(min / DAY)}d, the least allowed` };
    if (parsed.value > MAX_LINK_LIFETIME_MS)
      return { ok: false, problem: `"${raw}" is longer than 3650d, the most allowed` };
    return parsed;
  };
}

export const SECRETS_ENV = {
  AFTERCARE_SECRET: variable(parseSecret),
  AFTERCARE_SECRET_PREVIOUS: variable(parseSecretList),
  AFTERCARE_LINK_LIFETIME: variable(parseLifetime(MIN_LINK_LIFETIME_MS)),
  AFTERCARE_SURVEY_LINK_LIFETIME: variable(parseLifetime(DAY)),
};

type SecretsEnv = { [K in keyof typeof SECRETS_ENV]: z.output<(typeof SECRETS_ENV)[K]> };

export function secretsConfig(values: Partial<SecretsEnv>): SecretsConfig {
  const current = values.AFTERCARE_SECRET ?? null;
  // The current secret listed again as a previous one would only be tried twice.
  const previous = (values.AFTERCARE_SECRET_PREVIOUS ?? []).filter((s) => s !== current);
  const links = values.AFTERCARE_LINK_LIFETIME ?? DEFAULT_LINK_LIFETIMES.unsubscribe;
  return {
    current,
    previous,
    linkLifetimes: {
      unsubscribe: links,
      preferences: links,
      plan: links,
      // "No more tips" is a choice about what we send, like the preferences page.
      tips: links,
      proposal: links,
      survey: values.AFTERCARE_SURVEY_LINK_LIFETIME ?? DEFAULT_LINK_LIFETIMES.survey,
      'list-confirm': DEFAULT_LINK_LIFETIMES['list-confirm'],
      'list-unsubscribe': links,
    },
  };
}
