// The intervals mean what they say: on 500 simulated populations per method, with a known
// effect injected, the 95% intervals hold the true difference 93-97% of the time. Seeded, so a
// failure is reproducible; the benchmark (`coverage` group) runs 2,000 and records the widths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCENARIOS, measureCoverage, mulberry32, rateScenario } from './coverage.test-helpers.js';
import { newcombeInterval } from './intervals.js';

for (const [i, scenario] of SCENARIOS.entries()) {
  test(`${scenario.method} at ${scenario.sizes.join(' vs ')}: 95% intervals cover the truth 93-97% of the time`, () => {
    const result = measureCoverage(scenario, 500, 20_261_203 + i);
    assert.equal(result.withoutInterval, 0);
    assert.ok(
      result.coverage >= 0.93 && result.coverage <= 0.97,
      `coverage ${result.coverage} over ${result.populations} populations (truth ${result.truth})`,
    );
  });
}

test('the check catches a wrong interval: 90% intervals passed off as 95% fall below 93%', () => {
  const honest = rateScenario();
  const tooNarrow = {
    ...honest,
    draw: (random: () => number) => {
      const { lift, wald } = honest.draw(random);
      const events = (value: number | null, n: number) => ({ events: Math.round((value ?? 0) * n), n });
      const ci = newcombeInterval(
        events(lift.treatment.value, lift.treatment.n),
        events(lift.holdout.value, lift.holdout.n),
        0.9,
      );
      return { lift: { ...lift, ci95: ci }, wald };
    },
  };
  const result = measureCoverage(tooNarrow, 500, 7);
  assert.ok(result.coverage < 0.93, `coverage ${result.coverage}`);
});

test('mulberry32 is seeded and uniform enough to simulate with', () => {
  const a = mulberry32(42);
  const b = mulberry32(42);
  const draws = Array.from({ length: 10_000 }, () => a());
  assert.deepEqual(
    draws.slice(0, 3),
    Array.from({ length: 3 }, () => b()),
  );
  assert.ok(draws.every((u) => u >= 0 && u < 1));
  const mean = draws.reduce((sum, u) => sum + u, 0) / draws.length;
  assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
});
