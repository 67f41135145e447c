// Tasks: one person claims, the owner may claim again, completion records outcome, notes and time.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AftercareError } from '../../errors.js';
import { commandWorld, HOUR, openTask, orderPlaced, T0, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
beforeEach(async () => {
  w = await commandWorld();
  const [result] = (await w.commands.ingest.events([orderPlaced('o-1')])).results;
  const [tp] = await w.commands.touchPoints.list({ orderId: 'o-1' });
  await w.store.tasks.create(openTask('task-1', tp!.id, result!.customerId!, 'o-1'));
});
afterEach(() => w.close());

describe('task commands', () => {
  test('list by status and owner; get; an unknown task is null', async () => {
    assert.deepEqual(
      (await w.commands.tasks.list({ status: 'open' })).map((t) => t.id),
      ['task-1'],
    );
    assert.deepEqual(await w.commands.tasks.list({ owner: 'kim' }), []);
    assert.equal((await w.commands.tasks.get('task-1'))?.script, 'Ask Ada how the lamp works.');
    assert.equal(await w.commands.tasks.get('nope'), null);
  });

  test('claim: the first takes it, another is refused with the owner, the owner may claim again', async () => {
    const kim = await w.commands.tasks.claim('task-1', ' kim ');
    assert.ok(kim.ok);
    assert.deepEqual([kim.task.status, kim.task.owner], ['claimed', 'kim']);
    const lee = await w.commands.tasks.claim('task-1', 'lee');
    assert.ok(!lee.ok && lee.why === 'not_open');
    assert.deepEqual([lee.current.status, lee.current.owner], ['claimed', 'kim']);
    const again = await w.commands.tasks.claim('task-1', 'kim');
    assert.ok(again.ok, 'claiming again as the owner is fine');
    assert.deepEqual((await w.commands.tasks.list({ owner: 'kim' })).length, 1);
  });

  test('complete: outcome, notes and the time; then closed for claims and completions', async () => {
    w.clock.advance(HOUR);
    const done = await w.commands.tasks.complete('task-1', { outcome: 'happy', notes: 'will order again' });
    assert.ok(done.ok);
    assert.deepEqual(
      [done.task.status, done.task.outcome, done.task.notes, done.task.completedAt],
      ['done', 'happy', 'will order again', T0 + HOUR],
    );
    const twice = await w.commands.tasks.complete('task-1', { outcome: 'x', notes: null });
    assert.ok(!twice.ok && twice.why === 'not_open' && twice.current.outcome === 'happy');
    const claim = await w.commands.tasks.claim('task-1', 'kim');
    assert.ok(!claim.ok && claim.why === 'not_open' && claim.current.status === 'done');
  });

  test('an unknown task is not_found; an empty owner or outcome is invalid input', async () => {
    assert.deepEqual(await w.commands.tasks.claim('nope', 'kim'), { ok: false, why: 'not_found' });
    assert.deepEqual(await w.commands.tasks.complete('nope', { outcome: 'x', notes: null }), {
      ok: false,
      why: 'not_found',
    });
    const invalid = (error: unknown) =>
      error instanceof AftercareError && error.code === 'AFTERCARE_E_INPUT_INVALID';
    await assert.rejects(w.commands.tasks.claim('task-1', '  '), invalid);
    await assert.rejects(w.commands.tasks.complete('task-1', { outcome: '', notes: null }), invalid);
    assert.equal((await w.commands.tasks.get('task-1'))?.status, 'open');
  });
});
