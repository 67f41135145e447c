// Wall-clock time in IANA zones, fast enough for the planner's hot path: Intl computes a zone's
// UTC offset once per UTC day (with the exact instant of any change that day), cached; the rest
// is integer arithmetic. Same answers as Luxon at ~1/50 of the cost.
import type { Millis } from './domain.js';
import type { LocalTimeOfDay } from './playbook/types.js';

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday: 1 = Monday .. 7 = Sunday. */
  weekday: number;
  offsetMinutes: number;
}

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Buckets (UTC days) per zone before its cache starts over; ~55 years, a few MB at most. */
const MAX_BUCKETS_PER_ZONE = 20_000;

/** A UTC day in which the zone's offset changes: `before` until the first change, then each `after` from its `at`. */
interface Changes {
  before: number;
  changes: { at: Millis; after: number }[];
}

interface ZoneCache {
  format: Intl.DateTimeFormat;
  /** Offset in ms per UTC day bucket; NaN marks a day whose changes are in `changes`. */
  offsets: Map<number, number>;
  changes: Map<number, Changes>;
}

const zones = new Map<string, ZoneCache>();
const validity = new Map<string, boolean>();
let lastZone = '';
let lastCache: ZoneCache | null = null;

export function isValidZone(zone: string): boolean {
  if (typeof zone !== 'string' || zone === '') return false;
  let valid = validity.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    // Bounded: zone strings come from customer data, and anyone can send many.
    if (validity.size > 10_000) validity.clear();
    validity.set(zone, valid);
  }
  return valid;
}

/** The customer's zone if it is a valid IANA zone, else `fallback` (else UTC, so callers never throw). */
export function resolveZone(zone: string | null | undefined, fallback: string): string {
  if (typeof zone === 'string' && isValidZone(zone)) return zone;
  return isValidZone(fallback) ? fallback : 'UTC';
}

function zoneCache(zone: string): ZoneCache {
  if (zone === lastZone && lastCache !== null) return lastCache;
  let cache = zones.get(zone);
  if (cache === undefined) {
    // Throws RangeError for an unknown zone: callers pass zones through resolveZone first.
    const format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    cache = { format, offsets: new Map(), changes: new Map() };
    zones.set(zone, cache);
  }
  lastZone = zone;
  lastCache = cache;
  return cache;
}

/** The zone's offset at `at` straight from Intl (whole seconds, as the tz database has them). */
function intlOffset(format: Intl.DateTimeFormat, at: Millis): number {
  const whole = Math.floor(at / SECOND) * SECOND;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const { type, value } of format.formatToParts(whole)) {
    if (type === 'year') year = Number(value);
    else if (type === 'month') month = Number(value);
    else if (type === 'day') day = Number(value);
    else if (type === 'hour')
      hour = Number(value) % 24; // some ICU versions print midnight as 24
    else if (type === 'minute') minute = Number(value);
    else if (type === 'second') second = Number(value);
  }
  const wall = daysFromCivil(year, month, day) * DAY + hour * HOUR + minute * MINUTE + second * SECOND;
  return wall - whole;
}

