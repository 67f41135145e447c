// Simulated populations with a known effect, for the coverage test and `npm run bench` (group
// `coverage`): draw treatment and holdout from known distributions, compute each lift's 95%
// interval, and count how often it holds the true difference.
import type { Lift } from './lift.js';
import { meanAndVariance, type Interval } from './intervals.js';
import { zCritical } from './quantiles.js';
import type { MeanSample, NpsSample, RateSample } from './samples.js';
import { meanLift, npsLift, rateLift } from './stats.js';

/** mulberry32: a small seeded PRNG, uniform on [0, 1); enough for simulation, not for secrets. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts per category of `n` draws from `probabilities` (which sum to 1). */
function drawCategories(random: () => number, probabilities: readonly number[], n: number): number[] {
  const counts = probabilities.map(() => 0);
  for (let i = 0; i < n; i++) {
    let u = random();
    let k = 0;
    while (k < probabilities.length - 1 && u >= probabilities[k]!) u -= probabilities[k++]!;
    counts[k]!++;
  }
  return counts;
}

export interface Scenario {
  method: string;
  /** Customers (answers) in treatment and holdout. */
  sizes: [number, number];
  /** The true treatment - holdout difference, in the lift's unit. */
  truth: number;
  /**
   * One simulated population: its lift, and the textbook Wald interval on the same data (the
   * peer the benchmark measures beside ours: normal quantile, plain variances, no adjustment).
   */
  draw: (random: () => number) => { lift: Lift; wald: Interval | null };
}

const Z = zCritical();

function waldRates(a: RateSample, b: RateSample): Interval {
  const p1 = a.events / a.n;
  const p2 = b.events / b.n;
  const half = Z * Math.sqrt((p1 * (1 - p1)) / a.n + (p2 * (1 - p2)) / b.n);
  return [p1 - p2 - half, p1 - p2 + half];
}

function waldMeans(a: MeanSample, b: MeanSample): Interval | null {
  const ma = meanAndVariance(a);
  const mb = meanAndVariance(b);
  if (ma.mean === null || mb.mean === null || ma.variance === null || mb.variance === null) return null;
  const half = Z * Math.sqrt(ma.variance / a.n + mb.variance / b.n);
  return [ma.mean - mb.mean - half, ma.mean - mb.mean + half];
}

function waldNps(a: NpsSample, b: NpsSample): Interval {
  const plain = (s: NpsSample) => {
    const n = s.promoters + s.passives + s.detractors;
    const score = (s.promoters - s.detractors) / n;
    return { score, variance: (s.promoters + s.detractors) / n - score * score, n };
  };
  const pa = plain(a);
  const pb = plain(b);
  const half = Z * Math.sqrt(pa.variance / pa.n + pb.variance / pb.n);
  return [100 * (pa.score - pb.score - half), 100 * (pa.score - pb.score + half)];
}

/** Returns: 8% in the holdout, 6% with the program (truth -0.02); by default 1,500 customers each. */
export function rateScenario(treatmentN = 1500, holdoutN = 1500): Scenario {
  return {
    method: 'newcombe-wilson',
    sizes: [treatmentN, holdoutN],
    truth: 0.06 - 0.08,
    draw: (random) => {
      const [events = 0] = drawCategories(random, [0.06, 0.94], treatmentN);
      const [holdoutEvents = 0] = drawCategories(random, [0.08, 0.92], holdoutN);
      const treatment = { events, n: treatmentN };
      const holdout = { events: holdoutEvents, n: holdoutN };
      return { lift: rateLift('return_rate', treatment, holdout), wald: waldRates(treatment, holdout) };
    },
  };
}

// CSAT 1-5 mixes, skewed to the top as real answers are; unequal groups (a 10-20% holdout
// answers fewer surveys), which is where Welch earns its place.
const CSAT_TREATMENT = [0.03, 0.05, 0.14, 0.36, 0.42];
const CSAT_HOLDOUT = [0.05, 0.07, 0.18, 0.35, 0.35];
const csatMean = (p: readonly number[]) => p.reduce((sum, q, i) => sum + q * (i + 1), 0);

