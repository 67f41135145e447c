// Known answers for every interval, the power formulas and the verdicts. Published values are
// quoted with their source; the rest are written out by hand (formula and quantiles in the
// comment) and were cross-checked with SciPy, which computes the same as R's t.test here.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { meanInterval, meanLift, npsInterval, npsLift, npsScore, rateLift, wilsonInterval } from './stats.js';
import { newcombeInterval, welchInterval } from './intervals.js';
import {
  meanSampleSize,
  minimumDetectableEffect,
  morePerGroup,
  powerMultiplier,
  proportionSampleSize,
} from './power.js';
import { tCritical, zCritical, zQuantile } from './quantiles.js';
import { about } from './verdict.js';

function near(actual: number | null | undefined, expected: number, tolerance: number, label = ''): void {
  assert.ok(
    actual !== null && actual !== undefined && Math.abs(actual - expected) <= tolerance,
    `${label} ${actual} is not within ${tolerance} of ${expected}`,
  );
}

function nearInterval(
  actual: [number, number] | null,
  expected: [number, number],
  tolerance: number,
  label = '',
): void {
  assert.ok(actual, `${label}: no interval`);
  near(actual[0], expected[0], tolerance, `${label} low`);
  near(actual[1], expected[1], tolerance, `${label} high`);
}

describe('quantiles (stdlib)', () => {
  test('match the tables: z 0.975, z 0.8, t 0.975 with 10 df', () => {
    near(zCritical(), 1.959964, 1e-6);
    near(zQuantile(0.8), 0.841621, 1e-6);
    near(tCritical(10), 2.228139, 1e-6);
    near(powerMultiplier(), 2.801585, 1e-6);
  });
});

describe('wilsonInterval', () => {
  // Newcombe RG (1998a), Two-sided confidence intervals for the single proportion: comparison of
  // seven methods. Statistics in Medicine 17:857-872, worked examples, method 3 (score, no correction).
  const published: Array<[number, number, [number, number]]> = [
    [81, 263, [0.2553, 0.3662]],
    [15, 148, [0.0624, 0.1605]],
    [0, 20, [0, 0.1611]],
    [1, 29, [0.0061, 0.1718]],
    [29, 29, [0.883, 1]],
  ];
  for (const [events, n, expected] of published) {
    test(`${events}/${n} -> ${expected.join(' to ')} (Newcombe 1998a)`, () => {
      nearInterval(wilsonInterval(events, n), expected, 5e-5, `${events}/${n}`);
    });
  }

  test('edges: 0/10 and 10/10 end exactly at 0 and 1, n = 0 has no interval', () => {
    // 0/10: upper = z^2/(n + z^2) = 3.841459/13.841459 = 0.277533.
    const none = wilsonInterval(0, 10);
    assert.equal(none?.[0], 0);
    near(none?.[1], 0.277533, 1e-6);
    const all = wilsonInterval(10, 10);
    near(all?.[0], 1 - 0.277533, 1e-6);
    assert.equal(all?.[1], 1);
    assert.equal(wilsonInterval(0, 0), null);
  });

  test('another level narrows or widens the interval', () => {
    const ninety = wilsonInterval(81, 263, 0.9)!;
    const ninetyNine = wilsonInterval(81, 263, 0.99)!;
    assert.ok(ninety[1] - ninety[0] < ninetyNine[1] - ninetyNine[0]);
  });

  test('impossible counts are errors, not numbers', () => {
    assert.throws(() => wilsonInterval(11, 10), /cannot exceed/);
    assert.throws(() => wilsonInterval(-1, 10), /events/);
    assert.throws(() => wilsonInterval(Number.NaN, 10), /events/);
  });
});

