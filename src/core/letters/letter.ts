// One printable letter from a letter task: who it goes to (the order's shipping address), the
// date in the customer's language, and the words (letterText.ts). A letter that cannot be posted
// or has no words is a value saying why, never a half-printed page.
import type { Customer, Order, Task } from '../domain.js';
import { addressLines } from '../shippingAddress.js';
import { letterTextOf } from './letterText.js';

/** A calendar day: the day the letters are printed for. */
export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export interface Letter {
  taskId: string;
  customerId: string;
  orderId: string | null;
  /** The address block, recipient first, as it shows through the envelope's window. */
  recipient: string[];
  /** BCP 47 tag the date is written in. */
  locale: string;
  /** The printing day in the customer's language: "3. Dezember 2026", "December 3, 2026". */
  date: string;
  paragraphs: string[];
  closing: string | null;
}

export const LETTER_PROBLEMS = [
  'no_order',
  'no_address',
  'no_street',
  'no_town',
  'no_recipient',
  'no_letter_text',
] as const;
export type LetterProblem = (typeof LETTER_PROBLEMS)[number];

export type PreparedLetter =
  { ok: true; letter: Letter } | { ok: false; taskId: string; problem: LetterProblem; detail: string };

export interface LetterInput {
  task: Task;
  customer: Customer | null;
  order: Order | null;
  day: CalendarDay;
  /** Used when the customer has no (valid) locale. */
  fallbackLocale: string;
}

const EXPLAIN: Record<LetterProblem, string> = {
  no_order: 'the task names no order, so there is no postal address',
  no_address: 'the order has no shipping address',
  no_street: 'the shipping address has no street line',
  no_town: 'the shipping address has no city',
  no_recipient: 'neither the address nor the customer has a name to write to',
  no_letter_text: "the task's script holds no letter paragraph (lines indented by two spaces)",
};

function problem(task: Task, why: LetterProblem): PreparedLetter {
  return { ok: false, taskId: task.id, problem: why, detail: EXPLAIN[why] };
}

export function prepareLetter(input: LetterInput): PreparedLetter {
  const { task, customer, order } = input;
  if (task.orderId === null || order === null) return problem(task, 'no_order');
  const address = order.shippingAddress;
  if (address === null) return problem(task, 'no_address');
  if (address.line1 === null) return problem(task, 'no_street');
  if (address.city === null) return problem(task, 'no_town');
  const customerName = [customer?.firstName, customer?.lastName].filter(Boolean).join(' ').trim();
  const lines = addressLines(address);
  // The address names the recipient; without a name line, the customer's own name heads it.
  const recipient = address.name === null ? (customerName === '' ? null : [customerName, ...lines]) : lines;
  if (recipient === null) return problem(task, 'no_recipient');
  const text = letterTextOf(task.script);
  if (text === null) return problem(task, 'no_letter_text');
  const locale = canonicalLocale(customer?.locale ?? null, input.fallbackLocale);
  return {
    ok: true,
    letter: {
      taskId: task.id,
      customerId: task.customerId,
      orderId: task.orderId,
      recipient,
      locale,
      date: formatDay(input.day, locale),
      paragraphs: text.paragraphs,
      closing: text.closing,
    },
  };
}

/** 'pt_BR' -> 'pt-BR'; anything Intl cannot read -> the fallback. */
export function canonicalLocale(raw: string | null, fallback: string): string {
  if (raw === null || raw.trim() === '') return fallback;
  try {
    const [tag] = Intl.getCanonicalLocales(raw.trim().replace(/_/g, '-'));
    return tag !== undefined && Intl.DateTimeFormat.supportedLocalesOf(tag).length > 0 ? tag : fallback;
  } catch {
    return fallback;
  }
}

/** The day as a letter dates it, in `locale`: the long form of the date. */
export function formatDay(day: CalendarDay, locale: string): string {
  const at = Date.UTC(day.year, day.month - 1, day.day);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(at);
}
