import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareSharedPlans } from './sharedPlans.js';

test('renewal rate and NPS per group, said to be descriptive', () => {
  const result = compareSharedPlans([
    { shared: true, nps: 10, renewed: true, renewable: true },
    { shared: true, nps: 6, renewed: false, renewable: true },
    { shared: true, nps: null, renewed: false, renewable: false },
    { shared: false, nps: 9, renewed: false, renewable: true },
  ]);
  assert.deepEqual(result.shared, {
    customers: 3,
    renewable: 2,
    renewed: 1,
    renewalRate: 0.5,
    npsAnswers: 2,
    nps: 0,
  });
  assert.deepEqual(result.notShared, {
    customers: 1,
    renewable: 1,
    renewed: 0,
    renewalRate: 0,
    npsAnswers: 1,
    nps: 100,
  });
  assert.equal(result.kind, 'descriptive');
  assert.match(result.note, /not a randomized lift/);
});

test('no deals: empty groups with no rates', () => {
  const result = compareSharedPlans([]);
  assert.equal(result.shared.renewalRate, null);
  assert.equal(result.notShared.nps, null);
});
