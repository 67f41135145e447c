// The planner: which touch points one enrollment should have, given what is known about the
// order and the customer now. Pure; intake writes the plan it returns.
import {
  isFollowUpMoment,
  type Customer,
  type Enrollment,
  type Millis,
  type Moment,
  type Moments,
  type Order,
  type TouchPoint,
} from './domain.js';
import { effectiveMoments, hasArrived, programExitAmong } from './lifecycle.js';
import { resolveZone } from './localTime.js';
import {
  SEND_TIME_FIELDS,
  conditionFactsFor,
  conditionFields,
  evaluateKnown,
} from './playbook/conditions.js';
import type { Playbook, Step } from './playbook/types.js';
import { reason, type Reason } from './reasons.js';
import { dueAtFor } from './timing.js';

const DEFAULT_STALE_AFTER_MS: Millis = 3 * 86_400_000;

export interface PlanInput {
  playbook: Playbook;
  customer: Customer;
  order: Order;
  enrollment: Enrollment;
  /** Touch points that exist already (those of other enrollments are ignored). */
  existing: TouchPoint[];
  now: Millis;
  defaultTimezone: string;
  /**
   * The customer and order as they were before the event being planned for. When given, a
   * scheduled touch point is moved only if its planned time changed with this event, so a move
   * by hand or a policy's defer survives events that have nothing to do with it.
   */
  previous?: { customer: Customer; order: Order } | null;
}

export interface TouchPointPlan {
  insert: TouchPoint[];
  reschedule: { id: string; dueAt: Millis }[];
  cancel: { id: string; reason: Reason }[];
}

/** What one step should be now: due at a time, or not planned (with why, if it was). */
type StepVerdict = { kind: 'due'; dueAt: Millis } | { kind: 'none'; reason: Reason };

interface Situation {
  order: Order;
  moments: Moments;
  zone: string;
  now: Millis;
  exit: Moment | null;
  facts: Record<string, unknown>;
}

export function planTouchPoints(input: PlanInput): TouchPointPlan {
  const { playbook, enrollment, now } = input;
  const situation = situationOf(playbook, input.customer, input.order, now, input.defaultTimezone);
  // The situation before the event, worked out only if a move needs it (no closure: this runs
  // for every step of every event).
  let before: Situation | null | undefined;
  const staleAfter = Number.isFinite(playbook.staleAfterMs) ? playbook.staleAfterMs : DEFAULT_STALE_AFTER_MS;

  const byStep = new Map<string, TouchPoint>();
  for (const tp of input.existing) {
    if (tp.enrollmentId === enrollment.id && !byStep.has(tp.stepKey)) byStep.set(tp.stepKey, tp);
  }

  const plan: TouchPointPlan = { insert: [], reschedule: [], cancel: [] };
  for (const step of playbook.steps) {
    // Follow-ups are the listener's: timed from what the customer did, not from this order.
    if (isFollowUpMoment(step.timing.moment)) continue;
    const verdict = judgeStep(step, playbook, situation);
    const current = byStep.get(step.key);
    if (current === undefined) {
      if (verdict.kind === 'due') {
        plan.insert.push(newTouchPoint(step, verdict.dueAt, input, now - verdict.dueAt > staleAfter));
      }
      continue;
    }
    // Claimed ones belong to a dispatcher; final ones are history.
    if (current.status !== 'scheduled') continue;
    if (verdict.kind === 'none') {
      plan.cancel.push({ id: current.id, reason: verdict.reason });
      continue;
    }
    if (verdict.dueAt === current.dueAt) continue;
    before ??= input.previous
      ? situationOf(playbook, input.previous.customer, input.previous.order, now, input.defaultTimezone)
      : null;
    const earlier = before;
    const previous = earlier ? judgeStep(step, playbook, earlier) : null;
    if (previous?.kind === 'due' && previous.dueAt === verdict.dueAt) continue;
    plan.reschedule.push({ id: current.id, dueAt: verdict.dueAt });
  }
  const steps = stepKeys(playbook);
  for (const tp of byStep.values()) {
    if (tp.status !== 'scheduled' || steps.has(tp.stepKey)) continue;
    const why = situation.exit !== null ? reason('program_ended', situation.exit) : reason('step_removed');
    plan.cancel.push({ id: tp.id, reason: why });
  }
  return plan;
}

