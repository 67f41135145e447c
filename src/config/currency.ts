// Configuration of money in conditions: the base currency amounts are compared in and the rates
// into it (AFTERCARE_BASE_CURRENCY, AFTERCARE_FX_RATES). Rates are the operator's, never fetched:
// the same order meets the same condition until someone changes them.
// config.ts merges these variables into its own; docs/configuration.md documents them.
import type { z } from 'zod';
import { DEFAULT_CURRENCY_RATES, type CurrencyRates } from '../core/money.js';
import type { ConfigIssue } from '../config.js';
import type { Parsed } from './values.js';
import { variable } from './env.js';

const CODE = /^[A-Z]{3}$/;

export function parseCurrencyCode(raw: string): Parsed<string> {
  const code = raw.trim().toUpperCase();
  return CODE.test(code)
    ? { ok: true, value: code }
    : { ok: false, problem: `"${raw}" is not a three-letter ISO 4217 currency code like USD or EUR` };
}

/** "EUR=1.08, GBP=1.27, JPY=0.0065": units of the base currency one unit of each is worth. */
export function parseFxRates(raw: string): Parsed<Record<string, number>> {
  const rates: Record<string, number> = {};
  for (const entry of raw.split(',')) {
    const item = entry.trim();
    if (item === '') return { ok: false, problem: `"${raw}" has an empty entry` };
    const [left, right, extra] = item.split('=');
    const code = parseCurrencyCode(left ?? '');
    if (!code.ok || right === undefined || extra !== undefined) {
      return { ok: false, problem: `"${item}" is not CODE=RATE like JPY=0.0065` };
    }
    const rate = /^\s*\d+(\.\d+)?\s*$/.test(right) ? Number(right) : NaN;
    if (!(rate > 0) || !Number.isFinite(rate)) {
      return { ok: false, problem: `"${item}": the rate must be a positive number like 0.0065` };
    }
    if (Object.prototype.hasOwnProperty.call(rates, code.value)) {
      return { ok: false, problem: `lists ${code.value} twice` };
    }
    rates[code.value] = rate;
  }
  return { ok: true, value: rates };
}

export const CURRENCY_ENV = {
  AFTERCARE_BASE_CURRENCY: variable(parseCurrencyCode),
  AFTERCARE_FX_RATES: variable(parseFxRates),
};

type CurrencyEnv = { [K in keyof typeof CURRENCY_ENV]: z.output<(typeof CURRENCY_ENV)[K]> };

/** The base currency and its rates; a rate given for the base itself must be 1. */
export function loadCurrency(values: Partial<CurrencyEnv>, issues: ConfigIssue[]): CurrencyRates {
  const base = values.AFTERCARE_BASE_CURRENCY ?? DEFAULT_CURRENCY_RATES.base;
  const rates = { ...(values.AFTERCARE_FX_RATES ?? {}) };
  const own = rates[base];
  if (own !== undefined) {
    if (own !== 1) {
      issues.push({
        variable: 'AFTERCARE_FX_RATES',
        problem: `gives ${base}=${own}, but ${base} is the base currency (AFTERCARE_BASE_CURRENCY): leave it out`,
      });
    }
    delete rates[base];
  }
  return { base, rates };
}
