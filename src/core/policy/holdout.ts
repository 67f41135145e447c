// The holdout group gets only what it would get without Aftercare (transactional messages), so
// the program's effect can be measured against it.
import { skip } from './result.js';
import type { Decision, DispatchContext } from './types.js';

export function checkHoldout(ctx: DispatchContext): Decision | null {
  if (ctx.touchPoint.purpose === 'transactional') return null;
  return ctx.enrollment.holdout || ctx.touchPoint.holdout ? skip('holdout') : null;
}
