// Parsers for single CSV cells. Each returns the value or a message saying what a valid value
// looks like; the caller attaches file, line and column.
import {
  RENEWAL_PERIODS,
  SALE_KINDS,
  type Millis,
  type RenewalPeriod,
  type SaleKind,
  type Segment,
} from '../../core/domain.js';
import { fromLocal, isValidZone } from '../../core/localTime.js';
import { checkMailbox } from '../../core/mailbox.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

// Calendar date, optional time (T or space), optional fraction, optional Z or ±hh[:mm].
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export interface IsoOptions {
  /** Zone for a value without an offset; an unknown zone falls back to UTC. */
  zone: string;
  /** A bare date means the end of that day instead of its start (promises are kept all day). */
  endOfDay?: boolean;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/**
 * ISO 8601 instant. With an offset (`Z`, `+02:00`) it is exact; without one the wall time is read
 * in `zone`. A bare date is the start of that day (or the end, with `endOfDay`).
 */
export function parseIso(text: string, options: IsoOptions): Parsed<Millis> {
  const m = ISO.exec(text);
  const hint = 'expected an ISO 8601 date-time such as 2026-03-08T14:30:00Z';
  if (!m) return bad(`"${text}" is not a date; ${hint}`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const hasTime = m[4] !== undefined;
  const hour = hasTime ? Number(m[4]) : 0;
  const minute = hasTime ? Number(m[5]) : 0;
  const second = m[6] !== undefined ? Number(m[6]) : 0;
  const millis = m[7] !== undefined ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return bad(`"${text}" is not a calendar date; ${hint}`);
  }
  if (hour > 23 || minute > 59 || second > 59) return bad(`"${text}" has an impossible time of day; ${hint}`);
  const offset = m[8];
  if (offset !== undefined) {
    let offsetMinutes = 0;
    if (offset !== 'Z' && offset !== 'z') {
      const digits = offset.slice(1).replace(':', '');
      const oh = Number(digits.slice(0, 2));
      const om = digits.length > 2 ? Number(digits.slice(2)) : 0;
      if (oh > 18 || om > 59) return bad(`"${text}" has an impossible UTC offset; ${hint}`);
      offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (oh * 60 + om);
    }
    const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
    return ok(utc - offsetMinutes * 60_000);
  }
  const zone = isValidZone(options.zone) ? options.zone : 'UTC';
  if (!hasTime && options.endOfDay) {
    // The last millisecond before the next local midnight.
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    const midnight = {
      year: next.getUTCFullYear(),
      month: next.getUTCMonth() + 1,
      day: next.getUTCDate(),
      hour: 0,
      minute: 0,
    };
    return ok(fromLocal(midnight, zone) - 1);
  }
  return ok(fromLocal({ year, month, day, hour, minute }, zone) + second * 1000 + millis);
}

/** Exactly one bare address (core/mailbox.ts); a list such as "a@x.example, b@y.example" is refused. */
export function parseEmail(text: string): Parsed<string> {
  const checked = checkMailbox(text);
  return checked.ok ? ok(checked.address) : bad(checked.problem);
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** A money amount in major units: plain decimal, dot separator, not negative. */
export function parseAmount(text: string): Parsed<number> {
  if (!DECIMAL.test(text)) return bad(`"${text}" is not a number; expected a plain decimal such as 129.90`);
  const value = Number(text);
  return value < 0 ? bad(`"${text}" is negative; expected 0 or more`) : ok(value);
}

export function parseQuantity(text: string): Parsed<number> {
  if (!DECIMAL.test(text)) return bad(`"${text}" is not a number; expected a whole number such as 2`);
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) return bad(`"${text}" is not a whole number of at least 1`);
  return ok(value);
}

export function parseSegment(text: string): Parsed<Segment> {
  const value = text.toLowerCase();
  return value === 'b2c' || value === 'b2b'
    ? ok(value)
    : bad(`"${text}" is not a segment; expected b2c or b2b`);
}

export function parseKind(text: string): Parsed<SaleKind> {
  const value = text.toLowerCase();
  const kind = SALE_KINDS.find((k) => k === value);
  return kind ? ok(kind) : bad(`"${text}" is not a kind of sale; expected ${SALE_KINDS.join(', ')}`);
}

export function parseRenewalPeriod(text: string): Parsed<RenewalPeriod> {
  const value = text.toLowerCase();
  const period = RENEWAL_PERIODS.find((p) => p === value);
  return period
    ? ok(period)
    : bad(`"${text}" is not a renewal period; expected ${RENEWAL_PERIODS.join(', ')}`);
}

export function parseCurrency(text: string): Parsed<string> {
  return /^[A-Za-z]{3}$/.test(text)
    ? ok(text.toUpperCase())
    : bad(`"${text}" is not a currency; expected a three-letter ISO 4217 code such as EUR`);
}
