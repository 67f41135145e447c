import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoDuration, isoOrNull } from './present.js';

test('durations read as ISO 8601', () => {
  assert.equal(isoDuration(0), 'PT0S');
  assert.equal(isoDuration(90 * 60_000), 'PT1H30M');
  assert.equal(isoDuration(2 * 86_400_000), 'P2D');
  assert.equal(isoDuration(-86_400_000), '-P1D');
  assert.equal(isoDuration(86_400_000 + 1000), 'P1DT1S');
  assert.equal(isoDuration(Number.NaN), 'PT0S');
});

test('times read as ISO 8601 in UTC; impossible ones as null rather than a crash', () => {
  assert.equal(isoOrNull(Date.UTC(2026, 5, 1, 12)), '2026-06-01T12:00:00.000Z');
  assert.equal(isoOrNull(null), null);
  assert.equal(isoOrNull(Number.POSITIVE_INFINITY), null);
  assert.equal(isoOrNull(9e15), null);
});
