// AFTERCARE_MAX_UNRECORDED: a whole number of sends; a bad value is named at start-up.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.js';

test('AFTERCARE_MAX_UNRECORDED sets the most sends out without their outcomes written', () => {
  assert.equal(loadConfig({}).dispatch.maxUnrecorded, 50);
  assert.equal(loadConfig({ AFTERCARE_MAX_UNRECORDED: '10' }).dispatch.maxUnrecorded, 10);
  for (const bad of ['0', '-1', 'ten', '10001', '1.5']) {
    assert.throws(() => loadConfig({ AFTERCARE_MAX_UNRECORDED: bad }), {
      code: 'AFTERCARE_E_CONFIG',
      message: /AFTERCARE_MAX_UNRECORDED/,
    });
  }
});
