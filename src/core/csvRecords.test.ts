import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readCsvRecords } from './csvRecords.js';

test('records come with the line they end on: BOM dropped, blank lines skipped, cells trimmed', () => {
  const read = readCsvRecords('\uFEFFCode,Usage\n\n spring-1 ,0\n"two\nlines",1,extra\n', 'a.csv', 1000);
  assert.deepEqual(read.ok ? read.records.map((r) => [r.info.lines, r.record]) : read.issues, [
    [1, ['Code', 'Usage']],
    [3, ['spring-1', '0']],
    [5, ['two\nlines', '1', 'extra']],
  ]);
});

test('a file past the limit is not parsed, and one csv-parse cannot read is named by its line', () => {
  assert.deepEqual(readCsvRecords('a,b\n1,2\n', 'big.csv', 7), {
    ok: false,
    issues: [
      { file: 'big.csv', line: 1, field: '(file)', message: 'the file is 8 bytes; at most 7 are read' },
    ],
  });
  const broken = readCsvRecords('a,b\n1,2\n"3,4\n', 'f.csv', 1000);
  assert.equal(broken.ok, false);
  const [issue] = broken.ok ? [] : broken.issues;
  assert.equal(issue?.file, 'f.csv');
  assert.equal(issue?.field, '(file)');
  assert.ok((issue?.line ?? 0) >= 3, `line ${issue?.line}`);
  assert.match(issue?.message ?? '', /^not readable as CSV: /);
});
