import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withListeningKeys } from './dataKeys.js';

test('snake_case names of the listening fields are read as their camelCase; camelCase wins', () => {
  assert.deepEqual(
    withListeningKeys({ task_id: 'care:concern:nps-1', outcome: 'resolved', callback_at: 'x' }),
    {
      taskId: 'care:concern:nps-1',
      outcome: 'resolved',
      callbackAt: 'x',
    },
  );
  assert.deepEqual(withListeningKeys({ concern_id: 'a', concernId: 'b' }), { concernId: 'b' });
  const untouched = { score: 2, touchPointId: 'tp' };
  assert.equal(withListeningKeys(untouched), untouched);
});
