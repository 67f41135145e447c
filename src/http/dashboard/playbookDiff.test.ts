// Two playbook versions compared: steps matched by key, a removed step kept where it stood, each
// changed field with its old and new text, and the playbook's own settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Playbook, Step } from '../../core/playbook/types.js';
import { diffPlaybooks } from './playbookDiff.js';

const DAY = 86_400_000;

function step(key: string, days: number, extra: Partial<Step> = {}): Step {
  return {
    key,
    description: null,
    timing: { moment: 'delivered', offsetMs: days * DAY, atLocal: { hour: 10, minute: 0 } },
    channel: 'email',
    template: key,
    purpose: 'reassurance',
    when: null,
    cancelOn: [],
    survey: null,
    owner: null,
    ...extra,
  };
}

function playbook(version: number, steps: Step[], extra: Partial<Playbook> = {}): Playbook {
  return {
    name: 'p',
    version,
    description: null,
    exitOn: ['returned'],
    returnWindowMs: 30 * DAY,
    delayGraceMs: DAY,
    staleAfterMs: 3 * DAY,
    steps,
    source: 'test',
    ...extra,
  };
}

test('added, removed where it stood, changed with its fields, unchanged', () => {
  const before = playbook(1, [
    step('gone-first', 0),
    step('a', 1),
    step('gone', 2),
    step('b', 3),
    step('c', 4),
  ]);
  const after = playbook(2, [
    step('a', 1),
    step('b', 5, { channel: 'sms', when: { field: 'segment', op: 'eq', value: 'b2b' } }),
    step('new', 6),
    step('c', 4),
  ]);
  const diff = diffPlaybooks(before, after);
  assert.deepEqual(
    diff.steps.map((s) => [s.key, s.change]),
    [
      ['gone-first', 'removed'],
      ['a', 'same'],
      ['gone', 'removed'],
      ['b', 'changed'],
      ['new', 'added'],
      ['c', 'same'],
    ],
  );
  assert.deepEqual(diff.steps[3]!.fields, [
    { field: 'timing', before: '3d after delivered, at 10:00', after: '5d after delivered, at 10:00' },
    { field: 'channel', before: 'email', after: 'sms' },
    { field: 'when', before: '', after: 'segment = b2b' },
  ]);
  assert.deepEqual(diff.counts, { added: 1, removed: 2, changed: 1, same: 2 });
  assert.deepEqual(diff.settings, []);
});

test('steps reordered are matched by key; a removed step after them is still listed once', () => {
  const before = playbook(1, [step('a', 1), step('b', 2), step('gone', 3)]);
  const after = playbook(2, [step('b', 2), step('a', 1)]);
  const diff = diffPlaybooks(before, after);
  assert.deepEqual(
    diff.steps.map((s) => [s.key, s.change]),
    [
      ['b', 'same'],
      ['a', 'same'],
      ['gone', 'removed'],
    ],
  );
});

test("the playbook's own settings that changed", () => {
  const diff = diffPlaybooks(
    playbook(1, []),
    playbook(2, [], { exitOn: ['returned', 'cancelled'], staleAfterMs: Infinity, renewalGapMs: 7 * DAY }),
  );
  assert.deepEqual(diff.settings, [
    { field: 'exit on', before: 'returned', after: 'returned, cancelled' },
    { field: 'stale after', before: '3d', after: 'never' },
    { field: 'renewal gap', before: '3d (default)', after: '1w' },
  ]);
});
