// Concern commands: a low answer's concern is listed, acknowledged (the person owns it) and
// resolved (its task closes), each through an event heard before the command answers.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { commandWorld, HOUR, orderPlaced, T0, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
let customerId: string;
const concernId = 'concern:survey:o-1:nps';
beforeEach(async () => {
  w = await commandWorld();
  const report = await w.commands.ingest.events([
    orderPlaced('o-1'),
    {
      id: 'survey:o-1:nps',
      type: 'survey.answered',
      at: T0 + HOUR,
      customerId: null,
      orderId: 'o-1',
      data: { survey: 'nps', score: 5, comment: 'the lamp hums' },
    },
  ]);
  customerId = report.results[0]!.customerId!;
  await w.listener.hearPending();
});
afterEach(() => w.close());

describe('concern commands', () => {
  test('list and get: newest first, filtered', async () => {
    const listed = await w.commands.concerns.list({ status: 'unresolved' });
    assert.deepEqual(
      listed.map((c) => [c.id, c.severity, c.summary, c.owner]),
      [[concernId, 'medium', 'NPS 5: the lamp hums', 'rep']],
    );
    assert.deepEqual(await w.commands.concerns.list({ status: 'resolved' }), []);
    assert.equal((await w.commands.concerns.get(concernId))?.customerId, customerId);
    assert.equal(await w.commands.concerns.get('concern:nope'), null);
  });

  test('acknowledge, then resolve: the answer shows the new state and the task is closed', async () => {
    w.clock.advance(2 * HOUR);
    const acked = await w.commands.concerns.acknowledge(concernId, ' kim ');
    assert.ok(acked.ok);
    assert.deepEqual(
      [acked.concern.status, acked.concern.owner, acked.concern.acknowledgedAt],
      ['acknowledged', 'kim', T0 + 2 * HOUR],
    );
    w.clock.advance(HOUR);
    const resolved = await w.commands.concerns.resolve(concernId, {
      resolution: 'sent a quieter transformer',
      by: 'kim',
    });
    assert.ok(resolved.ok);
    assert.deepEqual(
      [resolved.concern.status, resolved.concern.resolution, resolved.concern.resolvedAt],
      ['resolved', 'sent a quieter transformer', T0 + 3 * HOUR],
    );
    const task = await w.commands.tasks.get(`care:${concernId}`);
    assert.deepEqual([task?.status, task?.outcome], ['done', 'concern_resolved']);
    assert.equal((await w.store.reads.getCustomer(customerId))?.openConcerns, 0);
    const timeline = await w.store.reads.listEvents(customerId, ['concern.acknowledged', 'concern.resolved']);
    assert.deepEqual(
      timeline.map((e) => e.id),
      [`${concernId}:acknowledged:kim`, `${concernId}:resolved`],
    );
    const again = await w.commands.concerns.resolve(concernId, { resolution: 'again', by: 'lee' });
    assert.ok(
      !again.ok && again.why === 'resolved' && again.current.resolution === 'sent a quieter transformer',
    );
    const late = await w.commands.concerns.acknowledge(concernId, 'lee');
    assert.ok(!late.ok && late.why === 'resolved');
  });

  test('unknown concerns are not_found; empty names and resolutions are invalid input', async () => {
    assert.deepEqual(await w.commands.concerns.acknowledge('concern:nope', 'kim'), {
      ok: false,
      why: 'not_found',
    });
    assert.deepEqual(await w.commands.concerns.resolve('concern:nope', { resolution: 'x', by: 'kim' }), {
      ok: false,
      why: 'not_found',
    });
    await assert.rejects(w.commands.concerns.acknowledge(concernId, '  '), {
      code: 'AFTERCARE_E_INPUT_INVALID',
      message: 'by: must not be empty',
    });
    await assert.rejects(w.commands.concerns.resolve(concernId, { resolution: '', by: 'kim' }), {
      code: 'AFTERCARE_E_INPUT_INVALID',
      message: 'resolution: must not be empty',
    });
    assert.equal((await w.commands.concerns.get(concernId))?.status, 'open');
  });

  test('a task resolved on the call resolves its concern', async () => {
    w.clock.advance(HOUR);
    const done = await w.commands.tasks.complete(`care:${concernId}`, {
      outcome: 'resolved',
      notes: 'firmware fix',
    });
    assert.ok(done.ok);
    const concern = await w.commands.concerns.get(concernId);
    assert.deepEqual([concern?.status, concern?.resolution], ['resolved', 'firmware fix']);
  });
});
