// Parsers for the value formats config variables use ("20:00-09:00", "Mon-Fri 09:00-17:00",
// "3/7d", addresses, URLs). Each returns a value or a problem phrased for an operator.
import addressparser from 'nodemailer/lib/addressparser';
import type { Millis } from '../core/domain.js';
import type { LocalTimeOfDay } from '../core/playbook/types.js';
import { DURATION_HINT, tryParseDuration } from '../core/playbook/duration.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseTimeOfDay(text: string): Parsed<LocalTimeOfDay> {
  const match = TIME.exec(text.trim());
  if (!match) return problem(`"${text}" is not a time of day like 09:00 or 17:30`);
  return ok({ hour: Number(match[1]), minute: Number(match[2]) });
}

/** "20:00-09:00": a start after the end runs over midnight. */
export function parseTimeRange(text: string): Parsed<{ start: LocalTimeOfDay; end: LocalTimeOfDay }> {
  const parts = text.split('-');
  if (parts.length !== 2) return problem(`"${text}" is not a range of times like 20:00-09:00`);
  const start = parseTimeOfDay(parts[0] ?? '');
  const end = parseTimeOfDay(parts[1] ?? '');
  if (!start.ok) return start;
  if (!end.ok) return end;
  if (start.value.hour === end.value.hour && start.value.minute === end.value.minute) {
    return problem(`"${text}" starts and ends at the same time`);
  }
  return ok({ start: start.value, end: end.value });
}

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** "Mon" or "Monday" (any case) -> 1; null for anything else. */
function weekday(text: string): number | null {
  const word = text.trim().toLowerCase();
  const index = WEEKDAYS.findIndex((name) => name === word || name.slice(0, 3) === word);
  return index >= 0 ? index + 1 : null;
}

/** "Mon-Fri", "Mon,Wed,Fri", "Sun-Thu" (ranges wrap over the weekend) -> ISO weekdays, sorted. */
export function parseWeekdays(text: string): Parsed<number[]> {
  const days = new Set<number>();
  for (const item of text.split(',')) {
    const [from, to, extra] = item.split('-');
    const first = weekday(from ?? '');
    const last = to === undefined ? first : weekday(to);
    if (first === null || last === null || extra !== undefined) {
      return problem(`"${item.trim()}" is not a weekday or a range of weekdays like Mon-Fri`);
    }
    for (let day = first; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === last) break;
    }
  }
  return ok([...days].sort((a, b) => a - b));
}

/** "Mon-Fri 09:00-17:00": business hours do not run over midnight. */
export function parseBusinessHours(
  text: string,
): Parsed<{ days: number[]; start: LocalTimeOfDay; end: LocalTimeOfDay }> {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 2) return problem(`"${text}" is not like "Mon-Fri 09:00-17:00"`);
  const days = parseWeekdays(parts[0] ?? '');
  if (!days.ok) return days;
  const hours = parseTimeRange(parts[1] ?? '');
  if (!hours.ok) return hours;
  const { start, end } = hours.value;
  if (start.hour * 60 + start.minute > end.hour * 60 + end.minute) {
    return problem(`"${parts[1]}" ends before it starts; business hours cannot run over midnight`);
  }
  return ok({ days: days.value, ...hours.value });
}

export function parseDurationValue(text: string): Parsed<Millis> {
  const ms = tryParseDuration(text);
  return ms === null ? problem(`"${text}" is not ${DURATION_HINT}`) : ok(ms);
}

/** "3/7d": at most 3 messages in any 7 days. */
export function parseFrequencyCap(text: string): Parsed<{ max: number; windowMs: Millis }> {
  const match = /^(\d{1,4})\s*\/\s*(\S+)$/.exec(text.trim());
  if (!match) return problem(`"${text}" is not a cap like 3/7d (messages / window)`);
  const max = Number(match[1]);
  if (max < 1) return problem(`"${text}" allows no message at all; the count must be at least 1`);
  const window = parseDurationValue(match[2] ?? '');
  if (!window.ok) return window;
  if (window.value === 0) return problem(`"${text}" has an empty window`);
  return ok({ max, windowMs: window.value });
}

/** A number in 0..1 ("0.1"); "10%" is accepted too. */
export function parseShare(text: string): Parsed<number> {
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const number = Number(percent ? trimmed.slice(0, -1) : trimmed);
  const share = percent ? number / 100 : number;
  if (trimmed === '' || trimmed === '%' || !Number.isFinite(share) || share < 0 || share > 1) {
    return problem(`"${text}" is not a share between 0 and 1 (like 0.1 or 10%)`);
  }
  return ok(share);
}

/** A bare address: something@something, no spaces or brackets. Deliverability is the server's call. */
export function isEmailAddress(text: string): boolean {
  return /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/.test(text);
}

export function parseEmail(text: string): Parsed<string> {
  return isEmailAddress(text.trim()) ? ok(text.trim()) : problem(`"${text}" is not an email address`);
}

/** `Name <address>` or a bare address -> the header value (name quoted) and the bare address. */
export function parseMailbox(text: string): Parsed<{ header: string; address: string }> {
  const parsed = addressparser(text.trim(), { flatten: true });
  const only = parsed.length === 1 ? parsed[0] : undefined;
  if (!only || !only.address || !isEmailAddress(only.address)) {
    return problem(`"${text}" is not one address like "Shop <hello@example.com>"`);
  }
  const header = only.name ? formatMailbox(only.name, only.address) : only.address;
  return ok({ header, address: only.address });
}

/** A header value `"Name" <address>` with the name quoted, whatever characters it holds. */
export function formatMailbox(name: string, address: string): string {
  return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

export function parseHttpUrl(text: string): Parsed<string> {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return problem(`"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return problem(`"${text}" is not an http(s) URL`);
  // Links are built as `${base}/path`: keep one spelling without the trailing slash.
  return ok(url.href.replace(/\/+$/, ''));
}

/** A phone number as people write it: digits with +, spaces, dots, dashes or parentheses. */
export function parsePhone(text: string): Parsed<string> {
  const trimmed = text.trim();
  const digits = trimmed.replace(/\D/g, '');
  if (!/^\+?[\d\s().-]+$/.test(trimmed) || digits.length < 5 || digits.length > 15) {
    return problem(`"${text}" is not a phone number like +1 555 0100`);
  }
  return ok(trimmed);
}