describe('newcombeInterval (method 10)', () => {
  // Newcombe RG (1998b), Interval estimation for the difference between independent proportions:
  // comparison of eleven methods. Statistics in Medicine 17:873-890, worked examples, method 10. (The
  // first example's difference is 56/70 - 48/80 = 0.8 - 0.6 = 0.2000.)
  const published: Array<[number, number, number, number, number, [number, number]]> = [
    [56, 70, 48, 80, 0.2, [0.0524, 0.3339]],
    [9, 10, 3, 10, 0.6, [0.1705, 0.809]],
    [5, 56, 0, 29, 0.0893, [-0.0381, 0.1926]],
    [0, 10, 0, 20, 0, [-0.1611, 0.2775]],
    [10, 10, 0, 20, 1, [0.6791, 1]],
    [10, 10, 0, 10, 1, [0.6075, 1]],
  ];
  for (const [e1, n1, e2, n2, difference, expected] of published) {
    test(`${e1}/${n1} - ${e2}/${n2} = ${difference}, CI ${expected.join(' to ')}`, () => {
      near(e1 / n1 - e2 / n2, difference, 5e-5);
      nearInterval(
        newcombeInterval({ events: e1, n: n1 }, { events: e2, n: n2 }),
        expected,
        5e-5,
        `${e1}/${n1}`,
      );
    });
  }

  test('an empty group gives no interval', () => {
    assert.equal(newcombeInterval({ events: 3, n: 10 }, { events: 0, n: 0 }), null);
  });
});

describe('t intervals', () => {
  // a = 1,2,3,4,5 (mean 3, s^2 2.5); b = 2,4,4,5,5,5 (mean 4.1667, s^2 1.366667).
  const a = { n: 5, sum: 15, sumSquares: 55 };
  const b = { n: 6, sum: 25, sumSquares: 111 };

  test("Welch: se^2 = 2.5/5 + 1.366667/6 = 0.727778, df = se^4 / (0.5^2/4 + 0.227778^2/5) = 7.2679, t(0.975, 7.2679) = 2.347068; R's t.test(a, b) gives -3.1689 to 0.8356", () => {
    const welch = welchInterval(a, b);
    near(welch?.df, 7.267915, 1e-5, 'df');
    nearInterval(welch?.interval ?? null, [-3.168948, 0.835615], 1e-5, 'welch');
  });

  test('one mean: 4.1667 +- t(0.975, 5) 2.570582 * sqrt(1.366667/6) = 2.9398 to 5.3935', () => {
    nearInterval(meanInterval(b), [2.939829, 5.393504], 1e-5, 'mean');
  });

  test('fewer than two answers, or no spread at all, give no interval rather than a false certainty', () => {
    assert.equal(meanInterval({ n: 0, sum: 0, sumSquares: 0 }), null);
    assert.equal(meanInterval({ n: 1, sum: 4, sumSquares: 16 }), null);
    assert.equal(meanInterval({ n: 3, sum: 15, sumSquares: 75 }), null);
    assert.equal(welchInterval({ n: 3, sum: 15, sumSquares: 75 }, { n: 4, sum: 20, sumSquares: 100 }), null);
  });

  test('one group without spread still gives an interval from the other (df = n - 1 of that group)', () => {
    const welch = welchInterval({ n: 3, sum: 15, sumSquares: 75 }, b);
    near(welch?.df, 5, 1e-9, 'df');
  });
});

describe('NPS', () => {
  test('score from -100 to 100, null without answers', () => {
    assert.equal(npsScore({ promoters: 50, passives: 30, detractors: 20 }), 30);
    assert.equal(npsScore({ promoters: 0, passives: 0, detractors: 0 }), null);
  });

  test('adjusted Wald by hand: 50/30/20 -> n 103, p+ 50.75/103, p- 20.75/103, interval 14.05 to 44.20', () => {
    // score = 0.291262; variance = 0.492718 + 0.201456 - 0.291262^2 = 0.609340;
    // half = 1.959964 * sqrt(0.609340 / 103) = 0.150750.
    nearInterval(
      npsInterval({ promoters: 50, passives: 30, detractors: 20 }),
      [14.0512, 44.2012],
      1e-3,
      'nps',
    );
  });

  test('all promoters: the interval stays below 100 and does not collapse to a point', () => {
    const ci = npsInterval({ promoters: 10, passives: 0, detractors: 0 })!;
    assert.ok(ci[0] > 0 && ci[0] < 90, `low ${ci[0]}`);
    assert.equal(ci[1], 100);
    assert.equal(npsInterval({ promoters: 0, passives: 0, detractors: 0 }), null);
  });

  test('difference by hand: 50/30/20 vs 40/30/30', () => {
    // Treatment as above (0.291262, variance 0.609340, n 103). Holdout: p+ 40.75/103 = 0.395631,
    // p- 30.75/103 = 0.298544, score 0.097087, variance 0.694175 - 0.009426 = 0.684749.
    // half = 1.959964 * sqrt((0.609341 + 0.684749) / 103) = 1.959964 * 0.112089 = 0.219691;
    // centre 0.291262 - 0.097087 = 0.194175 -> -0.025516 to 0.413866.
    const lift = npsLift(
      { promoters: 50, passives: 30, detractors: 20 },
      { promoters: 40, passives: 30, detractors: 30 },
    );
    assert.equal(lift.difference, 20);
    nearInterval(lift.ci95, [-2.5516, 41.3866], 2e-3, 'nps difference');
    assert.equal(lift.method, 'nps-adjusted-wald');
  });
});

