import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanColumn } from './columnScan.js';
import { readCsvRecords } from './records.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-scan-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The quick scan must read the column exactly as the full parse does, or orders would be misjudged. */
describe('scanColumn', () => {
  test('agrees with the full parse on quotes, escaped quotes, line breaks, BOM and blank lines', async () => {
    const file = join(dir, 'tricky.csv');
    await writeFile(
      file,
      '\uFEFFnote,order_id,email\r\n' +
        '"a, b",A1,a@example.com\r\n' +
        '"multi\r\nline",A1,a@example.com\r\n' +
        '\r\n' +
        'x,"B""2",b@example.com\n' +
        '"",  C3 ,c@example.com\n' +
        'y,"D,4",d@example.com',
    );
    const scanned: string[] = [];
    const header = await scanColumn(file, ['order_id'], 'order_id', (value) => scanned.push(value));
    assert.deepEqual(header.names, ['note', 'order_id', 'email']);
    const parsed: string[] = [];
    for await (const record of readCsvRecords(file, ['order_id'], () => undefined)) {
      if (record.kind === 'row') parsed.push(record.fields[1] ?? '');
    }
    assert.deepEqual(scanned, ['A1', 'A1', 'B"2', '  C3 ', 'D,4']);
    assert.deepEqual(scanned, parsed);
  });

  test('checks the header like the full parse', async () => {
    const file = join(dir, 'noid.csv');
    await writeFile(file, 'email\na@example.com\n');
    await assert.rejects(
      scanColumn(file, ['order_id'], 'order_id', () => undefined),
      /required column "order_id" is missing/,
    );
  });
});
