import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidZone } from '../core/localTime.js';
import { zoneForAddress } from './addressZone.js';

test('an address gives the zone of its country, or of its state where a country spans zones', () => {
  assert.equal(zoneForAddress('DE', null), 'Europe/Berlin');
  assert.equal(zoneForAddress('us', 'WA'), 'America/Los_Angeles');
  assert.equal(zoneForAddress('US', 'US-NY'), 'America/New_York');
  assert.equal(zoneForAddress('CA', 'BC'), 'America/Vancouver');
  assert.equal(zoneForAddress('AU', 'WA'), 'Australia/Perth');
  assert.equal(zoneForAddress('MX', 'JAL'), 'America/Mexico_City');
  assert.equal(zoneForAddress('US', null), null, 'a US address without a state is ambiguous');
  assert.equal(zoneForAddress('ZZ', null), null);
  assert.equal(zoneForAddress(null, 'WA'), null);
});

test('every zone in the table is a real IANA zone', () => {
  const samples = [
    ...['AE', 'AR', 'GB', 'IN', 'JP', 'NZ', 'UA', 'VN', 'ZA', 'BR', 'RU', 'ID'].map((c) =>
      zoneForAddress(c, null),
    ),
    ...['AK', 'HI', 'AZ', 'PR', 'TX', 'CO'].map((s) => zoneForAddress('US', s)),
    ...['NL', 'SK', 'NU', 'YT'].map((p) => zoneForAddress('CA', p)),
    ...['BC', 'BCS', 'SON', 'QROO'].map((s) => zoneForAddress('MX', s)),
    ...['AM', 'AC', 'MT', 'MS'].map((s) => zoneForAddress('BR', s)),
  ];
  for (const zone of samples) assert.ok(zone !== null && isValidZone(zone), String(zone));
});
