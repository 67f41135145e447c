import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { atLocalTime, fromLocal, isValidZone, localParts, resolveZone, toLocalIso } from './localTime.js';

const ZONES = [
  'Pacific/Auckland',
  'America/New_York',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Europe/London',
  'UTC',
];
const FROM = Date.UTC(2026, 0, 1);
const TO = Date.UTC(2028, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Deterministic PRNG (mulberry32) so a failure can be reproduced. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const transitionCache = new Map<string, number[]>();
/** The instants in 2026-2027 at which Luxon says the zone's offset changes. */
function transitions(zone: string): number[] {
  let found = transitionCache.get(zone);
  if (found) return found;
  found = [];
  const zoneObj = DateTime.now().setZone(zone).zone;
  for (let day = FROM; day < TO; day += 24 * HOUR) {
    const before = zoneObj.offset(day);
    if (before === zoneObj.offset(day + 24 * HOUR)) continue;
    let lo = day;
    let hi = day + 24 * HOUR;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (zoneObj.offset(mid) === before) lo = mid;
      else hi = mid;
    }
    found.push(hi);
  }
  transitionCache.set(zone, found);
  return found;
}

function iso(at: number, zone: string): string {
  return toLocalIso(at, zone);
}

/** What the API promises, stated with Luxon: gap -> forward by the gap, overlap -> the earlier instant. */
function expectedInstant(
  wall: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
): number {
  const dt = DateTime.fromObject(wall, { zone });
  const landed = dt.hour === wall.hour && dt.minute === wall.minute && dt.day === wall.day;
  if (!landed) return dt.toMillis(); // Luxon also moves a skipped time forward by the gap
  return Math.min(...dt.getPossibleOffsets().map((candidate) => candidate.toMillis()));
}

describe('zones', () => {
  test('isValidZone accepts IANA names and rejects the rest', () => {
    assert.equal(isValidZone('Asia/Kathmandu'), true);
    assert.equal(isValidZone('UTC'), true);
    assert.equal(isValidZone(''), false);
    assert.equal(isValidZone('Mars/Olympus_Mons'), false);
    assert.equal(isValidZone('+05:30'), false);
  });

  test('resolveZone falls back for missing, empty and unknown zones', () => {
    assert.equal(resolveZone('Pacific/Auckland', 'UTC'), 'Pacific/Auckland');
    assert.equal(resolveZone(null, 'Europe/London'), 'Europe/London');
    assert.equal(resolveZone(undefined, 'Europe/London'), 'Europe/London');
    assert.equal(resolveZone('', 'Europe/London'), 'Europe/London');
    assert.equal(resolveZone('Nowhere/Town', 'Europe/London'), 'Europe/London');
    assert.equal(resolveZone('Nowhere/Town', 'also invalid'), 'UTC');
  });
});

describe('localParts and toLocalIso agree with Luxon', () => {
  for (const zone of ZONES) {
    test(`random instants in ${zone}, 2026-2027`, () => {
      const next = random(zone.length * 7919);
      for (let i = 0; i < 4_000; i++) {
        const at = Math.floor(FROM + next() * (TO - FROM));
        const dt = DateTime.fromMillis(at, { zone });
        const p = localParts(at, zone);
        assert.deepEqual(
          p,
          {
            year: dt.year,
            month: dt.month,
            day: dt.day,
            hour: dt.hour,
            minute: dt.minute,
            second: dt.second,
            weekday: dt.weekday,
            offsetMinutes: dt.offset,
          },
          `at ${at}`,
        );
        assert.equal(toLocalIso(at, zone), dt.toISO({ includeOffset: true })!.replace(/Z$/, '+00:00'));
      }
    });

    test(`every half minute around each 2026-2027 transition in ${zone}`, () => {
      const zoneObj = DateTime.now().setZone(zone).zone;
      for (const at of transitions(zone)) {
        for (let t = at - 2 * HOUR; t <= at + 2 * HOUR; t += MINUTE / 2) {
          for (const edge of [t, t - 1, t + 1]) {
            assert.equal(localParts(edge, zone).offsetMinutes, zoneObj.offset(edge), `at ${edge}`);
          }
        }
      }
    });
  }

  test('the ISO string matches the agreed format', () => {
    assert.equal(toLocalIso(Date.UTC(2026, 2, 8, 14), 'America/New_York'), '2026-03-08T10:00:00.000-04:00');
    assert.equal(toLocalIso(Date.UTC(2026, 0, 1, 0, 0, 0, 7), 'UTC'), '2026-01-01T00:00:00.007+00:00');
    assert.equal(toLocalIso(Date.UTC(2026, 0, 1), 'Asia/Kathmandu'), '2026-01-01T05:45:00.000+05:45');
  });
});

