import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FoldResult } from '../store/ports/measuring.js';
import { FOLD_DAYS, foldMarkedDays, measureFoldJob } from './measureFold.js';

/** A store with `pending` marked days, folding `maxDays` at a time; each fold takes `costMs`. */
function marked(pending: number, costMs = 0) {
  let clock = 0;
  const calls: number[] = [];
  return {
    now: () => clock,
    calls,
    measuring: {
      fold(maxDays = 8): Promise<FoldResult> {
        calls.push(maxDays);
        clock += costMs;
        const folded = Math.min(maxDays, pending);
        pending -= folded;
        return Promise.resolve({ folded, pending });
      },
    },
  };
}

test('folds a few days at a time until nothing is pending', async () => {
  const s = marked(3 * FOLD_DAYS);
  assert.deepEqual(await foldMarkedDays(s.measuring, Infinity, s.now), {
    folded: 3 * FOLD_DAYS,
    pending: 0,
    rounds: 3,
  });
  assert.deepEqual(s.calls, [FOLD_DAYS, FOLD_DAYS, FOLD_DAYS]);
});

test('stops when its time is spent and says what is left', async () => {
  const s = marked(100, 300);
  assert.deepEqual(await foldMarkedDays(s.measuring, 1_000, s.now), {
    folded: 4 * FOLD_DAYS,
    pending: 100 - 4 * FOLD_DAYS,
    rounds: 4,
  });
});

test('stops when a fold finds nothing to take (another process has them)', async () => {
  const s = {
    measuring: { fold: () => Promise.resolve({ folded: 0, pending: 3 }) },
  };
  assert.deepEqual(await foldMarkedDays(s.measuring, Infinity), { folded: 0, pending: 3, rounds: 1 });
});

test('the job folds within its budget on every tick', async () => {
  const s = marked(2 * FOLD_DAYS);
  const job = measureFoldJob(s.measuring, { everyMs: 1_000 });
  assert.equal(job.name, 'measure-fold');
  assert.equal(job.everyMs, 1_000);
  assert.deepEqual(await job.run(0), { folded: 2 * FOLD_DAYS, pending: 0, rounds: 2 });
});
