// The error registry and its documentation stay in step: docs/errors.md lists exactly the codes
// of src/errors.ts, each with the HTTP status the registry maps it to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AftercareError, ERROR_CODES, httpStatusOf, type ErrorCode } from '../src/errors.js';

/** Rows of the codes table: `| \`AFTERCARE_E_...\` | status | meaning | what to do |`. */
function documentedCodes(): Map<string, { status: number; meaning: string; action: string }> {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const rows = new Map<string, { status: number; meaning: string; action: string }>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const code = /^`(AFTERCARE_E_[A-Z_]+)`$/.exec(cells[1] ?? '')?.[1];
    if (code === undefined) continue;
    assert.ok(!rows.has(code), `${code} is listed twice`);
    rows.set(code, { status: Number(cells[2]), meaning: cells[3] ?? '', action: cells[4] ?? '' });
  }
  return rows;
}

test('docs/errors.md lists exactly the registered codes', () => {
  assert.deepEqual([...documentedCodes().keys()].sort(), Object.keys(ERROR_CODES).sort());
});

test('each documented status is the registered one, with a meaning and what to do', () => {
  for (const [code, row] of documentedCodes()) {
    assert.equal(row.status, ERROR_CODES[code as ErrorCode].status, code);
    assert.ok(row.meaning.length > 10, `${code} needs a meaning`);
    assert.ok(row.action.length > 5, `${code} needs what to do`);
  }
});

test('codes follow the naming scheme and map to error statuses', () => {
  for (const [code, { status, message }] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^AFTERCARE_E_[A-Z]+(_[A-Z]+)*$/);
    assert.ok(status >= 400 && status < 600, code);
    assert.ok(message.length > 0, code);
  }
});

test('an AftercareError carries its code, status and details; anything else is a 500', () => {
  const error = new AftercareError('AFTERCARE_E_NOT_FOUND', 'no order ord_9', { field: 'orderId' });
  assert.equal(error.code, 'AFTERCARE_E_NOT_FOUND');
  assert.equal(error.status, 404);
  assert.equal(httpStatusOf(error), 404);
  assert.deepEqual(error.details, { field: 'orderId' });
  assert.equal(httpStatusOf(new Error('boom')), 500);
  assert.equal(httpStatusOf('boom'), 500);
});
