// How a playbook step reads on the dashboard: its timing in words ("1d after delivered, at 10:00
// the customer's time"), its conditions ("segment = b2b and order.total_base ≥ 500"), its
// channel, the kind of task a person gets, and the extras (survey, tip, story, measurement).
// Shared by the playbook's page, its timeline and the versions compared side by side.
import { FOLLOW_UP_MOMENTS, MOMENTS } from '../../core/domain.js';
import { formatDuration } from '../../core/playbook/duration.js';
import type { Condition, ConditionOp, Step, StepTiming } from '../../core/playbook/types.js';

/** Moments in lifecycle order, then the customer's own (follow-ups): the timeline's lanes. */
export const MOMENT_ORDER: readonly string[] = [...MOMENTS, ...FOLLOW_UP_MOMENTS];

export function momentRank(moment: string): number {
  const at = MOMENT_ORDER.indexOf(moment);
  return at < 0 ? MOMENT_ORDER.length : at;
}

export function localTimeText(timing: StepTiming): string | null {
  const at = timing.atLocal;
  return at === null ? null : `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
}

/** `on shipped`, `1d after delivered, at 10:00`, `30d before renewal, at 10:00`. */
export function timingText(timing: StepTiming): string {
  const { moment, offsetMs } = timing;
  const base =
    offsetMs === 0
      ? `on ${moment}`
      : `${formatDuration(Math.abs(offsetMs))} ${offsetMs < 0 ? 'before' : 'after'} ${moment}`;
  const at = localTimeText(timing);
  return at === null ? base : `${base}, at ${at}`;
}

/** `+1d`, `−30d`, `0` for the offset column. */
export function offsetText(offsetMs: number): string {
  if (offsetMs === 0) return '0';
  return `${offsetMs < 0 ? '−' : '+'}${formatDuration(Math.abs(offsetMs))}`;
}

const OP_TEXT: Record<ConditionOp, string> = {
  eq: '=',
  ne: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'in',
  not_in: 'not in',
  contains: 'contains',
  exists: 'exists',
};

function valueText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? 'null';
}

/** A condition as a person reads it; the top-level `all` is a plain "and". */
export function conditionText(condition: Condition | null, nested = false): string {
  if (condition === null) return '';
  if ('all' in condition) {
    const parts = condition.all.map((c) => conditionText(c, true));
    const joined = parts.join(' and ');
    return nested && parts.length > 1 ? `(${joined})` : joined;
  }
  if ('any' in condition) {
    const parts = condition.any.map((c) => conditionText(c, true));
    const joined = parts.join(' or ');
    return parts.length > 1 ? `(${joined})` : joined;
  }
  if ('not' in condition) return `not ${conditionText(condition.not, true)}`;
  if (condition.op === 'exists')
    return condition.value === false ? `${condition.field} missing` : `${condition.field} exists`;
  return `${condition.field} ${OP_TEXT[condition.op]} ${valueText(condition.value)}`;
}

/** `call` for `task:call`; null for a message channel. */
export function taskKind(step: Step): string | null {
  return step.channel.startsWith('task:') ? step.channel.slice('task:'.length) : null;
}

/** Survey, tip, story and measurement, in words; empty when none. */
export function extrasText(step: Step): string {
  const parts: string[] = [];
  if (step.survey !== null) parts.push(`${step.survey.toUpperCase()} survey`);
  if (step.measurement === true) parts.push('measurement (holdout asked too)');
  if (step.tip !== undefined) parts.push(`tip ${step.tip}`);
  if (step.story === true) parts.push('customer story');
  return parts.join(', ');
}

/** Every field of a step that can change between versions, as text (the versions compared). */
export function stepFields(step: Step): Record<string, string> {
  return {
    timing: timingText(step.timing),
    channel: step.channel,
    template: step.template,
    purpose: step.purpose,
    when: conditionText(step.when),
    'cancel on': step.cancelOn.join(', '),
    survey: step.survey ?? '',
    owner: step.owner ?? '',
    extras: extrasText(step),
    description: step.description ?? '',
  };
}
