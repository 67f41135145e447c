// The plain sentence under each lift: what the interval says, in the metric's own words and
// units, for a business owner rather than a statistician.
import type { LiftMetric } from './lift.js';

interface Wording {
  /** What grows or shrinks: "returns", "CSAT". */
  noun: string;
  /** Who is counted: customers for outcomes, answers for surveys. */
  unit: 'customers' | 'answers';
  /** Shown value = metric value * scale (fractions become percentage points). */
  scale: number;
  decimals: number;
  /** After a number: " points" for rates and NPS, "" for the 1-5 CSAT scale. */
  suffix: string;
}

const WORDING: Record<LiftMetric, Wording> = {
  return_rate: { noun: 'returns', unit: 'customers', scale: 100, decimals: 1, suffix: ' points' },
  repeat_purchase_rate: {
    noun: 'repeat purchases',
    unit: 'customers',
    scale: 100,
    decimals: 1,
    suffix: ' points',
  },
  cancel_rate: { noun: 'cancellations', unit: 'customers', scale: 100, decimals: 1, suffix: ' points' },
  csat: { noun: 'CSAT', unit: 'answers', scale: 1, decimals: 2, suffix: '' },
  nps: { noun: 'NPS', unit: 'answers', scale: 1, decimals: 1, suffix: ' points' },
};

export interface VerdictInput {
  metric: LiftMetric;
  treatmentN: number;
  holdoutN: number;
  difference: number | null;
  ci: [number, number] | null;
  /** Customers (answers) still needed per group to see `targetEffect`; null when unknown or not asked. */
  neededPerGroup: number | null;
  targetEffect: number;
}

export function verdict(input: VerdictInput): string {
  const w = WORDING[input.metric];
  if (input.holdoutN === 0) return `No holdout ${w.unit} in this period: the effect cannot be measured.`;
  if (input.treatmentN === 0) return `No program ${w.unit} in this period: the effect cannot be measured.`;
  const target = targetPhrase(w, input.targetEffect);
  const { difference: d, ci } = input;
  if (d === null || ci === null) {
    return input.neededPerGroup !== null && input.neededPerGroup > 0
      ? `Not enough ${w.unit} yet: ${more(input.neededPerGroup)} to see ${target}.`
      : `Not enough ${w.unit} yet to measure the effect on ${w.noun}.`;
  }
  if (ci[0] > 0 || ci[1] < 0) {
    const up = d > 0;
    const [low, high] = up ? ci : [-ci[1], -ci[0]];
    return `The program ${up ? 'raises' : 'lowers'} ${w.noun} by ${number(w, Math.abs(d))}${w.suffix} (95% CI ${number(w, low)} to ${number(w, high)}).`;
  }
  const sofar = `${number(w, d)}${w.suffix} (95% CI ${number(w, ci[0])} to ${number(w, ci[1])})`;
  if (input.neededPerGroup !== null && input.neededPerGroup > 0) {
    return `Not enough ${w.unit} yet: ${more(input.neededPerGroup)} to see ${target}; so far the difference is ${sofar}.`;
  }
  return `No clear effect on ${w.noun} yet: the difference is ${sofar}.`;
}

/** "about 3,400 more per group are needed"; one is one. */
function more(count: number): string {
  return count === 1 ? 'one more per group is needed' : `about ${about(count)} more per group are needed`;
}

/** "a 2-point change in returns", "a 0.2 change in CSAT". */
function targetPhrase(w: Wording, effect: number): string {
  const size = trim(Math.abs(effect) * w.scale);
  return w.suffix ? `a ${size}-point change in ${w.noun}` : `a ${size} change in ${w.noun}`;
}

function number(w: Wording, value: number): string {
  const text = (value * w.scale).toFixed(w.decimals);
  // -0.0 reads as a sign the data do not have.
  return Number(text) === 0 ? (0).toFixed(w.decimals) : text;
}

function trim(value: number): string {
  return String(Number(value.toFixed(2)));
}

/** A count rounded as a person would say it: 3,412 -> "3,400", 187 -> "190", 42 -> "42". */
export function about(count: number): string {
  const digits = Math.floor(Math.log10(Math.max(1, count))) + 1;
  const keep = count >= 100 ? 2 : digits;
  const step = 10 ** Math.max(0, digits - keep);
  return (Math.round(count / step) * step).toLocaleString('en-US');
}
