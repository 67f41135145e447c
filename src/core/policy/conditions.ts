// A step's `when:` must still hold when it is sent: the customer or order may have changed
// since it was planned (a concern raised, a total corrected).
import type { Step } from '../playbook/types.js';
import { FOLLOW_UP_FIELD_NAMES, conditionFacts, evaluateKnown } from '../playbook/conditions.js';
import { skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

export function checkConditions(ctx: DispatchContext, step: Step, config: PolicyConfig): Decision | null {
  if (step.when === null) return null;
  const facts = conditionFacts(ctx.customer, ctx.order, ctx.now, config.currency);
  // What a follow-up follows (the answer's score) was decided when it was planned.
  return evaluateKnown(step.when, facts, FOLLOW_UP_FIELD_NAMES) === false ? skip('condition_not_met') : null;
}
