// Tasks: one person claims, the owner may claim again, completion records outcome, notes and time.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { AftercareError } from '../../errors.js';
import {
  commandWorld,
  DAY,
  HOUR,
  openTask,
  orderPlaced,
  T0,
  type CommandWorld,
} from './world.test-helpers.js';

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
    const done = await w.commands.tasks.complete('task-1', { outcome: 'reached', notes: 'will order again' });
    assert.ok(done.ok);
    assert.deepEqual(
      [done.task.status, done.task.outcome, done.task.notes, done.task.completedAt],
      ['done', 'reached', 'will order again', T0 + HOUR],
    );
    const twice = await w.commands.tasks.complete('task-1', { outcome: 'voicemail', notes: null });
    assert.ok(!twice.ok && twice.why === 'not_open' && twice.current.outcome === 'reached');
    const claim = await w.commands.tasks.claim('task-1', 'kim');
    assert.ok(!claim.ok && claim.why === 'not_open' && claim.current.status === 'done');
  });

  test('an unknown task is not_found; an empty owner or outcome is invalid input', async () => {
    assert.deepEqual(await w.commands.tasks.claim('nope', 'kim'), { ok: false, why: 'not_found' });
    assert.deepEqual(await w.commands.tasks.complete('nope', { outcome: 'reached', notes: null }), {
      ok: false,
      why: 'not_found',
    });
    const invalid = (error: unknown) =>
      error instanceof AftercareError && error.code === 'AFTERCARE_E_INPUT_INVALID';
    await assert.rejects(w.commands.tasks.claim('task-1', '  '), invalid);
    await assert.rejects(w.commands.tasks.complete('task-1', { outcome: '', notes: null }), invalid);
    await assert.rejects(w.commands.tasks.complete('task-1', { outcome: 'happy', notes: null }), {
      code: 'AFTERCARE_E_INPUT_INVALID',
      message: /^outcome: must be one of reached, voicemail, no_answer, resolved, problem_found, callback/,
    });
    await assert.rejects(w.commands.tasks.complete('task-1', { outcome: 'callback', notes: null }), {
      code: 'AFTERCARE_E_INPUT_INVALID',
      message: 'callbackAt: required when the outcome is callback',
    });
    await assert.rejects(
      w.commands.tasks.complete('task-1', { outcome: 'callback', notes: null, callbackAt: T0 - HOUR }),
      { code: 'AFTERCARE_E_INPUT_INVALID', message: 'callbackAt: must be in the future' },
    );
    assert.equal((await w.commands.tasks.get('task-1'))?.status, 'open');
  });

  test('completing is an event on the timeline, heard at once: a callback plans the call', async () => {
    const customerId = (await w.commands.tasks.get('task-1'))!.customerId;
    await w.commands.tasks.claim('task-1', 'kim');
    w.clock.advance(HOUR);
    const callbackAt = T0 + 2 * DAY + 3 * HOUR;
    const done = await w.commands.tasks.complete('task-1', {
      outcome: 'callback',
      notes: 'busy at work, call Wednesday afternoon',
      callbackAt,
    });
    assert.ok(done.ok);
    const [completed] = await w.store.reads.listEvents(customerId, ['task.completed']);
    assert.deepEqual(completed?.data, {
      taskId: 'task-1',
      kind: 'call',
      outcome: 'callback',
      notes: 'busy at work, call Wednesday afternoon',
      callbackAt,
      concernId: null,
      by: 'kim',
    });
    assert.equal(completed?.id, 'task:task-1:completed');
    const callback = await w.commands.tasks.get('care:callback:task:task-1:completed');
    assert.deepEqual(
      [callback?.kind, callback?.dueAt, callback?.owner, callback?.orderId, callback?.status],
      ['call', callbackAt, 'kim', 'o-1', 'open'],
    );
    assert.match(callback!.script, /Call back as agreed: busy at work, call Wednesday afternoon/);
    assert.deepEqual(await w.store.listening.unheard(10), []);
  });

  test('a problem found on a call opens a concern with its own task', async () => {
    const customerId = (await w.commands.tasks.get('task-1'))!.customerId;
    w.clock.advance(HOUR);
    await w.commands.tasks.complete('task-1', {
      outcome: 'problem_found',
      notes: 'lamp flickers since day one',
    });
    const [concern] = await w.commands.concerns.list({ customerId });
    assert.deepEqual(
      [concern?.source, concern?.severity, concern?.summary, concern?.status, concern?.orderId],
      ['task', 'high', 'Problem found: lamp flickers since day one', 'open', 'o-1'],
    );
    const care = await w.commands.tasks.get(`care:${concern!.id}`);
    assert.equal(care?.concernId, concern!.id);
    assert.equal((await w.store.reads.getCustomer(customerId))?.openConcerns, 1);
  });
});