function csatSample(random: () => number, probabilities: readonly number[], n: number) {
  const counts = drawCategories(random, probabilities, n);
  let sum = 0;
  let sumSquares = 0;
  counts.forEach((count, i) => {
    sum += count * (i + 1);
    sumSquares += count * (i + 1) ** 2;
  });
  return { n, sum, sumSquares };
}

/** CSAT: by default 400 program answers against 120 holdout answers (truth +0.21 on the 1-5 scale). */
export function csatScenario(treatmentN = 400, holdoutN = 120): Scenario {
  return {
    method: 'welch-t',
    sizes: [treatmentN, holdoutN],
    truth: csatMean(CSAT_TREATMENT) - csatMean(CSAT_HOLDOUT),
    draw: (random) => {
      const treatment = csatSample(random, CSAT_TREATMENT, treatmentN);
      const holdout = csatSample(random, CSAT_HOLDOUT, holdoutN);
      return { lift: meanLift('csat', treatment, holdout), wald: waldMeans(treatment, holdout) };
    },
  };
}

// NPS mixes as [detractors, passives, promoters].
const NPS_TREATMENT = [0.22, 0.36, 0.42];
const NPS_HOLDOUT = [0.3, 0.35, 0.35];

function npsSample(random: () => number, probabilities: readonly number[], n: number) {
  const [detractors = 0, passives = 0, promoters = 0] = drawCategories(random, probabilities, n);
  return { promoters, passives, detractors };
}

/** NPS: by default 400 program answers against 150 holdout answers (truth +15 points). */
export function npsScenario(treatmentN = 400, holdoutN = 150): Scenario {
  return {
    method: 'nps-adjusted-wald',
    sizes: [treatmentN, holdoutN],
    truth: 100 * (NPS_TREATMENT[2]! - NPS_TREATMENT[0]! - (NPS_HOLDOUT[2]! - NPS_HOLDOUT[0]!)),
    draw: (random) => {
      const treatment = npsSample(random, NPS_TREATMENT, treatmentN);
      const holdout = npsSample(random, NPS_HOLDOUT, holdoutN);
      return { lift: npsLift(treatment, holdout), wald: waldNps(treatment, holdout) };
    },
  };
}

/** The realistic sizes the coverage test holds to 93-97%. */
export const SCENARIOS = [rateScenario(), csatScenario(), npsScenario()];
/** Small groups (a first week, a small shop): recorded by the benchmark, not asserted. */
export const SMALL_SCENARIOS = [rateScenario(150, 40), csatScenario(30, 8), npsScenario(40, 12)];

export interface Coverage {
  method: string;
  sizes: [number, number];
  populations: number;
  truth: number;
  /** Share of populations whose 95% interval holds the truth. */
  coverage: number;
  /** Mean interval width, in the lift's unit. */
  meanWidth: number;
  /** Populations that gave no interval (counted as not covering). */
  withoutInterval: number;
  /** The textbook Wald interval on the same populations. */
  wald: { coverage: number; meanWidth: number; withoutInterval: number };
}

class Tally {
  covered = 0;
  width = 0;
  missing = 0;
  add(ci: Interval | null, truth: number): void {
    if (!ci) {
      this.missing++;
      return;
    }
    if (ci[0] <= truth && truth <= ci[1]) this.covered++;
    this.width += ci[1] - ci[0];
  }
  result(populations: number) {
    return {
      coverage: this.covered / populations,
      meanWidth: this.width / Math.max(1, populations - this.missing),
      withoutInterval: this.missing,
    };
  }
}

export function measureCoverage(scenario: Scenario, populations: number, seed: number): Coverage {
  const random = mulberry32(seed);
  const ours = new Tally();
  const wald = new Tally();
  for (let i = 0; i < populations; i++) {
    const drawn = scenario.draw(random);
    ours.add(drawn.lift.ci95, scenario.truth);
    wald.add(drawn.wald, scenario.truth);
  }
  return {
    method: scenario.method,
    sizes: scenario.sizes,
    populations,
    truth: scenario.truth,
    ...ours.result(populations),
    wald: wald.result(populations),
  };
}
