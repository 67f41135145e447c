// A step's `when:` must still hold when it is sent: the customer or order may have changed
// since it was planned (a concern raised, a total corrected).
import type { Step } from '../playbook/types.js';
import { conditionFacts, evaluateCondition } from '../playbook/conditions.js';
import { skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

export function checkConditions(ctx: DispatchContext, step: Step, config: PolicyConfig): Decision | null {
  if (step.when === null) return null;
  const facts = conditionFacts(ctx.customer, ctx.order, ctx.now, config.currency);
  return evaluateCondition(step.when, facts) ? null : skip('condition_not_met');
}
