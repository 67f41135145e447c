// node:test registers tests synchronously; the promises test() returns need no awaiting.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAmount, parseEmail, parseIso, parseQuantity, parseSegment } from './fields.js';

const utc = { zone: 'UTC' };

describe('parseIso', () => {
  test('reads instants with Z and with offsets exactly', () => {
    assert.deepEqual(parseIso('2026-03-08T14:30:00Z', utc), {
      ok: true,
      value: Date.UTC(2026, 2, 8, 14, 30),
    });
    assert.deepEqual(parseIso('2026-03-08T14:30:00.250+02:00', utc), {
      ok: true,
      value: Date.UTC(2026, 2, 8, 12, 30, 0, 250),
    });
    assert.deepEqual(parseIso('2026-03-08 14:30-0500', utc), {
      ok: true,
      value: Date.UTC(2026, 2, 8, 19, 30),
    });
  });

  test('reads a wall time without offset in the given zone, DST included', () => {
    // New York is UTC-5 before 2026-03-08 02:00 and UTC-4 after.
    const zone = { zone: 'America/New_York' };
    assert.deepEqual(parseIso('2026-03-07T10:00', zone), { ok: true, value: Date.UTC(2026, 2, 7, 15) });
    assert.deepEqual(parseIso('2026-03-09T10:00', zone), { ok: true, value: Date.UTC(2026, 2, 9, 14) });
  });

  test('a bare date is the start of the day, or its end for promises', () => {
    assert.deepEqual(parseIso('2026-03-08', utc), { ok: true, value: Date.UTC(2026, 2, 8) });
    assert.deepEqual(parseIso('2026-03-08', { zone: 'UTC', endOfDay: true }), {
      ok: true,
      value: Date.UTC(2026, 2, 8, 23, 59, 59, 999),
    });
  });

  test('an unknown zone falls back to UTC rather than failing', () => {
    assert.deepEqual(parseIso('2026-03-08T10:00', { zone: 'Mars/Olympus' }), {
      ok: true,
      value: Date.UTC(2026, 2, 8, 10),
    });
  });

  test('rejects what is not a calendar date-time', () => {
    for (const text of [
      'yesterday',
      '2026-02-30',
      '2026-13-01T00:00Z',
      '2026-03-08T25:00Z',
      '08/03/2026',
      '2026-03-08T10:00+25:00',
    ]) {
      const parsed = parseIso(text, utc);
      assert.equal(parsed.ok, false, text);
      if (!parsed.ok) assert.match(parsed.message, /ISO 8601/);
    }
  });
});

describe('cell parsers', () => {
  test('email', () => {
    assert.equal(parseEmail('ana@example.com').ok, true);
    assert.equal(parseEmail('ana.example.com').ok, false);
    assert.equal(parseEmail('ana @example.com').ok, false);
    assert.equal(parseEmail('ana@localhost').ok, false);
  });
  test('amount', () => {
    assert.deepEqual(parseAmount('129.90'), { ok: true, value: 129.9 });
    assert.equal(parseAmount('12,50').ok, false);
    assert.equal(parseAmount('-3').ok, false);
    assert.equal(parseAmount('abc').ok, false);
  });
  test('quantity', () => {
    assert.deepEqual(parseQuantity('3'), { ok: true, value: 3 });
    assert.equal(parseQuantity('0').ok, false);
    assert.equal(parseQuantity('1.5').ok, false);
    assert.equal(parseQuantity('two').ok, false);
  });
  test('segment', () => {
    assert.deepEqual(parseSegment('B2B'), { ok: true, value: 'b2b' });
    assert.equal(parseSegment('enterprise').ok, false);
  });
});
