import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromLocal, localParts, toLocalIso } from '../localTime.js';
import { nextBusinessDay, nextOpening } from './businessHours.js';
import { DEFAULT_POLICY_CONFIG } from './defaults.js';

const hours = DEFAULT_POLICY_CONFIG.businessHours; // Mon-Fri 09:00-17:00
const everyDay = { ...hours, days: [1, 2, 3, 4, 5, 6, 7] };
const at = (zone: string, year: number, month: number, day: number, hour: number, minute = 0) =>
  fromLocal({ year, month, day, hour, minute }, zone);
const opening = (now: number, zone: string, h = hours) => {
  const next = nextOpening(now, zone, h);
  return next === null ? null : toLocalIso(next, zone);
};

describe('nextOpening', () => {
  test('open from 09:00 (inclusive) to 17:00 (exclusive) on weekdays', () => {
    assert.equal(nextOpening(at('UTC', 2026, 6, 10, 9), 'UTC', hours), null);
    assert.equal(nextOpening(at('UTC', 2026, 6, 10, 16, 59), 'UTC', hours), null);
    assert.equal(opening(at('UTC', 2026, 6, 10, 17), 'UTC'), '2026-06-11T09:00:00.000+00:00');
    assert.equal(opening(at('UTC', 2026, 6, 10, 7), 'UTC'), '2026-06-10T09:00:00.000+00:00');
  });

  test('Friday evening and the weekend wait for Monday', () => {
    assert.equal(opening(at('UTC', 2026, 6, 12, 18), 'UTC'), '2026-06-15T09:00:00.000+00:00');
    assert.equal(opening(at('UTC', 2026, 6, 13, 11), 'UTC'), '2026-06-15T09:00:00.000+00:00');
    assert.equal(opening(at('UTC', 2026, 6, 14, 23), 'UTC'), '2026-06-15T09:00:00.000+00:00');
  });

  test('a single open day a week is found a week ahead', () => {
    const wednesdays = { ...hours, days: [3] };
    assert.equal(opening(at('UTC', 2026, 6, 10, 17), 'UTC', wednesdays), '2026-06-17T09:00:00.000+00:00');
  });

  test('the rule is off without open days or with an empty day', () => {
    assert.equal(nextOpening(at('UTC', 2026, 6, 13, 3), 'UTC', { ...hours, days: [] }), null);
    const empty = { ...hours, end: { hour: 9, minute: 0 } };
    assert.equal(nextOpening(at('UTC', 2026, 6, 13, 3), 'UTC', empty), null);
  });

  test('Asia/Kathmandu: Friday after hours -> Monday 09:00 +05:45', () => {
    assert.equal(
      opening(at('Asia/Kathmandu', 2026, 6, 12, 17, 30), 'Asia/Kathmandu'),
      '2026-06-15T09:00:00.000+05:45',
    );
  });

  describe('across DST changes', () => {
    test('a deferral across the spring gap lands at 09:00 local, an hour fewer later', () => {
      const saturday = at('America/New_York', 2026, 3, 7, 18);
      const monday = nextOpening(saturday, 'America/New_York', hours)!;
      assert.equal(toLocalIso(monday, 'America/New_York'), '2026-03-09T09:00:00.000-04:00');
      assert.equal(monday - saturday, 38 * 3_600_000);
      assert.equal(
        opening(at('Pacific/Auckland', 2026, 9, 26, 10), 'Pacific/Auckland'),
        '2026-09-28T09:00:00.000+13:00',
      );
      assert.equal(
        opening(at('Australia/Lord_Howe', 2026, 10, 3, 10), 'Australia/Lord_Howe'),
        '2026-10-05T09:00:00.000+11:00',
      );
    });

    test('opening on the transition day itself (open every day)', () => {
      assert.equal(
        opening(at('America/New_York', 2026, 3, 8, 1), 'America/New_York', everyDay),
        '2026-03-08T09:00:00.000-04:00',
      );
      assert.equal(
        opening(at('Pacific/Auckland', 2026, 4, 5, 1), 'Pacific/Auckland', everyDay),
        '2026-04-05T09:00:00.000+12:00',
      );
    });

    test('an opening time inside the gap moves forward by the gap', () => {
      const early = { ...everyDay, start: { hour: 2, minute: 0 } };
      assert.equal(
        opening(at('Australia/Lord_Howe', 2026, 10, 4, 1), 'Australia/Lord_Howe', early),
        '2026-10-04T02:30:00.000+11:00',
      );
      assert.equal(
        opening(at('Pacific/Auckland', 2026, 9, 27, 1), 'Pacific/Auckland', early),
        '2026-09-27T03:00:00.000+13:00',
      );
      const ny = { ...everyDay, start: { hour: 2, minute: 30 } };
      assert.equal(
        opening(at('America/New_York', 2026, 3, 8, 1), 'America/New_York', ny),
        '2026-03-08T03:30:00.000-04:00',
      );
    });

    test('an opening time inside the repeated hour opens at its first occurrence', () => {
      const early = { ...everyDay, start: { hour: 1, minute: 30 } };
      assert.equal(
        opening(at('America/New_York', 2026, 11, 1, 0, 30), 'America/New_York', early),
        '2026-11-01T01:30:00.000-04:00',
      );
    });
  });
});

describe('nextBusinessDay', () => {
  test('any time on a business day is fine', () => {
    assert.equal(nextBusinessDay(at('Europe/London', 2026, 6, 10, 23), 'Europe/London', hours), null);
  });

  test('a weekend waits for Monday morning in that zone', () => {
    const next = nextBusinessDay(at('Europe/London', 2026, 6, 13, 12), 'Europe/London', hours)!;
    assert.equal(toLocalIso(next, 'Europe/London'), '2026-06-15T09:00:00.000+01:00');
    assert.equal(localParts(next, 'Europe/London').weekday, 1);
  });

  test('across the London spring change', () => {
    const next = nextBusinessDay(at('Europe/London', 2026, 3, 28, 12), 'Europe/London', hours)!;
    assert.equal(toLocalIso(next, 'Europe/London'), '2026-03-30T09:00:00.000+01:00');
  });
});
