// Simulated populations with a known effect, for the coverage test and `npm run bench` (group
// `coverage`): draw treatment and holdout from known distributions, compute each lift's 95%
// interval, and count how often it holds the true difference.
import type { Lift } from './lift.js';
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
  /** One simulated population's lift. */
  draw: (random: () => number) => Lift;
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
      return rateLift('return_rate', { events, n: treatmentN }, { events: holdoutEvents, n: holdoutN });
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
    draw: (random) =>
      meanLift(
        'csat',
        csatSample(random, CSAT_TREATMENT, treatmentN),
        csatSample(random, CSAT_HOLDOUT, holdoutN),
      ),
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
    draw: (random) =>
      npsLift(npsSample(random, NPS_TREATMENT, treatmentN), npsSample(random, NPS_HOLDOUT, holdoutN)),
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
}

export function measureCoverage(scenario: Scenario, populations: number, seed: number): Coverage {
  const random = mulberry32(seed);
  let covered = 0;
  let width = 0;
  let withoutInterval = 0;
  for (let i = 0; i < populations; i++) {
    const ci = scenario.draw(random).ci95;
    if (!ci) {
      withoutInterval++;
      continue;
    }
    if (ci[0] <= scenario.truth && scenario.truth <= ci[1]) covered++;
    width += ci[1] - ci[0];
  }
  return {
    method: scenario.method,
    sizes: scenario.sizes,
    populations,
    truth: scenario.truth,
    coverage: covered / populations,
    meanWidth: width / Math.max(1, populations - withoutInterval),
    withoutInterval,
  };
}
