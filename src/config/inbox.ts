// Configuration of the webhook inbox drain (engine/inboxDrain.ts): how many entries it applies
// in one intake batch and how long an entry may wait for others to join it. config.ts merges
// these variables into its own; docs/configuration.md documents them.
import type { z } from 'zod';
import type { Millis } from '../core/domain.js';
import type { Parsed } from './values.js';
import { variable } from './env.js';

export interface InboxConfig {
  /** Entries taken and applied per intake transaction at most. */
  batchSize: number;
  /** The longest an appended entry waits for a fuller batch before the drain applies it. */
  maxWaitMs: Millis;
}

/**
 * 250 entries: on SQLite a batch is applied synchronously on the process's one event loop, at
 * ~0.1 ms per order; 250 keep that pause near 25 ms, so webhook answers stay well under 50 ms
 * at the 99th percentile, while a batch is still large enough to cost ~half of small ones.
 */
export const INBOX_DEFAULTS = { batchSize: 250, maxWait: '50ms' } as const;

const MAX_BATCH = 10_000;
const MAX_WAIT_MS = 60_000;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

export function parseBatchSize(raw: string): Parsed<number> {
  const size = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  return size >= 1 && size <= MAX_BATCH
    ? ok(size)
    : problem(`"${raw}" is not a whole number of entries from 1 to ${MAX_BATCH}`);
}

/** `50ms`, `2s`, or plain milliseconds (`200`); 0 applies entries as soon as the drain is free. */
export function parseWait(raw: string): Parsed<Millis> {
  const match = /^(\d{1,6})\s*(ms|s)?$/i.exec(raw.trim());
  const ms = match ? Number(match[1]) * ((match[2] ?? 'ms').toLowerCase() === 's' ? 1000 : 1) : NaN;
  return ms >= 0 && ms <= MAX_WAIT_MS
    ? ok(ms)
    : problem(`"${raw}" is not a wait like 50ms or 1s (at most ${MAX_WAIT_MS / 1000}s)`);
}

export const INBOX_ENV = {
  AFTERCARE_INBOX_BATCH: variable(parseBatchSize),
  AFTERCARE_INBOX_WAIT: variable(parseWait),
};

type InboxEnv = { [K in keyof typeof INBOX_ENV]: z.output<(typeof INBOX_ENV)[K]> };

export function inboxConfig(values: Partial<InboxEnv>): InboxConfig {
  return {
    batchSize: values.AFTERCARE_INBOX_BATCH ?? INBOX_DEFAULTS.batchSize,
    maxWaitMs: values.AFTERCARE_INBOX_WAIT ?? must(parseWait(INBOX_DEFAULTS.maxWait)),
  };
}

function must<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new Error(`a built-in default does not parse: ${parsed.problem}`);
  return parsed.value;
}
