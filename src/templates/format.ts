// Locale-aware formatting for templates: money and local dates/times. Intl formatters cost tens
// of microseconds to build, so they are cached per locale (dates go through localParts and a
// UTC formatter, so the cache does not grow with every zone).
import { localParts } from '../core/localTime.js';
import type { Millis } from '../core/domain.js';

const MAX_CACHED = 500;
const locales = new Map<string, string>();
const numberFormats = new Map<string, Intl.NumberFormat | null>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const pluralRules = new Map<string, { rules: Intl.PluralRules; numbers: Intl.NumberFormat }>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  // A crude bound: locales and currencies are few, so clearing is rare and cheap.
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

/** A valid BCP 47 tag for `raw` ('pt_BR' -> 'pt-BR'), or `fallback`. */
export function resolveLocale(raw: string | null | undefined, fallback = 'en'): string {
  if (raw === null || raw === undefined || raw.trim() === '') return fallback;
  const cached = locales.get(raw);
  if (cached !== undefined) return cached;
  let resolved = fallback;
  try {
    resolved = Intl.getCanonicalLocales(raw.trim().replace(/_/g, '-'))[0] ?? fallback;
  } catch {
    // Not a locale tag at all: keep the fallback.
  }
  return remember(locales, raw, resolved);
}

/** 1234.5, 'EUR', 'de-DE' -> '1.234,50 €'. An unknown currency code falls back to '1234.50 XYZ'. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let format = numberFormats.get(key);
  if (format === undefined) {
    format = remember(numberFormats, key, currencyFormat(locale, currency));
  }
  return format === null ? `${amount.toFixed(2)} ${currency}` : format.format(amount);
}

/** null when Intl does not know the currency code. */
function currencyFormat(locale: string, currency: string): Intl.NumberFormat | null {
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency });
  } catch {
    return null;
  }
}

/**
 * A count and its noun by the locale's plural rules: 1, 'article', 'articles', 'fr' -> '1 article';
 * 0 in French is singular too ('0 article'), 1000 in German is '1.000 Artikel'. Languages with
 * more forms than two (Polish, Arabic) get `other` for all but `one`: templates in such a
 * language use Liquid `case` on the count instead.
 */
export function formatCount(count: number, one: string, other: string, locale: string): string {
  let entry = pluralRules.get(locale);
  if (entry === undefined) {
    entry = remember(pluralRules, locale, {
      rules: new Intl.PluralRules(locale),
      numbers: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }),
    });
  }
  return `${entry.numbers.format(count)} ${entry.rules.select(count) === 'one' ? one : other}`;
}

export const DATE_STYLES = ['full', 'long', 'medium', 'short'] as const;
export type DateStyle = (typeof DATE_STYLES)[number];

function utcFormat(locale: string, options: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const cacheKey = `${locale}|${key}`;
  const cached = dateFormats.get(cacheKey);
  if (cached !== undefined) return cached;
  return remember(dateFormats, cacheKey, new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' }));
}

/** The calendar date of `at` in `zone`, spelled for `locale`: 'March 8, 2026'. */
export function formatLocalDate(at: Millis, zone: string, locale: string, style: DateStyle = 'long'): string {
  const p = localParts(at, zone);
  const format = utcFormat(locale, { dateStyle: style }, `date-${style}`);
  const text = format.format(Date.UTC(p.year, p.month - 1, p.day));
  // French writes the first of the month as an ordinal ("1er juin"); Intl writes "1 juin".
  if (p.day === 1 && (style === 'long' || style === 'full') && /^fr\b/i.test(locale))
    return text.replace(/(^|\s)1(?=\s)/, (_day, space: string) => `${space}1er`);
  return text;
}

/** The wall-clock time of `at` in `zone`, spelled for `locale`: '10:00 AM' or '10:00'. */
export function formatLocalTime(at: Millis, zone: string, locale: string): string {
  const p = localParts(at, zone);
  const format = utcFormat(locale, { timeStyle: 'short' }, 'time');
  return format.format(Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute));
}

/** Epoch ms from what templates hold: a number, or an ISO string as templateContext writes them. */
export function toMillis(value: unknown): Millis | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'string' && value !== '') {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

/** A number, or a numeric string (amounts that came through CSV), else null. */
export function toAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}
