// What a CRM mapper makes of one verified event: a deal change, something that is not about a
// deal's stage (accepted and ignored), or a payload it cannot read (the field and the problem).
import { utcDayStart } from '../../core/utcDay.js';
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
  const day = value.trim();
  return utcDayStart(day) === null ? null : day;
}
