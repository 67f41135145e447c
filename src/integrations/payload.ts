// Reading provider payloads: parsed JSON of unknown shape, read field by field without trusting a
// single type. Every reader answers null (or an empty list) for anything it does not recognise.
import type { Millis } from '../core/domain.js';
import { checkMailbox } from '../core/mailbox.js';

export type Fields = Record<string, unknown>;

export function record(value: unknown): Fields | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : null;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-blank string, trimmed. Numbers are not strings here: ids use `idOf`. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Provider ids come as strings or (Shopify) as integers; both become the same string. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  const id = text(value);
  // Ids end up in keys and URLs: a sane length and no control characters.
  return id !== null && id.length <= 200 && !/\p{Cc}/u.test(id) ? id : null;
}

/** A finite number, or a decimal string ("59.99", as Shopify sends money). */
export function decimal(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const raw = text(value);
  if (raw === null || !/^-?\d+(\.\d+)?$/.test(raw)) return null;
  const parsed = Number(raw);
  return Number.isFinite(parsed) ? parsed : null;
}

/** A whole count >= 0. */
export function count(value: unknown): number | null {
  const n = decimal(value);
  return n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** Epoch milliseconds from an ISO 8601 string with a zone or offset; null otherwise. */
export function isoTime(value: unknown): Millis | null {
  const raw = text(value);
  // A date-time without an offset is ambiguous: refuse it rather than guess the server's zone.
  if (raw === null || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(raw))
    return null;
  const parsed = Date.parse(raw);
  return Number.isNaN(parsed) ? null : parsed;
}

/** Epoch milliseconds from Unix seconds (Stripe, AfterShip, Standard Webhooks). */
export function unixSeconds(value: unknown): Millis | null {
  const seconds = typeof value === 'number' ? value : null;
  // 1e11 seconds is the year 5138: anything beyond is a mistake, not a time.
  return seconds !== null && Number.isFinite(seconds) && seconds > 0 && seconds < 1e11
    ? Math.round(seconds * 1000)
    : null;
}

/**
 * An optional address field: absent or blank -> null; otherwise exactly one mailbox
 * (core/mailbox.ts), or the problem to report against the field.
 */
export function mailboxField(value: unknown): { address: string | null } | { problem: string } {
  if (value === undefined || value === null) return { address: null };
  if (typeof value !== 'string') return { problem: 'is not a string' };
  if (value.trim() === '') return { address: null };
  const checked = checkMailbox(value);
  return checked.ok ? { address: checked.address } : { problem: checked.problem };
}
