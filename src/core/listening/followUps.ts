// Follow-ups: playbook steps timed from what the customer did rather than from an order's
// moment ("two days after a concern is resolved, ask whether we put it right"). Hearing an event
// may give *anchors* — an answer, a reply, a concern opened or resolved — and each anchor plans
// the matching steps of every configured playbook once. The touch point belongs to the anchor
// (its id carries a digest of it) and is carried by one of the customer's enrollments in that
// playbook, so the dispatcher, the policies and the templates treat it like any other. Pure.
import { createHash } from 'node:crypto';
import {
  isFollowUpMoment,
  type FollowUpMoment,
  type Millis,
  type Order,
  type StoredEvent,
  type TouchPoint,
} from '../domain.js';
import { resolveZone } from '../localTime.js';
import { conditionFacts, evaluateCondition } from '../playbook/conditions.js';
import type { Playbook, Step } from '../playbook/types.js';
import { reason } from '../reasons.js';
import { dueAtFor } from '../timing.js';
import type { ListeningChanges, ListeningState } from './changes.js';
import { surveyAnswerOf } from './openers.js';

/** Something the customer did (or that happened to them) that follow-up steps can be timed from. */
export interface Anchor {
  moment: FollowUpMoment;
  /** The answer's or reply's event id, or the concern's id: one plan per anchor and step. */
  key: string;
  at: Millis;
  /** The order it is about, if any; else the customer's latest enrolled order carries it. */
  orderId: string | null;
  /** Facts only this anchor knows (answer.score, concern.severity...), for the step's `when`. */
  facts: Record<string, unknown>;
}

export interface FollowUpContext {
  now: Millis;
  defaultTimezone: string;
  /** The configured playbooks (their current versions). */
  playbooks: readonly Playbook[];
}

/** Playbooks that have at least one follow-up step, worked out once per list. */
const WITH_FOLLOW_UPS = new WeakMap<readonly Playbook[], readonly Playbook[]>();

export function playbooksWithFollowUps(playbooks: readonly Playbook[]): readonly Playbook[] {
  let found = WITH_FOLLOW_UPS.get(playbooks);
  if (found === undefined) {
    found = playbooks.filter((p) => p.steps.some(isFollowUpStep));
    WITH_FOLLOW_UPS.set(playbooks, found);
  }
  return found;
}

export function isFollowUpStep(step: Step): boolean {
  return isFollowUpMoment(step.timing.moment);
}

/** The anchors hearing `event` gave, from the state before it and what it changed. */
export function anchorsOf(before: ListeningState, event: StoredEvent, changes: ListeningChanges): Anchor[] {
  const anchors: Anchor[] = [];
  if (event.type === 'survey.answered') {
    const answer = surveyAnswerOf(event.data);
    if (answer !== null) {
      anchors.push({
        moment: 'answered',
        key: event.id,
        at: event.at,
        orderId: event.orderId,
        facts: { 'answer.survey': answer.survey, 'answer.score': answer.score },
      });
    }
  } else if (event.type === 'reply.received') {
    anchors.push({ moment: 'replied', key: event.id, at: event.at, orderId: event.orderId, facts: {} });
  }
  const earlier = new Map(before.concerns.map((c) => [c.id, c]));
  for (const concern of changes.concerns) {
    const was = earlier.get(concern.id);
    const facts = { 'concern.severity': concern.severity, 'concern.source': concern.source };
    if (was === undefined) {
      anchors.push({
        moment: 'concern_opened',
        key: concern.id,
        at: concern.openedAt,
        orderId: concern.orderId,
        facts,
      });
    }
    if (concern.status === 'resolved' && was?.status !== 'resolved' && concern.resolvedAt !== null) {
      anchors.push({
        moment: 'concern_resolved',
        key: concern.id,
        at: concern.resolvedAt,
        orderId: concern.orderId,
        facts,
      });
    }
  }
  return anchors;
}

/** The id of a follow-up: its carrier enrollment and step, and a digest of its anchor. */
export function followUpId(enrollmentId: string, stepKey: string, anchorKey: string): string {
  const digest = createHash('sha256').update(anchorKey).digest('hex').slice(0, 16);
  return `${enrollmentId}:${stepKey}.${digest}`;
}

/**
 * The touch points `anchors` plan for the customer in `state` (the state after hearing the
 * event). A step whose condition fails plans nothing; one already planned is not planned again;
 * one already too late (the playbook's stale_after) is kept as skipped `stale`, like the planner.
 */
export function planFollowUps(
  state: ListeningState,
  anchors: readonly Anchor[],
  ctx: FollowUpContext,
): TouchPoint[] {
  if (anchors.length === 0) return [];
  const playbooks = playbooksWithFollowUps(ctx.playbooks);
  if (playbooks.length === 0) return [];
  const known = new Set(state.touchPoints.map((t) => t.id));
  const zone = resolveZone(state.customer.timezone, ctx.defaultTimezone);
  const planned: TouchPoint[] = [];
  for (const playbook of playbooks) {
    for (const anchor of anchors) {
      const steps = playbook.steps.filter((s) => s.timing.moment === anchor.moment);
      if (steps.length === 0) continue;
      const carrier = carrierOf(state, playbook.name, anchor.orderId);
      if (carrier === null) continue;
      const facts = { ...conditionFacts(state.customer, carrier.order, ctx.now), ...anchor.facts };
      for (const step of steps) {
        const id = followUpId(carrier.enrollmentId, step.key, anchor.key);
        if (known.has(id)) continue;
        if (step.when !== null && !evaluateCondition(step.when, facts)) continue;
        const dueAt = dueAtFor(step.timing, anchor.at, zone);
        const stale = ctx.now - dueAt > playbook.staleAfterMs;
        known.add(id);
        planned.push({
          id,
          enrollmentId: carrier.enrollmentId,
          customerId: state.customer.id,
          orderId: carrier.order.id,
          playbook: playbook.name,
          playbookVersion: playbook.version,
          stepKey: step.key,
          channel: step.channel,
          purpose: step.purpose,
          holdout: carrier.holdout,
          dueAt,
          status: stale ? 'skipped' : 'scheduled',
          attempt: 0,
          leaseUntil: null,
          reason: stale ? reason('stale') : null,
          outcomeAt: stale ? ctx.now : null,
          createdAt: ctx.now,
        });
      }
    }
  }
  return planned;
}

interface Carrier {
  enrollmentId: string;
  order: Order;
  holdout: boolean;
}

/**
 * The enrollment that carries a follow-up in `playbook`: the one of the anchor's order, else of
 * the customer's most recent order enrolled in it; null when they are in no such program.
 */
function carrierOf(state: ListeningState, playbook: string, orderId: string | null): Carrier | null {
  const enrolled = new Map<string, { enrollmentId: string; holdout: boolean }>();
  for (const tp of state.touchPoints) {
    if (tp.playbook === playbook && !enrolled.has(tp.orderId)) {
      enrolled.set(tp.orderId, { enrollmentId: tp.enrollmentId, holdout: tp.holdout });
    }
  }
  const candidates = state.orders.filter((o) => enrolled.has(o.id));
  const order =
    candidates.find((o) => o.id === orderId) ??
    candidates.reduce<Order | null>(
      (latest, o) => (latest === null || o.placedAt > latest.placedAt ? o : latest),
      null,
    );
  if (order === null) return null;
  const { enrollmentId, holdout } = enrolled.get(order.id)!;
  return { enrollmentId, order, holdout };
}
