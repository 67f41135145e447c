// One message of a kind per customer per window: two programs (or two orders' enrollments) with
// the same step, or the same template, would otherwise send the customer the same words twice in
// a day. The first one goes; the dispatcher coalesces those due together into one naming every
// order (engine/dispatch/coalesce.ts); a later one is skipped here.
import type { Step } from '../playbook/types.js';
import { isoMinute } from './preferences.js';
import { skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig, RecentStep } from './types.js';

/** Whether the policy looks at this touch point: optional e-mail and SMS, as the frequency cap. */
export function sameStepApplies(ctx: Pick<DispatchContext, 'touchPoint'>): boolean {
  const { purpose, channel } = ctx.touchPoint;
  return purpose !== 'transactional' && (channel === 'email' || channel === 'sms');
}

/**
 * The same step: the same step key (in any program), or the same template in another program
 * (one program may well word two of its own steps with one template).
 */
export function sameKind(
  sent: Pick<RecentStep, 'playbook' | 'stepKey' | 'template'>,
  playbook: string,
  step: Step,
): boolean {
  return sent.stepKey === step.key || (sent.template === step.template && sent.playbook !== playbook);
}

export function checkSameStep(ctx: DispatchContext, step: Step, config: PolicyConfig): Decision | null {
  if (config.sameStepWindowMs <= 0 || !sameStepApplies(ctx)) return null;
  let last: RecentStep | null = null;
  for (const sent of ctx.recentSteps) {
    if (sent.at > ctx.now - config.sameStepWindowMs && sameKind(sent, ctx.touchPoint.playbook, step))
      last = sent;
  }
  if (last === null) return null;
  return skip('same_step_recently', `${last.playbook} ${last.stepKey} sent ${isoMinute(last.at)}`);
}
