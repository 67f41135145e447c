// The effect the demo's simulated customers have built in, stated openly so nobody mistakes the
// demo's report for evidence: customers in the holdout group return and cancel a little more,
// come back to buy again a little less, and answer the measurement surveys a little lower. The
// report of a demo finds this effect again (or says it needs more customers to see it); on real
// data it finds whatever the program really does. docs/measuring-surveys.md#the-demo.
import type { Survey } from '../../core/domain.js';
import { ANSWER_COMMENTS } from './catalog.js';
import type { Random } from './random.js';

/** Which world a simulated customer lives in: the program's (treatment) or the holdout's. */
export type DemoGroup = 'treatment' | 'holdout';

export const DEMO_EFFECT = Object.freeze({
  /** Share of delivered consumer orders sent back. */
  returnRate: { treatment: 0.05, holdout: 0.09 },
  /** Share of orders cancelled within a day of being placed. */
  cancelRate: { treatment: 0.025, holdout: 0.04 },
  /** Share of a returning customer's later orders that a holdout customer does not place. */
  holdoutForgoesRepeat: 0.35,
  /** Share of measurement surveys answered: the same for both groups (the same instrument). */
  answerRate: 0.45,
  /** NPS bands (detractor, passive, promoter) by group, and for an order that went wrong. */
  npsBands: {
    treatment: [1, 3, 6],
    holdout: [2, 3.5, 4.5],
    troubled: { treatment: [5, 3, 2], holdout: [6, 3, 1] },
  },
  /** CSAT 1..5 weights by group, and for an order that went wrong. */
  csatWeights: {
    treatment: [2, 4, 12, 42, 40],
    holdout: [4, 7, 17, 42, 30],
    troubled: { treatment: [15, 20, 30, 25, 10], holdout: [20, 25, 30, 18, 7] },
  },
});

/**
 * One draw decides a fact for both groups (common random numbers): it happens in the treatment
 * world when `u` is below the treatment's rate and in the holdout's when below the holdout's,
 * so a fact that happens only in one world is the effect and nothing else.
 */
export function factFor(u: number, rates: { treatment: number; holdout: number }): DemoGroup[] {
  return (['treatment', 'holdout'] as const).filter((group) => u < rates[group]);
}

export interface DemoAnswer {
  score: number;
  comment: string | null;
}

/** A simulated customer's answer to a survey, or null when they do not answer. */
export function demoAnswer(
  r: Random,
  survey: Survey,
  group: DemoGroup,
  troubled: boolean,
): DemoAnswer | null {
  if (!r.chance(DEMO_EFFECT.answerRate)) return null;
  if (survey === 'csat') {
    const weights = troubled ? DEMO_EFFECT.csatWeights.troubled[group] : DEMO_EFFECT.csatWeights[group];
    const score = r.weighted(weights.map((w, i) => [i + 1, w] as const));
    const band = score <= 2 ? 'detractor' : score === 3 ? 'passive' : 'promoter';
    return { score, comment: r.chance(0.4) ? r.pick(ANSWER_COMMENTS[band]) : null };
  }
  const weights = troubled ? DEMO_EFFECT.npsBands.troubled[group] : DEMO_EFFECT.npsBands[group];
  const band = r.weighted([
    ['detractor', weights[0]!],
    ['passive', weights[1]!],
    ['promoter', weights[2]!],
  ] as const);
  const score = band === 'detractor' ? r.int(0, 6) : band === 'passive' ? r.int(7, 8) : r.int(9, 10);
  return { score, comment: r.chance(0.6) ? r.pick(ANSWER_COMMENTS[band]) : null };
}
