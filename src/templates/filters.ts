// Filters Aftercare adds to Liquid: `money`, `local_date`, `local_time`. They read the locale and
// zone that templateContext put at the top of the context, so a template never names them.
import type { Context, Liquid } from 'liquidjs';
import {
  DATE_STYLES,
  formatLocalDate,
  formatLocalTime,
  formatMoney,
  toAmount,
  toMillis,
  type DateStyle,
} from './format.js';

/** What LiquidJS binds `this` to in a filter (its FilterImpl type is not exported). */
interface FilterThis {
  context: Context;
}

function fromContext(filter: FilterThis, path: string[], fallback: string): string {
  const value = filter.context.getSync(path);
  return typeof value === 'string' && value !== '' ? value : fallback;
}

export function registerFilters(liquid: Liquid): void {
  /** `{{ order.total | money }}` in the order's currency; `{{ 20 | money: "EUR" }}` in another. */
  liquid.registerFilter('money', function (this: FilterThis, value: unknown, currency?: unknown): string {
    const amount = toAmount(value);
    if (amount === null) return '';
    const code =
      typeof currency === 'string' && currency !== ''
        ? currency
        : fromContext(this, ['order', 'currency'], 'USD');
    return formatMoney(amount, code.toUpperCase(), fromContext(this, ['locale'], 'en'));
  });

  /** `{{ order.renewal_at | local_date }}` -> 'March 8, 2026'; styles: full, long (default), medium, short. */
  liquid.registerFilter('local_date', function (this: FilterThis, value: unknown, style?: unknown): string {
    const at = toMillis(value);
    if (at === null) return '';
    const chosen: DateStyle = DATE_STYLES.includes(style as DateStyle) ? (style as DateStyle) : 'long';
    return formatLocalDate(
      at,
      fromContext(this, ['zone'], 'UTC'),
      fromContext(this, ['locale'], 'en'),
      chosen,
    );
  });

  /** `{{ touch_point.due_at | local_time }}` -> '10:00 AM' (or '10:00', by locale). */
  liquid.registerFilter('local_time', function (this: FilterThis, value: unknown): string {
    const at = toMillis(value);
    if (at === null) return '';
    return formatLocalTime(at, fromContext(this, ['zone'], 'UTC'), fromContext(this, ['locale'], 'en'));
  });
}
