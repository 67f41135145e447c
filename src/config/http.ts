// Configuration of the HTTP server `aftercare serve` runs: where it listens, how big a request
// may be, and how many requests one API key and one client address may make. config.ts merges
// these variables into its own; docs/configuration.md documents them.
import type { z } from 'zod';
import { tryParseDuration } from '../core/playbook/duration.js';
import type { Parsed } from './values.js';
import { variable } from './env.js';

export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface HttpConfig {
  host: string;
  /** 0 picks any free port (tests). */
  port: number;
  bodyLimitBytes: number;
  /** Per API key, on /api/v1. */
  keyRateLimit: RateLimit;
  /** Per client address, on /api/v1, counted before the key is checked (slows key guessing). */
  ipRateLimit: RateLimit;
  /** Take the client address from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
}

export const HTTP_DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  bodyLimit: '1mb',
  keyRateLimit: '1200/1m',
  ipRateLimit: '2400/1m',
} as const;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

export function parsePort(raw: string): Parsed<number> {
  const port = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN;
  return port >= 0 && port <= 65535 ? ok(port) : problem(`"${raw}" is not a port number (0-65535)`);
}

export function parseHost(raw: string): Parsed<string> {
  return /^[A-Za-z0-9.:_-]{1,253}$/.test(raw)
    ? ok(raw)
    : problem(`"${raw}" is not a host name or address like 0.0.0.0 or ::`);
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 * 1024 };

/** `1048576`, `512kb`, `2mb` (binary units); at least 1 kB so that an ordinary request fits. */
export function parseByteSize(raw: string): Parsed<number> {
  const match = /^(\d{1,10})\s*(b|kb|mb)?$/i.exec(raw.trim());
  const bytes = match ? Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? NaN) : NaN;
  if (!Number.isFinite(bytes)) return problem(`"${raw}" is not a size like 512kb or 2mb`);
  if (bytes < 1024 || bytes > 64 * 1024 * 1024) return problem(`"${raw}" must be between 1kb and 64mb`);
  return ok(bytes);
}

/** `600/1m`: requests per window (`30s`, or a duration like 1m, 1h, 1d). */
export function parseRateLimit(raw: string): Parsed<RateLimit> {
  const match = /^(\d{1,7})\s*\/\s*(\S+)$/.exec(raw.trim());
  if (!match) return problem(`"${raw}" is not a rate like 600/1m (requests / window)`);
  const max = Number(match[1]);
  if (max < 1) return problem(`"${raw}" allows no request at all; the count must be at least 1`);
  const window = match[2] ?? '';
  const seconds = /^(\d{1,6})s$/.exec(window);
  const windowMs = seconds ? Number(seconds[1]) * 1000 : tryParseDuration(window);
  if (windowMs === null) return problem(`"${raw}" has no window like 30s, 1m or 1h after the /`);
  if (windowMs < 1000) return problem(`"${raw}" needs a window of at least one second`);
  return ok({ max, windowMs });
}

export function parseBoolean(raw: string): Parsed<boolean> {
  const value = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return ok(true);
  if (['0', 'false', 'no', 'off'].includes(value)) return ok(false);
  return problem(`"${raw}" is not true or false`);
}

export const HTTP_ENV = {
  AFTERCARE_HOST: variable(parseHost),
  AFTERCARE_PORT: variable(parsePort),
  AFTERCARE_BODY_LIMIT: variable(parseByteSize),
  AFTERCARE_API_RATE_LIMIT: variable(parseRateLimit),
  AFTERCARE_API_IP_RATE_LIMIT: variable(parseRateLimit),
  AFTERCARE_TRUST_PROXY: variable(parseBoolean),
};

type HttpEnv = { [K in keyof typeof HTTP_ENV]: z.output<(typeof HTTP_ENV)[K]> };

export function httpConfig(values: Partial<HttpEnv>): HttpConfig {
  return {
    host: values.AFTERCARE_HOST ?? HTTP_DEFAULTS.host,
    port: values.AFTERCARE_PORT ?? HTTP_DEFAULTS.port,
    bodyLimitBytes: values.AFTERCARE_BODY_LIMIT ?? must(parseByteSize(HTTP_DEFAULTS.bodyLimit)),
    keyRateLimit: values.AFTERCARE_API_RATE_LIMIT ?? must(parseRateLimit(HTTP_DEFAULTS.keyRateLimit)),
    ipRateLimit: values.AFTERCARE_API_IP_RATE_LIMIT ?? must(parseRateLimit(HTTP_DEFAULTS.ipRateLimit)),
    trustProxy: values.AFTERCARE_TRUST_PROXY ?? false,
  };
}

function must<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`a built-in default does not parse: ${parsed.problem}`);
  return parsed.value;
}
