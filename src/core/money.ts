// Money in the business's base currency, so a condition on an amount means the same in every
// currency: "500 or more" is 500 of the base currency, and a JPY 12,450 order is about 80 of it,
// not 12,450. Rates come from configuration (AFTERCARE_FX_RATES) and are never fetched.
export interface CurrencyRates {
  /** ISO 4217 code conditions on `order.total_base` are written in. */
  base: string;
  /** Units of `base` one unit of the currency is worth (`JPY: 0.0065` with base USD). */
  rates: Readonly<Record<string, number>>;
}

/** Before configuration: amounts in US dollars, no other currency converts. */
export const DEFAULT_CURRENCY_RATES: CurrencyRates = Object.freeze({
  base: 'USD',
  rates: Object.freeze({}),
});

/** `amount` of `currency` in the base currency; null when there is no rate for it. */
export function toBase(amount: number, currency: string, fx: CurrencyRates): number | null {
  const code = currency.toUpperCase();
  if (code === fx.base) return amount;
  const rate = Object.prototype.hasOwnProperty.call(fx.rates, code) ? fx.rates[code] : undefined;
  if (rate === undefined) return null;
  // Cents, so thresholds compare as people read them (499.999... is not 500).
  return Math.round(amount * rate * 100) / 100;
}

/** Whether an order in `currency` can be compared in the base currency. */
export function hasRate(currency: string, fx: CurrencyRates): boolean {
  return toBase(0, currency, fx) !== null;
}
