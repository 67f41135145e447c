import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  WEEK_MS,
  formatDuration,
  parseDuration,
  tryParseDuration,
} from './duration.js';

describe('durations', () => {
  test('parses minutes, hours, days and weeks', () => {
    assert.equal(parseDuration('90m'), 90 * MINUTE_MS);
    assert.equal(parseDuration('2h'), 2 * HOUR_MS);
    assert.equal(parseDuration('1d'), DAY_MS);
    assert.equal(parseDuration('3w'), 3 * WEEK_MS);
    assert.equal(parseDuration('0d'), 0);
    assert.equal(parseDuration(' 30d '), 30 * DAY_MS);
  });

  test('rejects anything else', () => {
    for (const bad of ['', '1', 'd', '1.5d', '-1d', '1D', '1 d', '1y', '1d2h', '10000000d']) {
      assert.equal(tryParseDuration(bad), null, bad);
      assert.throws(() => parseDuration(bad), RangeError);
    }
  });

  test('formats to the largest exact unit', () => {
    assert.equal(formatDuration(DAY_MS), '1d');
    assert.equal(formatDuration(14 * DAY_MS), '2w');
    assert.equal(formatDuration(90 * MINUTE_MS), '90m');
    assert.equal(formatDuration(-30 * DAY_MS), '-30d');
    assert.equal(formatDuration(0), '0d');
    assert.equal(formatDuration(1500), '1500ms');
  });
});
