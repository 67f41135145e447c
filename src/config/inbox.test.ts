import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.js';
import { parseBatchSize, parseWait } from './inbox.js';

test('inbox defaults: batches of 250, a wait of at most 50 ms', () => {
  assert.deepEqual(loadConfig({}).inbox, { batchSize: 250, maxWaitMs: 50 });
});

test('inbox variables are read, and each bad one is named', () => {
  const config = loadConfig({ AFTERCARE_INBOX_BATCH: '1000', AFTERCARE_INBOX_WAIT: '2s' });
  assert.deepEqual(config.inbox, { batchSize: 1000, maxWaitMs: 2000 });
  assert.throws(
    () => loadConfig({ AFTERCARE_INBOX_BATCH: '0', AFTERCARE_INBOX_WAIT: 'soon' }),
    (error: { code: string; details: { issues: { variable: string }[] } }) => {
      assert.equal(error.code, 'AFTERCARE_E_CONFIG');
      assert.deepEqual(
        error.details.issues.map((i) => i.variable),
        ['AFTERCARE_INBOX_BATCH', 'AFTERCARE_INBOX_WAIT'],
      );
      return true;
    },
  );
});

test('batch sizes and waits', () => {
  assert.deepEqual(parseBatchSize('1'), { ok: true, value: 1 });
  assert.deepEqual(parseBatchSize('10000'), { ok: true, value: 10_000 });
  assert.equal(parseBatchSize('10001').ok, false);
  assert.equal(parseBatchSize('2.5').ok, false);
  assert.equal(parseBatchSize('-1').ok, false);
  assert.deepEqual(parseWait('0'), { ok: true, value: 0 });
  assert.deepEqual(parseWait('200'), { ok: true, value: 200 });
  assert.deepEqual(parseWait('75ms'), { ok: true, value: 75 });
  assert.deepEqual(parseWait('1S'), { ok: true, value: 1000 });
  assert.equal(parseWait('61s').ok, false);
  assert.equal(parseWait('1m').ok, false);
  assert.equal(parseWait('-5ms').ok, false);
});
