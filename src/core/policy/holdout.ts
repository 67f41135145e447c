// The holdout group gets only what it would get without Aftercare (transactional messages), so
// the program's effect can be measured against it; and, unless AFTERCARE_MEASUREMENT is off, the
// measurement surveys, the same question at the same time for both groups, so satisfaction and
// NPS can be compared at all.
import type { Purpose } from '../domain.js';
import type { Step } from '../playbook/types.js';
import { skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

/**
 * Whether a holdout customer gets a touch point of this purpose and step. Also what their plan
 * page shows (http/public/plan.ts), so the page promises nothing they will not get.
 */
export function reachesHoldout(
  purpose: Purpose,
  step: Pick<Step, 'measurement'> | null,
  config: Pick<PolicyConfig, 'measurementSurveys'>,
): boolean {
  if (purpose === 'transactional') return true;
  return config.measurementSurveys && step?.measurement === true;
}

export function checkHoldout(
  ctx: DispatchContext,
  step: Step | null,
  config: Pick<PolicyConfig, 'measurementSurveys'>,
): Decision | null {
  if (!ctx.enrollment.holdout && !ctx.touchPoint.holdout) return null;
  return reachesHoldout(ctx.touchPoint.purpose, step, config) ? null : skip('holdout');
}
