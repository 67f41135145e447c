// Survey answers traced to the step that asked them, picked the same way by every store from the
// `survey.answered` events it read: the touch point id (`playbook:order:step`, a renewal step's
// key carrying its cycle as `.N`) names the step, and a later answer to the same touch point
// replaces an earlier one, as it does for the customer's temperature.
import { SURVEYS, type Millis, type Survey } from '../../core/domain.js';
import type { StepAnswer, StepAnswerQuery, StepAnswers } from '../ports/gaps.js';

export interface AnswerEvent {
  id: string;
  customerId: string;
  at: Millis;
  data: Record<string, unknown>;
}

/** `reassure:o-1:renewal-notice.2` -> reassure / renewal-notice; null for anything else. */
export function stepOfTouchPoint(touchPointId: string): { playbook: string; step: string } | null {
  const first = touchPointId.indexOf(':');
  const last = touchPointId.lastIndexOf(':');
  if (first <= 0 || last === first) return null;
  const step = touchPointId.slice(last + 1).replace(/\.\d+$/, '');
  return step === '' ? null : { playbook: touchPointId.slice(0, first), step };
}

/**
 * `events` as read in customer id order, `limit + 1` at most when a limit was given: a full read
 * means there may be more, so the last customer (perhaps cut) is dropped and the rest kept whole.
 */
export function limitedStepAnswers(events: AnswerEvent[], query: StepAnswerQuery): StepAnswers {
  const limit = query.limit;
  if (limit === undefined || events.length <= limit)
    return { answers: pickStepAnswers(events, query), complete: true };
  const last = events[events.length - 1]!.customerId;
  const whole = events.filter((e) => e.customerId !== last);
  return { answers: pickStepAnswers(whole, query), complete: false };
}

export function pickStepAnswers(events: readonly AnswerEvent[], query: StepAnswerQuery): StepAnswer[] {
  const steps = new Set(query.steps);
  const latest = new Map<string, { event: AnswerEvent; answer: StepAnswer }>();
  for (const event of events) {
    const { touchPointId, survey, score } = event.data;
    if (typeof touchPointId !== 'string' || typeof score !== 'number' || !Number.isFinite(score)) continue;
    if (!(SURVEYS as readonly unknown[]).includes(survey)) continue;
    const where = stepOfTouchPoint(touchPointId);
    if (where === null || where.playbook !== query.playbook || !steps.has(where.step)) continue;
    const seen = latest.get(touchPointId);
    if (
      seen !== undefined &&
      (seen.event.at > event.at || (seen.event.at === event.at && seen.event.id > event.id))
    ) {
      continue;
    }
    latest.set(touchPointId, {
      event,
      answer: { customerId: event.customerId, ...where, survey: survey as Survey, score, at: event.at },
    });
  }
  return [...latest.values()]
    .map((l) => l.answer)
    .sort(
      (a, b) =>
        (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0) ||
        (a.step < b.step ? -1 : a.step > b.step ? 1 : 0) ||
        a.at - b.at ||
        a.score - b.score,
    );
}