/** The step keys of a playbook, worked out once per playbook. */
const STEP_KEYS = new WeakMap<Playbook, ReadonlySet<string>>();

function stepKeys(playbook: Playbook): ReadonlySet<string> {
  let keys = STEP_KEYS.get(playbook);
  if (keys === undefined) {
    keys = new Set(playbook.steps.map((step) => step.key));
    STEP_KEYS.set(playbook, keys);
  }
  return keys;
}

/** The fields a playbook's conditions test, worked out once per playbook. */
const FACT_FIELDS = new WeakMap<Playbook, string[]>();

function factFields(playbook: Playbook): string[] {
  let fields = FACT_FIELDS.get(playbook);
  if (fields === undefined) {
    const all = new Set<string>();
    for (const step of playbook.steps) if (step.when !== null) conditionFields(step.when, all);
    fields = [...all];
    FACT_FIELDS.set(playbook, fields);
  }
  return fields;
}

function situationOf(
  playbook: Playbook,
  customer: Customer,
  order: Order,
  now: Millis,
  defaultTimezone: string,
): Situation {
  const moments = effectiveMoments(order, playbook);
  return {
    order,
    moments,
    zone: resolveZone(customer.timezone, defaultTimezone),
    now,
    exit: programExitAmong(order, playbook, moments, now),
    facts: conditionFactsFor(factFields(playbook), customer, order, now),
  };
}

function judgeStep(step: Step, playbook: Playbook, s: Situation): StepVerdict {
  const moment = step.timing.moment;
  if (isFollowUpMoment(moment)) return { kind: 'none', reason: reason('moment_unknown', moment) };
  // After an exit only the steps that answer it (e.g. a return follow-up) go on.
  if (
    s.exit !== null &&
    !(playbook.exitOn.includes(moment) && hasArrived(moment, s.order, s.moments, s.now))
  ) {
    return { kind: 'none', reason: reason('program_ended', s.exit) };
  }
  for (const cancelledBy of step.cancelOn) {
    if (hasArrived(cancelledBy, s.order, s.moments, s.now))
      return { kind: 'none', reason: reason('exit_moment', cancelledBy) };
  }
  const anchor = s.moments[moment];
  // A moment can become unknown again: a delay derived from the promise vanishes on delivery.
  if (anchor === undefined) return { kind: 'none', reason: reason('moment_unknown', moment) };
  // What the listener may still change (an NPS answer) is decided at send time.
  if (step.when !== null && evaluateKnown(step.when, s.facts, SEND_TIME_FIELDS) === false) {
    return { kind: 'none', reason: reason('condition_not_met') };
  }
  return { kind: 'due', dueAt: dueAtFor(step.timing, anchor, s.zone) };
}

function newTouchPoint(step: Step, dueAt: Millis, input: PlanInput, stale: boolean): TouchPoint {
  const { enrollment, now } = input;
  return {
    id: `${enrollment.id}:${step.key}`,
    enrollmentId: enrollment.id,
    customerId: enrollment.customerId,
    orderId: input.order.id,
    playbook: input.playbook.name,
    playbookVersion: input.playbook.version,
    stepKey: step.key,
    channel: step.channel,
    purpose: step.purpose,
    holdout: enrollment.holdout,
    dueAt,
    // Visible in the schedule but never sent: importing old orders must not flood customers.
    status: stale ? 'skipped' : 'scheduled',
    attempt: 0,
    leaseUntil: null,
    reason: stale ? reason('stale') : null,
    outcomeAt: stale ? now : null,
    createdAt: now,
  };
}
