// Filters Aftercare adds to Liquid: `money`, `local_date`, `local_time`, `plural`. They read the locale and
// zone that templateContext put at the top of the context, so a template never names them.
// Each is written once, against a ContextReader: LiquidJS calls it through registerFilters, and
// compiled templates call the same function with their own reader (see compile/filters.ts).
import type { Context, Liquid } from 'liquidjs';
import {
  DATE_STYLES,
  formatLocalDate,
  formatLocalTime,
  formatCount,
  formatMoney,
  toAmount,
  toMillis,
  type DateStyle,
} from './format.js';

/** Reads a variable path the way Liquid's `context.getSync` does (strictVariables included). */
export type ContextReader = (path: readonly string[]) => unknown;

export type TemplateFilter = (read: ContextReader, value: unknown, ...args: unknown[]) => string;

function fromContext(read: ContextReader, path: readonly string[], fallback: string): string {
  const value = read(path);
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** `{{ order.total | money }}` in the order's currency; `{{ 20 | money: "EUR" }}` in another. */
function money(read: ContextReader, value: unknown, currency?: unknown): string {
  const amount = toAmount(value);
  if (amount === null) return '';
  const code =
    typeof currency === 'string' && currency !== ''
      ? currency
      : fromContext(read, ['order', 'currency'], 'USD');
  return formatMoney(amount, code.toUpperCase(), fromContext(read, ['locale'], 'en'));
}

/** `{{ order.renewal_at | local_date }}` -> 'March 8, 2026'; styles: full, long (default), medium, short. */
function localDate(read: ContextReader, value: unknown, style?: unknown): string {
  const at = toMillis(value);
  if (at === null) return '';
  const chosen: DateStyle = DATE_STYLES.includes(style as DateStyle) ? (style as DateStyle) : 'long';
  return formatLocalDate(at, fromContext(read, ['zone'], 'UTC'), fromContext(read, ['locale'], 'en'), chosen);
}

/** `{{ touch_point.due_at | local_time }}` -> '10:00 AM' (or '10:00', by locale). */
function localTime(read: ContextReader, value: unknown): string {
  const at = toMillis(value);
  if (at === null) return '';
  return formatLocalTime(at, fromContext(read, ['zone'], 'UTC'), fromContext(read, ['locale'], 'en'));
}

/**
 * `{{ order.item_count | plural: "article", "articles" }}` -> '1 article', '2 articles', by the
 * locale's plural rules (French 0 is singular, English 0 is plural) and number format.
 */
function plural(read: ContextReader, value: unknown, one?: unknown, other?: unknown): string {
  const count = toAmount(value);
  if (count === null) return '';
  const singular = typeof one === 'string' ? one : '';
  const many = typeof other === 'string' ? other : singular;
  return formatCount(count, singular, many, fromContext(read, ['locale'], 'en')).trimEnd();
}

export const TEMPLATE_FILTERS: Readonly<Record<string, TemplateFilter>> = Object.freeze({
  money,
  local_date: localDate,
  local_time: localTime,
  plural,
});

/** What LiquidJS binds `this` to in a filter (its FilterImpl type is not exported). */
interface FilterThis {
  context: Context;
}

/** The LiquidJS handler registered for each filter, so the compiler can recognise it in a parse tree. */
const registered = new WeakMap<object, TemplateFilter>();

export function registerFilters(liquid: Liquid): void {
  for (const [name, filter] of Object.entries(TEMPLATE_FILTERS)) {
    const handler = function (this: FilterThis, value: unknown, ...args: unknown[]): string {
      return filter((path) => this.context.getSync([...path]), value, ...args);
    };
    registered.set(handler, filter);
    liquid.registerFilter(name, handler);
  }
}

/** The shared implementation behind a handler that registerFilters installed, if it is one. */
export function templateFilterOf(handler: unknown): TemplateFilter | undefined {
  return typeof handler === 'function' ? registered.get(handler) : undefined;
}
