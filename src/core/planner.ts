// The planner: which touch points one enrollment should have, given what is known about the
// order and the customer now. Pure; intake writes the plan it returns. Steps timed from
// `renewal` get one touch point per renewal cycle; a step due before the sale, or a renewal step
// due too close to another step of the program, is kept in the schedule as skipped, with why.
import {
  isFollowUpMoment,
  type ChannelName,
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
import { DEFAULT_CURRENCY_RATES, type CurrencyRates } from './money.js';
import {
  SEND_TIME_FIELDS,
  conditionFactsFor,
  conditionFields,
  evaluateKnown,
} from './playbook/conditions.js';
import type { Playbook, Step } from './playbook/types.js';
import { reason, type Reason } from './reasons.js';
import { baseStepKey, cycleOfStepKey, cycleStepKey } from './renewalCycle.js';
import { dueAtFor } from './timing.js';

const DEFAULT_STALE_AFTER_MS: Millis = 3 * 86_400_000;
const DEFAULT_RENEWAL_GAP_MS: Millis = 3 * 86_400_000;

export interface PlanInput {
  playbook: Playbook;
  customer: Customer;
  order: Order;
  enrollment: Enrollment;
  /** Touch points that exist already (those of other enrollments are ignored). */
  existing: TouchPoint[];
  now: Millis;
  defaultTimezone: string;
  /** The base currency conditions on `order.total_base` compare in (default: USD, no rates). */
  currency?: CurrencyRates;
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

/**
 * What one step should be now: due at a time, not planned (with why, if it was), or kept in the
 * schedule as skipped (due before the sale, too close to another step).
 */
type StepVerdict =
  | { kind: 'due'; dueAt: Millis }
  | { kind: 'none'; reason: Reason }
  | { kind: 'skip'; dueAt: Millis; reason: Reason };

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
  const fx = input.currency ?? DEFAULT_CURRENCY_RATES;
  const situation = situationOf(playbook, input.customer, input.order, now, input.defaultTimezone, fx);
  // The situation before the event, worked out only if a move needs it (no closure: this runs
  // for every step of every event).
  let before: Situation | null | undefined;
  const staleAfter = Number.isFinite(playbook.staleAfterMs) ? playbook.staleAfterMs : DEFAULT_STALE_AFTER_MS;

  const byStep = new Map<string, TouchPoint>();
  for (const tp of input.existing) {
    if (tp.enrollmentId === enrollment.id && !byStep.has(tp.stepKey)) byStep.set(tp.stepKey, tp);
  }

  const cycle = input.order.renewalCycle;
  const verdicts = playbook.steps.map((step) => guardSale(judgeStep(step, playbook, situation), input.order));
  // Renewal steps give way to the rest of the program: worked out only when one is due.
  let taken: Taken | null = null;

  const plan: TouchPointPlan = { insert: [], reschedule: [], cancel: [] };
  playbook.steps.forEach((step, i) => {
    // Follow-ups are the listener's: timed from what the customer did, not from this order.
    if (isFollowUpMoment(step.timing.moment)) return;
    let verdict = verdicts[i]!;
    const renewal = step.timing.moment === 'renewal';
    const key = renewal ? cycleStepKey(step.key, cycle) : step.key;
    if (renewal && verdict.kind === 'due') {
      taken ??= takenTimes(playbook, verdicts, byStep, cycle, now, staleAfter);
      verdict = guardGap(verdict.dueAt, step.channel, taken, playbook.renewalGapMs ?? DEFAULT_RENEWAL_GAP_MS);
    }
    const current = byStep.get(key);
    if (current === undefined) {
      if (verdict.kind === 'due') {
        const stale = now - verdict.dueAt > staleAfter;
        plan.insert.push(newTouchPoint(step, key, verdict.dueAt, input, stale ? reason('stale') : null));
      } else if (verdict.kind === 'skip') {
        plan.insert.push(newTouchPoint(step, key, verdict.dueAt, input, verdict.reason));
      }
      return;
    }
    // Claimed ones belong to a dispatcher; final ones are history.
    if (current.status !== 'scheduled') return;
    if (verdict.kind !== 'due') {
      plan.cancel.push({ id: current.id, reason: verdict.reason });
      return;
    }
    if (verdict.dueAt === current.dueAt) return;
    before ??= input.previous
      ? situationOf(playbook, input.previous.customer, input.previous.order, now, input.defaultTimezone, fx)
      : null;
    const earlier = before;
    const previous = earlier ? judgeStep(step, playbook, earlier) : null;
    if (previous?.kind === 'due' && previous.dueAt === verdict.dueAt) return;
    plan.reschedule.push({ id: current.id, dueAt: verdict.dueAt });
  });
  const steps = stepKeys(playbook);
  for (const tp of byStep.values()) {
    if (tp.status !== 'scheduled') continue;
    const base = baseStepKey(tp.stepKey);
    if (steps.all.has(base)) {
      // A renewal step of a cycle already renewed: the renewal it was about has passed.
      if (steps.renewal.has(base) && cycleOfStepKey(tp.stepKey) < cycle)
        plan.cancel.push({ id: tp.id, reason: reason('renewed') });
      continue;
    }
    const why = situation.exit !== null ? reason('program_ended', situation.exit) : reason('step_removed');
    plan.cancel.push({ id: tp.id, reason: why });
  }
  return plan;
}

/** A step due before the order was placed is not sent: it would speak of a sale not yet made. */
function guardSale(verdict: StepVerdict, order: Order): StepVerdict {
  if (verdict.kind !== 'due' || verdict.dueAt >= order.placedAt) return verdict;
  return { kind: 'skip', dueAt: verdict.dueAt, reason: reason('before_sale') };
}

/** Channels compete with their own kind: two e-mails a day apart crowd; an e-mail and a call do not. */
type ChannelKind = 'message' | 'task';
const kindOf = (channel: ChannelName): ChannelKind => (channel.startsWith('task:') ? 'task' : 'message');

/** When the program's other steps go out, by channel kind, with their step keys. */
type Taken = Record<ChannelKind, { at: Millis; step: string }[]>;

/**
 * The times a renewal step of `cycle` must keep clear of: the other steps of the program (as
 * planned now, or when they went out) and the renewal steps of other cycles. Skipped and
 * cancelled ones take no time.
 */
function takenTimes(
  playbook: Playbook,
  verdicts: readonly StepVerdict[],
  byStep: ReadonlyMap<string, TouchPoint>,
  cycle: number,
  now: Millis,
  staleAfter: Millis,
): Taken {
  const taken: Taken = { message: [], task: [] };
  const add = (channel: ChannelName, at: Millis, step: string): void => {
    taken[kindOf(channel)].push({ at, step });
  };
  playbook.steps.forEach((step, i) => {
    if (step.timing.moment === 'renewal') return;
    const verdict = verdicts[i]!;
    const tp = byStep.get(step.key);
    if (tp === undefined || tp.status === 'scheduled') {
      if (verdict.kind === 'due' && (tp !== undefined || now - verdict.dueAt <= staleAfter))
        add(step.channel, verdict.dueAt, step.key);
    } else if (tp.status === 'sent' || tp.status === 'claimed') {
      add(tp.channel, tp.outcomeAt ?? tp.dueAt, step.key);
    }
  });
  const renewalSteps = stepKeys(playbook).renewal;
  for (const tp of byStep.values()) {
    if (!renewalSteps.has(baseStepKey(tp.stepKey)) || cycleOfStepKey(tp.stepKey) === cycle) continue;
    if (tp.status === 'scheduled' || tp.status === 'claimed') add(tp.channel, tp.dueAt, tp.stepKey);
    else if (tp.status === 'sent') add(tp.channel, tp.outcomeAt ?? tp.dueAt, tp.stepKey);
  }
  return taken;
}

/** A renewal step due within `gap` of another step through the same kind of channel is skipped. */
function guardGap(dueAt: Millis, channel: ChannelName, taken: Taken, gap: Millis): StepVerdict {
  for (const other of taken[kindOf(channel)]) {
    if (Math.abs(other.at - dueAt) < gap) {
      return { kind: 'skip', dueAt, reason: reason('too_close', other.step) };
    }
  }
  return { kind: 'due', dueAt };
}

interface StepKeys {
  all: ReadonlySet<string>;
  /** Steps timed from `renewal`: one touch point per cycle. */
  renewal: ReadonlySet<string>;
}

/** The step keys of a playbook, worked out once per playbook. */
const STEP_KEYS = new WeakMap<Playbook, StepKeys>();

function stepKeys(playbook: Playbook): StepKeys {
  let keys = STEP_KEYS.get(playbook);
  if (keys === undefined) {
    keys = {
      all: new Set(playbook.steps.map((step) => step.key)),
      renewal: new Set(playbook.steps.filter((s) => s.timing.moment === 'renewal').map((s) => s.key)),
    };
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
  fx: CurrencyRates,
): Situation {
  const moments = effectiveMoments(order, playbook);
  return {
    order,
    moments,
    zone: resolveZone(customer.timezone, defaultTimezone),
    now,
    exit: programExitAmong(order, playbook, moments, now),
    facts: conditionFactsFor(factFields(playbook), customer, order, now, fx),
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

/**
 * `skipped`: kept in the schedule, never sent (`stale`: importing old orders must not flood
 * customers; `before_sale`, `too_close`).
 */
function newTouchPoint(
  step: Step,
  key: string,
  dueAt: Millis,
  input: PlanInput,
  skipped: Reason | null,
): TouchPoint {
  const { enrollment, now } = input;
  return {
    id: `${enrollment.id}:${key}`,
    enrollmentId: enrollment.id,
    customerId: enrollment.customerId,
    orderId: input.order.id,
    playbook: input.playbook.name,
    playbookVersion: input.playbook.version,
    stepKey: key,
    channel: step.channel,
    purpose: step.purpose,
    holdout: enrollment.holdout,
    dueAt,
    status: skipped !== null ? 'skipped' : 'scheduled',
    attempt: 0,
    leaseUntil: null,
    reason: skipped,
    outcomeAt: skipped !== null ? now : null,
    createdAt: now,
  };
}
