import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLocal, toLocalIso } from '../localTime.js';
import { DEFAULT_POLICY_CONFIG } from './defaults.js';
import { isQuietMinute, quietHoursEnd } from './quietHours.js';

const quiet = DEFAULT_POLICY_CONFIG.quietHours; // 20:00-09:00
const at = (zone: string, year: number, month: number, day: number, hour: number, minute = 0) =>
  fromLocal({ year, month, day, hour, minute }, zone);
/** The end of quiet hours, as local ISO in the same zone (null when not quiet). */
const endOf = (now: number, zone: string, hours = quiet) => {
  const end = quietHoursEnd(now, zone, hours);
  return end === null ? null : toLocalIso(end, zone);
};

describe('isQuietMinute', () => {
  test('over midnight: from start (inclusive) to end (exclusive)', () => {
    assert.equal(isQuietMinute(19 * 60 + 59, quiet), false);
    assert.equal(isQuietMinute(20 * 60, quiet), true);
    assert.equal(isQuietMinute(0, quiet), true);
    assert.equal(isQuietMinute(8 * 60 + 59, quiet), true);
    assert.equal(isQuietMinute(9 * 60, quiet), false);
  });

  test('within a day, and empty when start equals end', () => {
    const lunch = { start: { hour: 12, minute: 0 }, end: { hour: 13, minute: 30 } };
    assert.equal(isQuietMinute(11 * 60, lunch), false);
    assert.equal(isQuietMinute(12 * 60 + 45, lunch), true);
    assert.equal(isQuietMinute(13 * 60 + 30, lunch), false);
    const none = { start: { hour: 9, minute: 0 }, end: { hour: 9, minute: 0 } };
    assert.equal(isQuietMinute(3 * 60, none), false);
  });
});

describe('quietHoursEnd', () => {
  test('daytime is not quiet', () => {
    assert.equal(quietHoursEnd(at('UTC', 2026, 6, 10, 14), 'UTC', quiet), null);
  });

  test('late evening waits for tomorrow morning, small hours for this morning', () => {
    assert.equal(endOf(at('UTC', 2026, 6, 10, 22), 'UTC'), '2026-06-11T09:00:00.000+00:00');
    assert.equal(endOf(at('UTC', 2026, 6, 11, 3), 'UTC'), '2026-06-11T09:00:00.000+00:00');
    assert.equal(endOf(at('UTC', 2026, 6, 11, 8, 59), 'UTC'), '2026-06-11T09:00:00.000+00:00');
  });

  test("it is the customer's night that counts", () => {
    const now = Date.UTC(2026, 5, 10, 14); // 14:00 UTC is 02:00 in Auckland (NZST)
    assert.equal(endOf(now, 'Pacific/Auckland'), '2026-06-11T09:00:00.000+12:00');
    assert.equal(quietHoursEnd(now, 'America/New_York', quiet), null);
  });

  test('Asia/Kathmandu (+05:45) ends at 09:00 local, 03:15 UTC', () => {
    const end = quietHoursEnd(Date.UTC(2026, 5, 10, 0, 15), 'Asia/Kathmandu', quiet);
    assert.equal(end, Date.UTC(2026, 5, 10, 3, 15));
  });

  describe('on a DST-change morning', () => {
    test('America/New_York: spring forward (night 1h shorter), fall back (1h longer)', () => {
      const spring = at('America/New_York', 2026, 3, 7, 22);
      assert.equal(endOf(spring, 'America/New_York'), '2026-03-08T09:00:00.000-04:00');
      assert.equal(quietHoursEnd(spring, 'America/New_York', quiet)! - spring, 10 * 3_600_000);
      const fall = at('America/New_York', 2026, 10, 31, 22);
      assert.equal(endOf(fall, 'America/New_York'), '2026-11-01T09:00:00.000-05:00');
      assert.equal(quietHoursEnd(fall, 'America/New_York', quiet)! - fall, 12 * 3_600_000);
    });

    test('Pacific/Auckland: 09:00 NZDT after the September change, NZST after April’s', () => {
      assert.equal(
        endOf(at('Pacific/Auckland', 2026, 9, 26, 21), 'Pacific/Auckland'),
        '2026-09-27T09:00:00.000+13:00',
      );
      assert.equal(
        endOf(at('Pacific/Auckland', 2026, 4, 5, 2, 30), 'Pacific/Auckland'),
        '2026-04-05T09:00:00.000+12:00',
      );
    });

    test('Australia/Lord_Howe: the half-hour change', () => {
      const now = at('Australia/Lord_Howe', 2026, 10, 3, 23);
      assert.equal(endOf(now, 'Australia/Lord_Howe'), '2026-10-04T09:00:00.000+11:00');
      assert.equal(quietHoursEnd(now, 'Australia/Lord_Howe', quiet)! - now, 9.5 * 3_600_000);
    });

    test('an end time inside the gap moves forward by the gap, and is then not quiet', () => {
      const hours = { start: { hour: 22, minute: 0 }, end: { hour: 2, minute: 15 } };
      for (const [zone, now, expected] of [
        ['America/New_York', at('America/New_York', 2026, 3, 7, 23), '2026-03-08T03:15:00.000-04:00'],
        ['Pacific/Auckland', at('Pacific/Auckland', 2026, 9, 26, 23), '2026-09-27T03:15:00.000+13:00'],
        ['Australia/Lord_Howe', at('Australia/Lord_Howe', 2026, 10, 3, 23), '2026-10-04T02:45:00.000+11:00'],
      ] as const) {
        const end = quietHoursEnd(now, zone, hours)!;
        assert.equal(toLocalIso(end, zone), expected, zone);
        assert.equal(quietHoursEnd(end, zone, hours), null, zone);
      }
    });

    test('an end time inside the repeated hour resolves to its first occurrence', () => {
      const hours = { start: { hour: 22, minute: 0 }, end: { hour: 1, minute: 30 } };
      const now = at('America/New_York', 2026, 10, 31, 23);
      assert.equal(endOf(now, 'America/New_York', hours), '2026-11-01T01:30:00.000-04:00');
    });
  });
});