/** The first whole second in (lo, hi] whose offset differs from `before` (one exists). */
function findChange(format: Intl.DateTimeFormat, lo: Millis, hi: Millis, before: number): Millis {
  while (hi - lo > SECOND) {
    const mid = lo + Math.floor((hi - lo) / (2 * SECOND)) * SECOND;
    if (intlOffset(format, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Fills the cache entry of one UTC day. Probing both halves of the day finds every change unless
 * two opposite changes fall within the same 12 hours, which the tz database has never had since
 * the zones took their modern shape.
 */
function fillBucket(cache: ZoneCache, bucket: number): number {
  const start = bucket * DAY;
  const middle = start + DAY / 2;
  const end = start + DAY;
  const before = intlOffset(cache.format, start);
  const atMiddle = intlOffset(cache.format, middle);
  const after = intlOffset(cache.format, end);
  if (cache.offsets.size >= MAX_BUCKETS_PER_ZONE) {
    cache.offsets.clear();
    cache.changes.clear();
  }
  if (before === atMiddle && atMiddle === after) {
    cache.offsets.set(bucket, before);
    return before;
  }
  const changes: Changes['changes'] = [];
  if (before !== atMiddle) {
    changes.push({ at: findChange(cache.format, start, middle, before), after: atMiddle });
  }
  if (atMiddle !== after) {
    changes.push({ at: findChange(cache.format, middle, end, atMiddle), after });
  }
  cache.offsets.set(bucket, NaN);
  cache.changes.set(bucket, { before, changes });
  return NaN;
}

function offsetMs(cache: ZoneCache, at: Millis): number {
  const bucket = Math.floor(at / DAY);
  let offset = cache.offsets.get(bucket) ?? fillBucket(cache, bucket);
  if (offset === offset) return offset; // not NaN: no change that day
  const day = cache.changes.get(bucket) as Changes;
  offset = day.before;
  for (const change of day.changes) if (at >= change.at) offset = change.after;
  return offset;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; `day` may overflow). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Wall time read as if it were UTC: the zone-free "local milliseconds". */
function wallMs(year: number, month: number, day: number, hour: number, minute: number): number {
  // Normalize the month like Date.UTC does, so month 13 is January of the next year.
  const m0 = month - 1;
  const y = year + Math.floor(m0 / 12);
  const m = m0 - Math.floor(m0 / 12) * 12 + 1;
  return daysFromCivil(y, m, day) * DAY + hour * HOUR + minute * MINUTE;
}

function partsOfWall(local: number, offset: number): LocalParts {
  // Integer-only arithmetic on 32-bit values: `%` on doubles costs a libm call per use.
  const days = Math.floor(local / DAY);
  const msOfDay = (local - days * DAY) | 0;
  const secondOfDay = (msOfDay / SECOND) | 0;
  const minuteOfDay = (secondOfDay / 60) | 0;
  const hour = (minuteOfDay / 60) | 0;
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = (z - era * 146097) | 0;
  const yoe = ((doe - ((doe / 1460) | 0) + ((doe / 36524) | 0) - ((doe / 146096) | 0)) / 365) | 0;
  const doy = (doe - (365 * yoe + ((yoe / 4) | 0) - ((yoe / 100) | 0))) | 0;
  const mp = ((5 * doy + 2) / 153) | 0;
  const month = mp < 10 ? mp + 3 : mp - 9;
  // 1970-01-01 was a Thursday (ISO 4); z is days since 0000-03-01, a Wednesday (ISO 3).
  const weekday = ((z + 2) % 7) + 1;
  return {
    year: yoe + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: doy - (((153 * mp + 2) / 5) | 0) + 1,
    hour,
    minute: minuteOfDay - hour * 60,
    second: secondOfDay - minuteOfDay * 60,
    weekday,
    offsetMinutes: offset / MINUTE,
  };
}

export function localParts(at: Millis, zone: string): LocalParts {
  const offset = offsetMs(zoneCache(zone), at);
  return partsOfWall(at + offset, offset);
}

/**
 * The instant whose wall time in `zone` is `local` (wall time as UTC ms). Candidates come from the
 * offsets a day before and after; a day is wider than any offset, and zones change at most once
 * in two days.
 */
function instantOfWall(local: number, zone: string): Millis {
  const cache = zoneCache(zone);
  const early = offsetMs(cache, local - DAY);
  const late = offsetMs(cache, local + DAY);
  const first = local - early;
  const firstFits = offsetMs(cache, first) === early;
  if (early === late && firstFits) return first;
  const second = local - late;
  const secondFits = offsetMs(cache, second) === late;
  // Repeated wall time (both fit): the earlier instant, so it fires once.
  if (firstFits && secondFits) return Math.min(first, second);
  if (firstFits) return first;
  if (secondFits) return second;
  // Skipped wall time: read it with the offset before the gap, which lands after the gap,
  // i.e. moved forward by the gap's length (02:30 EST on a spring-forward day -> 03:30 EDT).
  return first;
}

/** Wall time -> instant. A time skipped by DST moves forward by the gap; a repeated time resolves to the first (earlier) instant, so it fires once. */
export function fromLocal(p: LocalDateTime, zone: string): Millis {
  return instantOfWall(wallMs(p.year, p.month, p.day, p.hour, p.minute), zone);
}

/** Local calendar date of `anchor` plus `days`, at `time` local. */
export function atLocalTime(anchor: Millis, zone: string, days: number, time: LocalTimeOfDay): Millis {
  const local = anchor + offsetMs(zoneCache(zone), anchor);
  const date = Math.floor(local / DAY) + days;
  return instantOfWall(date * DAY + time.hour * HOUR + time.minute * MINUTE, zone);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** ISO 8601 with the zone's offset at that instant: '2026-03-08T10:00:00.000-04:00'. */
export function toLocalIso(at: Millis, zone: string): string {
  const offset = offsetMs(zoneCache(zone), at);
  const p = partsOfWall(at + offset, offset);
  const ms = (((at % SECOND) + SECOND) % SECOND) | 0;
  const abs = Math.abs(Math.trunc(offset / MINUTE));
  const sign = offset < 0 ? '-' : '+';
  return (
    `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:` +
    `${pad(p.second, 2)}.${pad(ms, 3)}${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
  );
}
