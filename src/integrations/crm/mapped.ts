// What a CRM mapper makes of one verified event: a deal change, something that is not about a
// deal's stage (accepted and ignored), or a payload it cannot read (the field and the problem).
import type { CrmDealChange } from './dealChange.js';

export type CrmMapped =
  | { kind: 'change'; change: CrmDealChange }
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; field: string; problem: string };

export const change = (value: CrmDealChange): CrmMapped => ({ kind: 'change', change: value });
export const ignored = (reason: string): CrmMapped => ({ kind: 'ignored', reason });
export const invalid = (field: string, problem: string): CrmMapped => ({ kind: 'invalid', field, problem });

/** A currency code as ISO 4217 writes it, upper-case; null for anything else. */
export function currencyCode(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z]{3}$/.test(value.trim()) ? value.trim().toUpperCase() : null;
}

/** A calendar date `YYYY-MM-DD` that exists; null otherwise. */
export function calendarDate(value: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? match[0]
    : null;
}