describe('fromLocal', () => {
  for (const zone of ZONES) {
    test(`random wall times in ${zone} match Luxon (earlier instant when repeated)`, () => {
      const next = random(zone.length * 104729);
      for (let i = 0; i < 4_000; i++) {
        const base = DateTime.fromMillis(Math.floor(FROM + next() * (TO - FROM)), { zone: 'UTC' });
        const wall = {
          year: base.year,
          month: base.month,
          day: base.day,
          hour: base.hour,
          minute: base.minute,
        };
        assert.equal(fromLocal(wall, zone), expectedInstant(wall, zone), JSON.stringify({ wall, zone }));
      }
    });

    test(`every quarter hour of each 2026-2027 transition day in ${zone}`, () => {
      for (const at of transitions(zone)) {
        const day = DateTime.fromMillis(at, { zone });
        for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
          const wall = {
            year: day.year,
            month: day.month,
            day: day.day,
            hour: Math.floor(minutes / 60),
            minute: minutes % 60,
          };
          assert.equal(fromLocal(wall, zone), expectedInstant(wall, zone), JSON.stringify(wall));
        }
      }
    });
  }

  test('a time skipped by spring-forward moves forward by the gap', () => {
    const ny = fromLocal({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York');
    assert.equal(iso(ny, 'America/New_York'), '2026-03-08T03:30:00.000-04:00');
    // Auckland springs forward at 02:00 NZST on the last Sunday of September.
    const akl = fromLocal({ year: 2026, month: 9, day: 27, hour: 2, minute: 15 }, 'Pacific/Auckland');
    assert.equal(iso(akl, 'Pacific/Auckland'), '2026-09-27T03:15:00.000+13:00');
    // Lord Howe only moves 30 minutes: 02:00 -> 02:30.
    const lh = fromLocal({ year: 2026, month: 10, day: 4, hour: 2, minute: 10 }, 'Australia/Lord_Howe');
    assert.equal(iso(lh, 'Australia/Lord_Howe'), '2026-10-04T02:40:00.000+11:00');
    const london = fromLocal({ year: 2026, month: 3, day: 29, hour: 1, minute: 0 }, 'Europe/London');
    assert.equal(iso(london, 'Europe/London'), '2026-03-29T02:00:00.000+01:00');
  });

  test('a time repeated by fall-back resolves to the first instant', () => {
    const ny = fromLocal({ year: 2026, month: 11, day: 1, hour: 1, minute: 30 }, 'America/New_York');
    assert.equal(iso(ny, 'America/New_York'), '2026-11-01T01:30:00.000-04:00');
    const akl = fromLocal({ year: 2026, month: 4, day: 5, hour: 2, minute: 30 }, 'Pacific/Auckland');
    assert.equal(iso(akl, 'Pacific/Auckland'), '2026-04-05T02:30:00.000+13:00');
    const lh = fromLocal({ year: 2026, month: 4, day: 5, hour: 1, minute: 45 }, 'Australia/Lord_Howe');
    assert.equal(iso(lh, 'Australia/Lord_Howe'), '2026-04-05T01:45:00.000+11:00');
    const london = fromLocal({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 }, 'Europe/London');
    assert.equal(iso(london, 'Europe/London'), '2026-10-25T01:30:00.000+01:00');
  });

  test('the zones under test do change in 2026-2027 (the transition tests are not empty)', () => {
    assert.equal(transitions('Pacific/Auckland').length, 4);
    assert.equal(transitions('America/New_York').length, 4);
    assert.equal(transitions('Australia/Lord_Howe').length, 4);
    assert.equal(transitions('Europe/London').length, 4);
    assert.equal(transitions('Asia/Kathmandu').length, 0);
  });

  test('Kathmandu keeps its quarter-hour offset all year', () => {
    const at = fromLocal({ year: 2027, month: 6, day: 1, hour: 9, minute: 0 }, 'Asia/Kathmandu');
    assert.equal(at, Date.UTC(2027, 5, 1, 3, 15));
  });

  test('month and day overflow roll over like Date.UTC', () => {
    assert.equal(
      fromLocal({ year: 2026, month: 13, day: 1, hour: 0, minute: 0 }, 'UTC'),
      Date.UTC(2027, 0, 1),
    );
    assert.equal(
      fromLocal({ year: 2026, month: 2, day: 29, hour: 0, minute: 0 }, 'UTC'),
      Date.UTC(2026, 2, 1),
    );
  });
});

describe('atLocalTime', () => {
  test('takes the local calendar date of the anchor, not the UTC one', () => {
    // 2026-06-30T20:00Z is already July 1st in Auckland.
    const at = atLocalTime(Date.UTC(2026, 5, 30, 20), 'Pacific/Auckland', 1, { hour: 10, minute: 0 });
    assert.equal(iso(at, 'Pacific/Auckland'), '2026-07-02T10:00:00.000+12:00');
  });

  test('counts calendar days across a DST change (not 24-hour blocks)', () => {
    const placed = fromLocal({ year: 2026, month: 3, day: 7, hour: 9, minute: 0 }, 'America/New_York');
    const at = atLocalTime(placed, 'America/New_York', 1, { hour: 9, minute: 0 });
    assert.equal(iso(at, 'America/New_York'), '2026-03-08T09:00:00.000-04:00');
    assert.equal(at - placed, 23 * HOUR);
  });

  test('lands in the gap -> moved forward; negative days go back', () => {
    const anchor = Date.UTC(2026, 9, 1);
    const gap = atLocalTime(anchor, 'Australia/Lord_Howe', 3, { hour: 2, minute: 0 });
    assert.equal(iso(gap, 'Australia/Lord_Howe'), '2026-10-04T02:30:00.000+11:00');
    const back = atLocalTime(Date.UTC(2026, 0, 10, 12), 'UTC', -9, { hour: 8, minute: 5 });
    assert.equal(back, Date.UTC(2026, 0, 1, 8, 5));
  });

  test('agrees with Luxon for random anchors and offsets', () => {
    const next = random(42);
    for (let i = 0; i < 2_000; i++) {
      const zone = ZONES[i % ZONES.length]!;
      const anchor = Math.floor(FROM + next() * (TO - FROM - 40 * 24 * HOUR));
      const days = Math.floor(next() * 30);
      const time = { hour: Math.floor(next() * 24), minute: Math.floor(next() * 4) * 15 };
      const day = DateTime.fromMillis(anchor, { zone }).plus({ days });
      const wall = { year: day.year, month: day.month, day: day.day, ...time };
      assert.equal(atLocalTime(anchor, zone, days, time), expectedInstant(wall, zone), JSON.stringify(wall));
    }
  });
});
