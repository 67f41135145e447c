import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readDealsCsv, type DealRow } from './deals.js';
import { formatRowError } from './rowError.js';

async function rows(text: string): Promise<{ file: string; rows: DealRow[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-deals-'));
  const file = join(dir, 'deals.csv');
  await writeFile(file, text);
  const found: DealRow[] = [];
  try {
    for await (const row of readDealsCsv(file, 'Europe/Berlin')) found.push(row);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { file, rows: found };
}

const HEADER =
  'deal_id,company,contact_email,contact_name,timezone,locale,owner,expected_close,amount,currency,segment,kind,products';

test('a CRM export row becomes the same deal input the API takes', async () => {
  const { rows: found } = await rows(
    `${HEADER}\nD-7,Nordlicht GmbH,jonas@nordlicht.example,Jonas Müller,Europe/Berlin,de,sam,2026-06-15,24000,eur,b2b,software,Fleet; Onboarding\n`,
  );
  assert.equal(found.length, 1);
  const row = found[0]!;
  assert.equal(row.kind, 'deal');
  if (row.kind !== 'deal') return;
  assert.equal(row.line, 2);
  assert.deepEqual(row.input, {
    source: 'csv',
    externalId: 'D-7',
    company: 'Nordlicht GmbH',
    domain: null,
    contact: {
      email: 'jonas@nordlicht.example',
      name: 'Jonas Müller',
      phone: null,
      locale: 'de',
      timeZone: 'Europe/Berlin',
    },
    owner: 'sam',
    // A bare date in the deal's zone: midnight in Berlin.
    expectedCloseAt: Date.UTC(2026, 5, 14, 22, 0, 0),
    value: { amount: 24000, currency: 'EUR' },
    segment: 'b2b',
    kind: 'software',
    leadDays: null,
    stage: null,
    products: ['Fleet', 'Onboarding'],
  });
});

test('a bad value names file, line and column; the other rows are still read', async () => {
  const { file, rows: found } = await rows(
    `${HEADER}\n` +
      'D-1,Polar AG,ines@polar.example,Ines Berg,,,,2026-06-15,lots,EUR,b2b,,\n' +
      'D-2,Polar AG,ines@polar.example,Ines Berg,,,,2026-06-15,100,EUR,b2b,,\n' +
      'D-3,Polar AG,not an address,Ines Berg,,,,2026-06-15,100,EUR,b2b,,\n',
  );
  assert.deepEqual(
    found.map((r) => (r.kind === 'error' ? formatRowError(r.error) : `deal ${r.line}`)),
    [
      `${file}:2: amount: "lots" is not a number; expected a plain decimal such as 129.90`,
      'deal 3',
      found[2]!.kind === 'error' ? formatRowError(found[2]!.error) : '',
    ],
  );
  assert.equal(found[2]!.kind === 'error' && found[2]!.error.field, 'contact_email');
});

test('a missing required column is a file error naming it', async () => {
  await assert.rejects(rows('company,contact_email\nA,b@c.example\n'), /contact_name/);
});
