// `aftercare import`: good files, bad rows, re-imports and file-level errors, end to end.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspace, type CliResult } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

const GOOD = [
  'order_id,placed_at,email,first_name,timezone,total,currency,sku,product_name,quantity,segment,shipped_at,carrier,tracking_number,delivered_at',
  'A1,2026-03-01T10:00:00Z,ana@example.com,Ana,Europe/Berlin,120.50,EUR,GR-1,Grinder,1,b2c,2026-03-02T08:00:00Z,DHL,JD1,2026-03-04T12:00:00Z',
  'A1,2026-03-01T10:00:00Z,ana@example.com,Ana,Europe/Berlin,120.50,EUR,BN-2,Beans,2,b2c,,,,',
  'B2,2026-03-02T09:30:00-05:00,bo@example.com,Bo,America/New_York,900,USD,CH-1,Chair,10,b2b,,,,',
  'C3,2026-03-03T15:00:00Z,cy@example.com,Cy,Mars/Olympus,40,USD,MAT,Mat,1,b2c,,,,',
].join('\n');

interface Counts {
  customers: number;
  orders: number;
  events: number;
  touchPoints: Record<string, number>;
}

async function status(): Promise<Counts> {
  const result = await ws.cli('status', '--json');
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Counts;
}

function summaryValue(result: CliResult, label: string): number {
  const line = result.stdout.split('\n').find((l) => l.trim().startsWith(label));
  assert.ok(line, `no "${label}" in:\n${result.stdout}`);
  return Number(line.trim().slice(label.length).trim().replace(/,/g, ''));
}

describe('aftercare import', () => {
  test('imports a good file: orders, lifecycle events and planned touch points', async () => {
    await writeFile(join(ws.dir, 'good.csv'), GOOD);
    const result = await ws.cli('import', 'good.csv');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(summaryValue(result, 'orders imported'), 3);
    assert.equal(summaryValue(result, 'events imported'), 5); // 3 placed + shipped + delivered
    assert.equal(summaryValue(result, 'rows rejected'), 0);
    assert.ok(summaryValue(result, 'touch points planned') > 0);
    assert.match(result.stderr, /import: 3 orders/); // the plain progress line when stderr is no TTY
    const counts = await status();
    assert.equal(counts.orders, 3);
    assert.equal(counts.customers, 3);
    assert.equal(counts.events, 5);
  });

  test('a re-import of the same file changes nothing and says so', async () => {
    const before = await status();
    const result = await ws.cli('import', 'good.csv');
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /Nothing changed: all 3 orders and 5 events in good\.csv were already imported/,
    );
    assert.deepEqual(await status(), before);
  });

  test('reports bad rows with file and line, imports the good ones, exits 1', async () => {
    await writeFile(
      join(ws.dir, 'mixed.csv'),
      [
        'order_id,placed_at,email,total,quantity,segment,sku',
        'M1,2026-03-05T10:00:00Z,m1@example.com,10,1,b2c,X',
        'M2,yesterday,m2@example.com,10,1,b2c,X',
        'M3,2026-03-05T10:00:00Z,not-an-email,ten,two,retail,X',
        'M4,2026-03-05T10:00:00Z,m4@example.com,10,1,b2c,X',
        'M4,2026-03-06T10:00:00Z,m4@example.com,10,1,b2c,Y',
        'M5,2026-03-05T10:00:00Z,m5@example.com,10,1,b2b,X',
        'M1,2026-03-05T10:00:00Z,m1@example.com,10,1,b2c,Z',
      ].join('\n'),
    );
    const result = await ws.cli('import', 'mixed.csv');
    assert.equal(result.code, 1);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('mixed.csv:'));
    assert.deepEqual(lines, [
      'mixed.csv:2: order_id: rows of order M1 are not consecutive (more follow later); the order is rejected',
      'mixed.csv:3: placed_at: "yesterday" is not a date; expected an ISO 8601 date-time such as 2026-03-08T14:30:00Z',
      'mixed.csv:4: quantity: "two" is not a number; expected a whole number such as 2',
      'mixed.csv:4: email: is not an e-mail address like buyer@example.com',
      'mixed.csv:4: total: "ten" is not a number; expected a plain decimal such as 129.90',
      'mixed.csv:4: segment: "retail" is not a segment; expected b2c or b2b',
      'mixed.csv:6: placed_at: differs from line 5 of the same order M4',
      'mixed.csv:8: order_id: rows of order M1 are not consecutive (it began on line 2); the order is rejected',
    ]);
    assert.equal(summaryValue(result, 'orders imported'), 1); // M5
    assert.equal(summaryValue(result, 'rows rejected'), 6);
    assert.equal((await status()).orders, 4);
  });

  test('events CSV: lifecycle events are imported, unknown orders are reported by line', async () => {
    await writeFile(
      join(ws.dir, 'events.csv'),
      [
        'order_id,type,at,data',
        'B2,shipment.shipped,2026-03-03T09:00:00Z,"{""carrier"":""UPS"",""tracking_number"":""1Z9""}"',
        'NOPE,shipment.delivered,2026-03-05T09:00:00Z,',
        'B2,shipment.lost,2026-03-05T09:00:00Z,',
      ].join('\n'),
    );
    await writeFile(join(ws.dir, 'none.csv'), 'order_id,placed_at,email\n');
    const result = await ws.cli('import', 'none.csv', '--events', 'events.csv');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^events\.csv:3: order_id: no order "NOPE" is known/m);
    assert.match(result.stderr, /^events\.csv:4: type: "shipment\.lost" is not an event type/m);
    assert.equal(summaryValue(result, 'events imported'), 1);
    assert.equal(summaryValue(result, 'rows rejected'), 2);
  });

  test('a missing required column stops before anything is imported, exit 2', async () => {
    await writeFile(join(ws.dir, 'header.csv'), 'order_id,email\nH1,h@example.com\n');
    const before = await status();
    const result = await ws.cli('import', 'header.csv');
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /header\.csv:1: placed_at: required column "placed_at" is missing \[AFTERCARE_E_CSV_INVALID\]/,
    );
    assert.equal(result.stdout, '');
    assert.deepEqual(await status(), before);
  });

  test('a missing file is a usage error, exit 2, and no store is created', async () => {
    const fresh = await workspace();
    try {
      const result = await fresh.cli('import', 'missing.csv');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /missing\.csv: no such file \[AFTERCARE_E_FILE_NOT_FOUND\]/);
      assert.equal(existsSync(join(fresh.dir, 'data', 'aftercare.db')), false);
      const usage = await fresh.cli('import');
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /missing required argument/);
    } finally {
      await fresh.cleanup();
    }
  });
});
