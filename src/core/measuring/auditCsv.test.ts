import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAuditIssue, parseAuditCsv } from './auditCsv.js';

const KNOWN = ['delivery', 'support', 'renewal'];

test('a good file: rows with their lines, headers in any case and order, quoted notes, blank lines', () => {
  const result = parseAuditCsv(
    '\uFEFFNote,Interaction,Importance,Performance\r\n"late, twice",delivery,5,2\r\n\r\n,support,4,3\r\n',
    'a.csv',
    KNOWN,
  );
  assert.deepEqual(result, {
    ok: true,
    rows: [
      { line: 2, interaction: 'delivery', importance: 5, performance: 2, note: 'late, twice' },
      { line: 4, interaction: 'support', importance: 4, performance: 3, note: null },
    ],
  });
});

test('every problem is named by file, line and field, and nothing is kept', () => {
  const result = parseAuditCsv(
    'interaction,importance,performance\nsuport,5,2\nrenewal,3.5,0\nrenewal,x,\ndelivery,1,1,extra\n',
    'b.csv',
    KNOWN,
  );
  assert.equal(result.ok, false);
  const lines = result.ok ? [] : result.issues.map(formatAuditIssue);
  assert.deepEqual(lines, [
    'b.csv:2: interaction: "suport" is not in the interaction catalogue (did you mean "support"?)',
    'b.csv:3: importance: "3.5"; must be a whole number from 1 to 5',
    'b.csv:3: performance: "0"; must be a whole number from 1 to 5',
    'b.csv:4: interaction: "renewal" is listed twice (also line 3)',
    'b.csv:4: importance: "x"; must be a whole number from 1 to 5',
    'b.csv:4: performance: is empty; must be a whole number from 1 to 5',
    'b.csv:5: (row): 4 fields; the header has 3',
  ]);
});

test('the header is checked first: unknown and missing columns', () => {
  const result = parseAuditCsv('interaction,importanse,note\ndelivery,5,x\n', 'c.csv', KNOWN);
  assert.deepEqual(result.ok ? [] : result.issues.map(formatAuditIssue), [
    'c.csv:1: importanse: unknown column (did you mean "importance"?)',
    'c.csv:1: importance: required column is missing',
    'c.csv:1: performance: required column is missing',
  ]);
  const empty = parseAuditCsv('', 'd.csv', KNOWN);
  assert.match(empty.ok ? '' : formatAuditIssue(empty.issues[0]!), /^d\.csv:1: \(file\): the file is empty/);
  const headerOnly = parseAuditCsv('interaction,importance,performance\n', 'e.csv', KNOWN);
  assert.match(headerOnly.ok ? '' : formatAuditIssue(headerOnly.issues[0]!), /no rows/);
  const broken = parseAuditCsv('interaction,importance,performance\n"delivery,5,2\n', 'f.csv', KNOWN);
  assert.match(
    broken.ok ? '' : formatAuditIssue(broken.issues[0]!),
    /^f\.csv:\d+: \(file\): not readable as CSV/,
  );
});
