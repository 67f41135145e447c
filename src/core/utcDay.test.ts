import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utcDayStart } from './utcDay.js';

test('a YYYY-MM-DD day that exists gives its 00:00 UTC; anything else gives null', () => {
  assert.equal(utcDayStart('2026-03-02'), Date.UTC(2026, 2, 2));
  assert.equal(utcDayStart('2028-02-29'), Date.UTC(2028, 1, 29));
  for (const bad of [
    '2026-02-29',
    '2026-02-30',
    '2026-13-01',
    '2026-3-2',
    ' 2026-03-02',
    '2026-03-02T00:00Z',
    '',
  ]) {
    assert.equal(utcDayStart(bad), null, bad);
  }
});