describe('power', () => {
  test("p 0.05 against 0.07: 2212.2 per group, as R's power.prop.test(p1 = .05, p2 = .07, power = .8)", () => {
    // (1.959964 * sqrt(2 * 0.06 * 0.94) + 0.841621 * sqrt(0.05 * 0.95 + 0.07 * 0.93))^2 / 0.02^2
    // = (0.658268 + 0.282420)^2 / 0.0004 = 2212.2
    near(proportionSampleSize(0.05, 0.07), 2212.2, 0.1);
    // R's own documented example: power.prop.test(p1 = .50, p2 = .75, power = .90) => n = 76.7
    near(proportionSampleSize(0.5, 0.75, 0.05, 0.9), 76.7, 0.05);
    assert.equal(proportionSampleSize(0.05, 0.05), null);
  });

  test('means: 2 * sigma^2 * 2.801585^2 / delta^2 (sigma 1, delta 0.2 -> 392.4; the t-based power.t.test says 393.4)', () => {
    near(meanSampleSize(1, 0.2), 392.44, 0.01);
    assert.equal(meanSampleSize(0, 0.2), null);
  });

  test('MDE: 2.801585 * sqrt(p(1 - p) * (1/n1 + 1/n2)); p 0.05, 1,000 each -> 2.73 points', () => {
    near(minimumDetectableEffect(0.05 * 0.95, 1000, 1000), 0.027306, 1e-6);
    assert.equal(minimumDetectableEffect(0, 1000, 1000), null);
    assert.equal(minimumDetectableEffect(0.0475, 0, 1000), null);
  });

  test('more per group: equal groups need the difference; unequal groups solve 1/(n1+m) + 1/(n2+m) = 2/N', () => {
    assert.equal(morePerGroup(2000, 1500, 1500), 500);
    assert.equal(morePerGroup(2000, 0, 0), 2000);
    assert.equal(morePerGroup(2000, 5000, 5000), 0);
    // 9,000 and 1,000: m = 257 gives 1/9257 + 1/1257 = 0.000903577 <= 2/2212.2 = 0.000904077.
    const m = morePerGroup(2212.2, 9000, 1000);
    assert.equal(m, 257);
    assert.ok(1 / (9000 + m) + 1 / (1000 + m) <= 2 / 2212.2);
    assert.ok(1 / (9000 + m - 1) + 1 / (1000 + m - 1) > 2 / 2212.2);
  });

  test('about: counts said the way a person says them', () => {
    assert.equal(about(3412), '3,400');
    assert.equal(about(187), '190');
    assert.equal(about(42), '42');
    assert.equal(about(1), '1');
  });
});

