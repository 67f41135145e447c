// Configuration of the dashboard's sign-in: how long a session lasts, whether its cookie is
// marked Secure, and how many failed sign-ins an account and an address may make. config.ts
// merges these variables into its own; docs/configuration.md documents them.
import type { z } from 'zod';
import { tryParseDuration } from '../core/playbook/duration.js';
import { parseBoolean, parseRateLimit, type RateLimit } from './http.js';
import type { Parsed } from './values.js';
import { variable } from './env.js';

export interface DashboardConfig {
  /** A session unused this long ends. */
  sessionIdleMs: number;
  /** A session ends this long after sign-in, however active. */
  sessionMaxMs: number;
  /** 'auto': Secure when the request came over HTTPS (directly or, with AFTERCARE_TRUST_PROXY, via a proxy). */
  cookieSecure: 'auto' | boolean;
  /** Failed sign-ins per account address. */
  loginAccountLimit: RateLimit;
  /** Sign-in attempts per client address. */
  loginIpLimit: RateLimit;
}

export const DASHBOARD_DEFAULTS = {
  sessionIdle: '2h',
  sessionMax: '12h',
  loginAccountLimit: '5/15m',
  loginIpLimit: '30/15m',
} as const;

function parseLifetime(raw: string): Parsed<number> {
  const ms = tryParseDuration(raw);
  if (ms === null) return { ok: false, problem: `"${raw}" is not a duration like 30m, 2h or 1d` };
  if (ms < 60_000 || ms > 90 * 86_400_000) {
    return { ok: false, problem: `"${raw}" must be between 1m and 90d` };
  }
  return { ok: true, value: ms };
}

function parseSecure(raw: string): Parsed<'auto' | boolean> {
  return raw.trim().toLowerCase() === 'auto' ? { ok: true, value: 'auto' } : parseBoolean(raw.trim());
}

export const DASHBOARD_ENV = {
  AFTERCARE_SESSION_IDLE: variable(parseLifetime),
  AFTERCARE_SESSION_MAX: variable(parseLifetime),
  AFTERCARE_COOKIE_SECURE: variable(parseSecure),
  AFTERCARE_LOGIN_RATE_LIMIT: variable(parseRateLimit),
  AFTERCARE_LOGIN_IP_RATE_LIMIT: variable(parseRateLimit),
};

type DashboardEnv = { [K in keyof typeof DASHBOARD_ENV]: z.output<(typeof DASHBOARD_ENV)[K]> };

function must<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`a built-in default does not parse: ${parsed.problem}`);
  return parsed.value;
}

export function dashboardConfig(values: Partial<DashboardEnv>): DashboardConfig {
  return {
    sessionIdleMs: values.AFTERCARE_SESSION_IDLE ?? must(parseLifetime(DASHBOARD_DEFAULTS.sessionIdle)),
    sessionMaxMs: values.AFTERCARE_SESSION_MAX ?? must(parseLifetime(DASHBOARD_DEFAULTS.sessionMax)),
    cookieSecure: values.AFTERCARE_COOKIE_SECURE ?? 'auto',
    loginAccountLimit:
      values.AFTERCARE_LOGIN_RATE_LIMIT ?? must(parseRateLimit(DASHBOARD_DEFAULTS.loginAccountLimit)),
    loginIpLimit:
      values.AFTERCARE_LOGIN_IP_RATE_LIMIT ?? must(parseRateLimit(DASHBOARD_DEFAULTS.loginIpLimit)),
  };
}
