// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { dueAtFor } from './timing.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const at = (hour: number, minute = 0) => ({ hour, minute });

describe('dueAtFor', () => {
  test('without a local time: the moment plus the offset, to the millisecond', () => {
    const anchor = Date.UTC(2026, 2, 7, 20, 17, 3, 9);
    assert.equal(
      dueAtFor({ moment: 'placed', offsetMs: 90 * MINUTE, atLocal: null }, anchor, 'UTC'),
      anchor + 90 * MINUTE,
    );
    assert.equal(
      dueAtFor({ moment: 'renewal', offsetMs: -7 * DAY, atLocal: null }, anchor, 'UTC'),
      anchor - 7 * DAY,
    );
    assert.equal(dueAtFor({ moment: 'shipped', offsetMs: 0, atLocal: null }, anchor, 'UTC'), anchor);
  });

  test('"1d after at 10:00" across the spring-forward night is 10:00 of the new offset', () => {
    // Saturday 7 March 2026, 15:00 EST; DST starts Sunday 8 March at 02:00 in New York.
    const placed = Date.UTC(2026, 2, 7, 20, 0);
    const due = dueAtFor({ moment: 'placed', offsetMs: DAY, atLocal: at(10) }, placed, 'America/New_York');
    assert.equal(due, Date.UTC(2026, 2, 8, 14, 0)); // 10:00 EDT (UTC-4), not 15:00 UTC
  });

  test('a local time skipped by DST moves forward by the gap', () => {
    const placed = Date.UTC(2026, 2, 7, 20, 0);
    const due = dueAtFor({ moment: 'placed', offsetMs: DAY, atLocal: at(2, 30) }, placed, 'America/New_York');
    assert.equal(due, Date.UTC(2026, 2, 8, 7, 30)); // 03:30 EDT
  });

  test('a local time repeated by DST fires at the first of the two instants', () => {
    // Berlin falls back on Sunday 25 October 2026: 02:30 happens at 00:30 and at 01:30 UTC.
    const placed = Date.UTC(2026, 9, 24, 10, 0);
    const due = dueAtFor({ moment: 'placed', offsetMs: DAY, atLocal: at(2, 30) }, placed, 'Europe/Berlin');
    assert.equal(due, Date.UTC(2026, 9, 25, 0, 30));
  });

  test('the local calendar date counts, not the UTC one', () => {
    // 23:30 in Los Angeles on 1 March is already 2 March in UTC.
    const delivered = Date.UTC(2026, 2, 2, 7, 30);
    const due = dueAtFor(
      { moment: 'delivered', offsetMs: DAY, atLocal: at(9) },
      delivered,
      'America/Los_Angeles',
    );
    assert.equal(due, Date.UTC(2026, 2, 2, 17, 0)); // 2 March 09:00 PST
  });

  test('"0d after at 10:00" of a moment later that day moves to the next day', () => {
    const delivered = Date.UTC(2026, 5, 3, 13, 0); // 15:00 in Berlin (CEST)
    const due = dueAtFor({ moment: 'delivered', offsetMs: 0, atLocal: at(10) }, delivered, 'Europe/Berlin');
    assert.equal(due, Date.UTC(2026, 5, 4, 8, 0));
    const early = Date.UTC(2026, 5, 3, 6, 0); // 08:00 in Berlin: 10:00 the same day is fine
    assert.equal(
      dueAtFor({ moment: 'delivered', offsetMs: 0, atLocal: at(10) }, early, 'Europe/Berlin'),
      Date.UTC(2026, 5, 3, 8, 0),
    );
  });

  test('"before" with a local time lands on an earlier local day', () => {
    const renewal = Date.UTC(2026, 8, 15, 6, 0); // 08:00 in Berlin
    const due = dueAtFor(
      { moment: 'renewal', offsetMs: -7 * DAY, atLocal: at(9, 30) },
      renewal,
      'Europe/Berlin',
    );
    assert.equal(due, Date.UTC(2026, 8, 8, 7, 30));
  });
});