describe('rateLift', () => {
  test('a clear fall in returns reads as the program lowering them, with the interval turned to match', () => {
    const lift = rateLift('return_rate', { events: 80, n: 1500 }, { events: 120, n: 1500 });
    assert.equal(lift.better, 'lower');
    assert.equal(lift.method, 'newcombe-wilson');
    assert.deepEqual(lift.treatment, { n: 1500, value: 80 / 1500 });
    near(lift.difference, -0.026667, 1e-6);
    assert.ok(lift.ci95 && lift.ci95[1] < 0);
    assert.equal(lift.neededPerGroup, null);
    // pooled p = 200/3000; 2.801585 * sqrt(0.066667 * 0.933333 * 2/1500) = 0.025518
    near(lift.mde, 0.025518, 1e-6);
    assert.equal(lift.verdict, 'The program lowers returns by 2.7 points (95% CI 0.9 to 4.5).');
  });

  test('a harmful effect is said as plainly: more cancellations', () => {
    const lift = rateLift('cancel_rate', { events: 120, n: 1500 }, { events: 80, n: 1500 });
    assert.equal(lift.verdict, 'The program raises cancellations by 2.7 points (95% CI 0.9 to 4.5).');
  });

  test('repeat purchases: higher is better', () => {
    const lift = rateLift('repeat_purchase_rate', { events: 300, n: 1000 }, { events: 200, n: 1000 });
    assert.equal(lift.better, 'higher');
    assert.match(lift.verdict, /^The program raises repeat purchases by 10\.0 points \(95% CI /);
  });

  test('too few customers: how many more per group to see 2 points', () => {
    const lift = rateLift('return_rate', { events: 50, n: 1000 }, { events: 52, n: 1000 });
    // holdout 0.052 against 0.032: power.prop.test(p1 = .052, p2 = .032) gives 1,577.9 per group -> 578 more each.
    assert.equal(lift.neededPerGroup, 578);
    assert.equal(
      lift.verdict,
      'Not enough customers yet: about 580 more per group are needed to see a 2-point change in returns; so far the difference is -0.2 points (95% CI -2.2 to 1.8).',
    );
  });

  test('enough customers and still nothing: no clear effect', () => {
    const lift = rateLift('return_rate', { events: 400, n: 8000 }, { events: 410, n: 8000 });
    assert.equal(lift.neededPerGroup, 0);
    assert.match(
      lift.verdict,
      /^No clear effect on returns yet: the difference is -0\.1 points \(95% CI -0\.8 to 0\.6\)\.$/,
    );
  });

  test('a target effect of one point asks for more customers than two', () => {
    const two = rateLift('return_rate', { events: 50, n: 1000 }, { events: 52, n: 1000 });
    const one = rateLift(
      'return_rate',
      { events: 50, n: 1000 },
      { events: 52, n: 1000 },
      { targetEffect: 0.01 },
    );
    assert.ok(one.neededPerGroup! > two.neededPerGroup!);
    assert.match(one.verdict, /to see a 1-point change in returns/);
  });

  test('no holdout, no program customers, nothing at all: said, and no NaN anywhere', () => {
    const cases = [
      rateLift('return_rate', { events: 50, n: 1000 }, { events: 0, n: 0 }),
      rateLift('return_rate', { events: 0, n: 0 }, { events: 5, n: 100 }),
      rateLift('return_rate', { events: 0, n: 0 }, { events: 0, n: 0 }),
      rateLift('cancel_rate', { events: 0, n: 5000 }, { events: 0, n: 5000 }),
      rateLift('cancel_rate', { events: 7, n: 7 }, { events: 3, n: 3 }),
      rateLift('repeat_purchase_rate', { events: 1, n: 1 }, { events: 0, n: 1 }),
    ];
    assert.equal(cases[0]!.verdict, 'No holdout customers in this period: the effect cannot be measured.');
    assert.equal(cases[1]!.verdict, 'No program customers in this period: the effect cannot be measured.');
    assert.equal(cases[2]!.verdict, 'No holdout customers in this period: the effect cannot be measured.');
    // Zero cancellations in both: nothing varies, so no MDE, but the interval is real and tight.
    assert.equal(cases[3]!.mde, null);
    assert.equal(
      cases[3]!.verdict,
      'No clear effect on cancellations yet: the difference is 0.0 points (95% CI -0.1 to 0.1).',
    );
    assertFinite(cases);
  });
});

test('impossible input is an error that names the field, not a verdict', () => {
  assert.throws(
    () => rateLift('return_rate', { events: 5, n: 4 }, { events: 0, n: 0 }),
    /treatment\.events \(5\) cannot exceed treatment\.n/,
  );
  assert.throws(() => rateLift('return_rate', { events: 1, n: 4 }, { events: -1, n: 3 }), /holdout\.events/);
  assert.throws(
    () => rateLift('return_rate', { events: 1, n: 4 }, { events: 1, n: 3 }, { targetEffect: 0 }),
    /targetEffect/,
  );
  assert.throws(
    () =>
      npsLift(
        { promoters: Number.NaN, passives: 0, detractors: 0 },
        { promoters: 1, passives: 0, detractors: 0 },
      ),
    /promoters/,
  );
});

describe('meanLift (CSAT)', () => {
  test('Welch interval, MDE from the pooled variance, verdict on the 1-5 scale', () => {
    // 100 answers each: counts of 1..5 = 3,5,14,36,42 (mean 4.09) and 5,7,18,35,35 (mean 3.88);
    // SciPy ttest_ind(equal_var=False): df 196.09, CI -0.0885 to 0.5085.
    const treatment = fromCounts([3, 5, 14, 36, 42]);
    const holdout = fromCounts([5, 7, 18, 35, 35]);
    const lift = meanLift('csat', treatment, holdout);
    near(lift.difference, 0.21, 1e-9);
    nearInterval(lift.ci95, [-0.088465, 0.508465], 1e-5, 'csat');
    assert.equal(lift.method, 'welch-t');
    assert.equal(lift.better, 'higher');
    assert.ok(lift.neededPerGroup! > 0);
    assert.match(
      lift.verdict,
      /^Not enough answers yet: about [\d,]+ more per group are needed to see a 0\.2 change in CSAT; so far the difference is 0\.21 \(95% CI -0\.09 to 0\.51\)\.$/,
    );
  });

  test('a clear rise in satisfaction', () => {
    const lift = meanLift('csat', fromCounts([30, 50, 140, 360, 420]), fromCounts([50, 70, 180, 350, 350]));
    assert.match(lift.verdict, /^The program raises CSAT by 0\.21 \(95% CI 0\.\d\d to 0\.\d\d\)\.$/);
  });

  test('tiny, constant or empty samples give nulls and words, never NaN', () => {
    const cases = [
      meanLift('csat', { n: 3, sum: 15, sumSquares: 75 }, { n: 3, sum: 15, sumSquares: 75 }),
      meanLift('csat', { n: 1, sum: 4, sumSquares: 16 }, { n: 1, sum: 2, sumSquares: 4 }),
      meanLift('csat', { n: 10, sum: 40, sumSquares: 170 }, { n: 0, sum: 0, sumSquares: 0 }),
    ];
    assert.equal(cases[0]!.ci95, null);
    assert.equal(cases[0]!.verdict, 'Not enough answers yet to measure the effect on CSAT.');
    assert.equal(cases[1]!.ci95, null);
    assert.equal(cases[2]!.verdict, 'No holdout answers in this period: the effect cannot be measured.');
    assertFinite(cases);
  });
});

describe('npsLift', () => {
  test('a clear rise in NPS, and the edges', () => {
    const clear = npsLift(
      { promoters: 420, passives: 360, detractors: 220 },
      { promoters: 350, passives: 350, detractors: 300 },
    );
    assert.match(clear.verdict, /^The program raises NPS by 15\.0 points \(95% CI \d+\.\d to \d+\.\d\)\.$/);
    const allPromoters = npsLift(
      { promoters: 5, passives: 0, detractors: 0 },
      { promoters: 5, passives: 0, detractors: 0 },
    );
    assert.equal(allPromoters.difference, 0);
    assert.ok(allPromoters.ci95);
    assert.equal(allPromoters.mde, null);
    const empty = npsLift(
      { promoters: 5, passives: 1, detractors: 0 },
      { promoters: 0, passives: 0, detractors: 0 },
    );
    assert.equal(empty.verdict, 'No holdout answers in this period: the effect cannot be measured.');
    assertFinite([clear, allPromoters, empty]);
  });
});

function fromCounts(counts: number[]) {
  let n = 0;
  let sum = 0;
  let sumSquares = 0;
  counts.forEach((count, i) => {
    n += count;
    sum += count * (i + 1);
    sumSquares += count * (i + 1) ** 2;
  });
  return { n, sum, sumSquares };
}

/** Every number in a lift is finite or null: JSON has no NaN and a report must not show one. */
function assertFinite(lifts: object[]): void {
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} is ${value}`);
    else if (value && typeof value === 'object')
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`);
  };
  lifts.forEach((lift, i) => walk(lift, `lift[${i}]`));
}
