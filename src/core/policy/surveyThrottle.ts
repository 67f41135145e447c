// At most one survey per customer per interval (default 14 days), across programs and orders:
// a customer asked "how did we do?" twice in a week stops answering either.
import type { Step } from '../playbook/types.js';
import { isoMinute } from './preferences.js';
import { skip } from './result.js';
import type { Decision, DispatchContext, PolicyConfig } from './types.js';

export function checkSurveyThrottle(ctx: DispatchContext, step: Step, config: PolicyConfig): Decision | null {
  if (step.survey === null || config.surveyIntervalMs <= 0) return null;
  let last = null;
  for (const sent of ctx.recentSurveys) {
    if (sent.at > ctx.now - config.surveyIntervalMs && (last === null || sent.at >= last.at)) last = sent;
  }
  if (last === null) return null;
  return skip('survey_throttled', `${last.survey} survey ${last.stepKey} sent ${isoMinute(last.at)}`);
}
