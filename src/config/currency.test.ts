// AFTERCARE_BASE_CURRENCY and AFTERCARE_FX_RATES: read once at start-up, every problem named.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.js';
import { AftercareError } from '../errors.js';
import { parseFxRates } from './currency.js';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof AftercareError);
    const issues = error.details.issues as { variable: string; problem: string }[];
    return issues.map((issue) => `${issue.variable}: ${issue.problem}`);
  }
  return assert.fail('expected the configuration to be refused');
}

describe('currency configuration', () => {
  test('a base currency and rates into it', () => {
    const config = loadConfig({
      AFTERCARE_BASE_CURRENCY: 'eur',
      AFTERCARE_FX_RATES: 'USD=0.92, JPY=0.0061,GBP=1.17',
    });
    assert.deepEqual(config.policy.currency, { base: 'EUR', rates: { USD: 0.92, JPY: 0.0061, GBP: 1.17 } });
    assert.throws(() => {
      (config.policy.currency.rates as Record<string, number>)['CHF'] = 1;
    }, TypeError);
  });

  test('unset: US dollars, nothing else converts', () => {
    assert.deepEqual(loadConfig({}).policy.currency, { base: 'USD', rates: {} });
  });

  test('bad values are named, all at once', () => {
    assert.deepEqual(problems({ AFTERCARE_BASE_CURRENCY: 'euro', AFTERCARE_FX_RATES: 'JPY=0.0061,USD' }), [
      'AFTERCARE_BASE_CURRENCY: "euro" is not a three-letter ISO 4217 currency code like USD or EUR',
      'AFTERCARE_FX_RATES: "USD" is not CODE=RATE like JPY=0.0065',
    ]);
    assert.deepEqual(problems({ AFTERCARE_BASE_CURRENCY: 'EUR', AFTERCARE_FX_RATES: 'EUR=1.1,USD=0.92' }), [
      'AFTERCARE_FX_RATES: gives EUR=1.1, but EUR is the base currency (AFTERCARE_BASE_CURRENCY): leave it out',
    ]);
  });

  test('rates must be positive numbers, each currency once', () => {
    assert.deepEqual(parseFxRates('JPY=0'), {
      ok: false,
      problem: '"JPY=0": the rate must be a positive number like 0.0065',
    });
    assert.deepEqual(parseFxRates('JPY=-1'), {
      ok: false,
      problem: '"JPY=-1": the rate must be a positive number like 0.0065',
    });
    assert.deepEqual(parseFxRates('JPY=0.006,jpy=0.007'), { ok: false, problem: 'lists JPY twice' });
    assert.deepEqual(parseFxRates('JPY=0.006,,USD=1'), {
      ok: false,
      problem: '"JPY=0.006,,USD=1" has an empty entry',
    });
  });
});
