// One claimed batch, from decisions to recorded outcomes. Sends go out in chunks of at most
// `maxUnrecorded`, and each chunk's outcomes (with the batch's skips, deferrals and cancels so
// far) are recorded in one write before the next chunk starts: a crash can therefore repeat at
// most `maxUnrecorded` sends, each with its first Message-ID, and the store is written once per
// chunk instead of once per send.
import type { Millis, Purpose } from '../../core/domain.js';
import { decide } from '../../core/policy/decide.js';
import type { Decision, PolicyConfig, RecentStep, RecentSurvey } from '../../core/policy/types.js';
import { reason } from '../../core/reasons.js';
import { matchStory, useCasesOf } from '../../core/stories/match.js';
import type { Story, StoryMatch } from '../../core/stories/story.js';
import { ChannelError, type ChannelErrorKind } from '../../channels/port.js';
import type { ChannelRouter } from '../../channels/router.js';
import type { ConsentStore } from '../../store/ports/consent.js';
import type { StoryStore } from '../../store/ports/stories.js';
import type {
  AttemptOutcome,
  ClaimedTouchPoint,
  DispatchQueue,
  RecentSend,
} from '../../store/ports/queue.js';
import type { Clock } from '../clock.js';
import { retryDecision, type RetryPolicy } from '../retry.js';
import { Coalescer, companionOutcome } from './coalesce.js';
import { checkElsewhere } from './inFlight.js';
import { countOutcome, type BatchStats } from './stats.js';
import type { ComposeMessage, ResolvedStep, StepResolver } from './compose.js';
import { giveOffer, type DispatchOffers, type GivenOffer } from './offer.js';

export interface OutcomeReport {
  touchPoint: ClaimedTouchPoint['touchPoint'];
  outcome: AttemptOutcome;
  /** Whether the store accepted it (false: a newer attempt owns the touch point). */
  applied: boolean;
  subject: string | null;
}

export interface BatchDeps {
  queue: DispatchQueue;
  consent: ConsentStore;
  clock: Clock;
  channels: ChannelRouter;
  policy: PolicyConfig;
  steps: StepResolver;
  compose: ComposeMessage;
  retry: RetryPolicy;
  random: () => number;
  leaseMs: Millis;
  /** This dispatcher's worker id: its own claims are not "another worker's". */
  worker: string;
  /** A send is not started once the lease has less than this left. */
  leaseMargin: Millis;
  concurrency: number;
  maxUnrecorded: number;
  /** Insider offers and their codes (AFTERCARE_OFFERS_FILE); none: offer steps carry no code. */
  offers?: DispatchOffers;
  /**
   * The story library story steps tell from and the store of who was told what; null: no
   * stories, so every story step is skipped (`no_story`).
   */
  stories: { library: readonly Story[]; told: StoryStore } | null;
  onOutcome?: (report: OutcomeReport) => void;
}

const MESSAGE_CHANNELS = new Set(['email', 'sms']);

function countsAgainstCap(touchPoint: { purpose: Purpose; channel: string }): boolean {
  return touchPoint.purpose !== 'transactional' && MESSAGE_CHANNELS.has(touchPoint.channel);
}

function describe(error: unknown): string {
  if (error instanceof ChannelError) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return error.message;
  return String(error);
}

export async function dispatchBatch(
  deps: BatchDeps,
  claimed: ClaimedTouchPoint[],
  now: Millis,
  stats: BatchStats,
): Promise<void> {
  const { decisions, companions, stories } = await decideAll(deps, claimed, now);
  const carried = new Set([...companions.values()].flat());
  await checkElsewhere(
    { queue: deps.queue, steps: deps.steps, worker: deps.worker, windowMs: deps.policy.sameStepWindowMs },
    claimed,
    decisions,
    carried,
    now,
  );
  const subjects = new Map<string, string>();
  let pending: { claim: ClaimedTouchPoint; outcome: AttemptOutcome }[] = [];
  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    const group = pending;
    pending = [];
    const applied = await deps.queue.recordOutcomes(group.map((p) => p.outcome));
    const all = applied === group.length;
    stats.stale += group.length - applied;
    for (const { claim, outcome } of group) {
      countOutcome(stats, outcome);
      deps.onOutcome?.({
        touchPoint: claim.touchPoint,
        outcome,
        applied: all,
        subject: subjects.get(outcome.id) ?? null,
      });
    }
  };

  let chunk: number[] = [];
  const runChunk = async (): Promise<void> => {
    const indexes = chunk;
    chunk = [];
    let next = 0;
    const slot = async (): Promise<void> => {
      while (next < indexes.length) {
        const i = indexes[next++]!;
        const claim = claimed[i]!;
        const riders = (companions.get(i) ?? []).map((j) => claimed[j]!);
        const outcome = await send(deps, claim, riders, now, subjects, stories.get(i) ?? null);
        // The carrier's outcome and its companions' are recorded in the same write.
        pending.push({ claim, outcome });
        for (const rider of riders)
          pending.push({ claim: rider, outcome: companionOutcome(rider, outcome, now) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.concurrency, indexes.length) }, slot));
    await flush();
  };

  for (let i = 0; i < claimed.length; i++) {
    const claim = claimed[i]!;
    const decision = decisions[i]!;
    if (carried.has(i)) continue;
    if (decision.kind !== 'send') {
      pending.push({ claim, outcome: withoutSend(claim, decision, now) });
      continue;
    }
    chunk.push(i);
    if (chunk.length >= deps.maxUnrecorded) await runChunk();
  }
  if (chunk.length > 0) await runChunk();
  await flush();
}

/**
 * The policies' verdict for every claimed touch point, counting sends against the cap (and the
 * same-step window) as they are decided, and which sends carry others (coalesce.ts).
 */
async function decideAll(deps: BatchDeps, claimed: ClaimedTouchPoint[], now: Millis): Promise<Verdicts> {
  const { queue, consent, policy } = deps;
  const customerIds = [...new Set(claimed.map((c) => c.customer.id))];
  const emails = [
    ...new Set(claimed.flatMap((c) => (c.customer.email ? [c.customer.email.toLowerCase()] : []))),
  ];
  // Far enough back for the cap, the survey throttle and the same-step window; each filters its own.
  const lookBack = Math.max(policy.frequencyCap.windowMs, policy.surveyIntervalMs, policy.sameStepWindowMs);
  const [recent, suppressed] = await Promise.all([
    queue.recentNonTransactional(customerIds, now - lookBack),
    emails.length > 0 ? consent.suppressed(emails) : Promise.resolve(new Set<string>()),
  ]);
  const history = await sendHistory(deps, recent, now);
  const told = await storiesTold(deps, claimed);
  const stories = new Map<number, StoryMatch>();
  const coalescer = new Coalescer(policy.sameStepWindowMs);
  const decisions = claimed.map((claim, index) => {
    const { touchPoint, customer, order, enrollment } = claim;
    const found = deps.steps.resolve(touchPoint);
    const mine = history.get(customer.id) ?? { sends: [], surveys: [], steps: [] };
    const carrier = found === null ? null : coalescer.carrierFor(claim, found.step);
    const decision = decide(
      {
        now,
        touchPoint,
        step: found?.step ?? null,
        customer,
        order,
        enrollment,
        recentNonTransactional: mine.sends,
        recentSurveys: mine.surveys,
        // A carrier of this batch does not count as "sent recently" against what it can carry.
        recentSteps: carrier === null ? mine.steps : mine.steps.filter((s) => s !== carrier.sent),
        suppressed: customer.email !== null && suppressed.has(customer.email.toLowerCase()),
        playbook: found?.playbook ?? null,
      },
      policy,
    );
    if (decision.kind !== 'send' || found === null) return decision;
    if (carrier !== null) {
      // It goes out inside the carrier's message, so it counts against nothing.
      coalescer.join(carrier, index);
      return decision;
    }
    if (found.step.story === true) {
      // The story is chosen now, before the send counts: no story, no message.
      const match = storyFor(deps, claim, found, told);
      if (match === null) return { kind: 'skip', reason: 'no_story' } satisfies Decision;
      stories.set(index, match);
      // Not the same story twice within this batch either (two orders, two programs).
      const mineTold = told.get(customer.id) ?? new Set<string>();
      mineTold.add(match.story.id);
      told.set(customer.id, mineTold);
    }
    // Count this send against the cap (and the survey throttle and the same-step window) for the
    // rest of the batch, so one batch cannot overshoot a customer's limits.
    if (countsAgainstCap(touchPoint)) {
      mine.sends.push(now);
      const survey = found.step.survey;
      if (survey !== null) mine.surveys.push({ at: now, stepKey: touchPoint.stepKey, survey });
      const sent = {
        at: now,
        playbook: touchPoint.playbook,
        stepKey: touchPoint.stepKey,
        template: found.step.template,
      };
      mine.steps.push(sent);
      coalescer.carry(claim, index, found.step, sent);
      history.set(customer.id, mine);
    }
    return decision;
  });
  return { decisions, companions: coalescer.companions(), stories };
}

/** The stories told so far to each customer with a story step in this batch. */
async function storiesTold(deps: BatchDeps, claimed: ClaimedTouchPoint[]): Promise<Map<string, Set<string>>> {
  if (deps.stories === null) return new Map();
  const ids = claimed
    .filter((c) => deps.steps.resolve(c.touchPoint)?.step.story === true)
    .map((c) => c.customer.id);
  return ids.length === 0 ? new Map() : deps.stories.told.toldTo(ids);
}

/** The story this claim's message tells: in the language the message is written in, never one told before. */
function storyFor(
  deps: BatchDeps,
  { customer, order }: ClaimedTouchPoint,
  found: ResolvedStep,
  told: Map<string, Set<string>>,
): StoryMatch | null {
  if (deps.stories === null) return null;
  return matchStory(deps.stories.library, {
    segment: order.segment,
    items: order.items,
    useCases: useCasesOf(order.attributes, customer.attributes),
    locale: found.renderer.writtenIn(found.step.template, customer.locale ?? ''),
    told: told.get(customer.id) ?? new Set(),
  });
}

interface Verdicts {
  decisions: Decision[];
  /** The story each story step's send tells, by claim index. */
  stories: Map<number, StoryMatch>;
  /** Carrier index -> the indexes of the touch points its message also answers. */
  companions: Map<number, number[]>;
}

interface SendHistory {
  sends: Millis[];
  surveys: RecentSurvey[];
  steps: RecentStep[];
}

/** Each customer's recent send times, which of them were surveys and which steps (from the steps that sent them). */
async function sendHistory(
  deps: BatchDeps,
  recent: Map<string, RecentSend[]>,
  now: Millis,
): Promise<Map<string, SendHistory>> {
  const surveysSince = now - deps.policy.surveyIntervalMs;
  const stepsSince = now - deps.policy.sameStepWindowMs;
  const all = [...recent.values()].flat();
  await deps.steps.prepare(all.filter((s) => s.at >= Math.min(surveysSince, stepsSince)));
  const history = new Map<string, SendHistory>();
  for (const [customerId, sends] of recent) {
    const surveys: RecentSurvey[] = [];
    const steps: RecentStep[] = [];
    for (const send of sends) {
      if (send.at < surveysSince && send.at < stepsSince) continue;
      const step = deps.steps.resolve(send)?.step ?? null;
      if (step === null) continue;
      if (send.at >= surveysSince && step.survey !== null) {
        surveys.push({ at: send.at, stepKey: send.stepKey, survey: step.survey });
      }
      if (send.at >= stepsSince) {
        steps.push({ at: send.at, playbook: send.playbook, stepKey: send.stepKey, template: step.template });
      }
    }
    history.set(customerId, { sends: sends.map((s) => s.at), surveys, steps });
  }
  return history;
}

function withoutSend(
  claim: ClaimedTouchPoint,
  decision: Exclude<Decision, { kind: 'send' }>,
  now: Millis,
): AttemptOutcome {
  const { id, attempt } = claim.touchPoint;
  switch (decision.kind) {
    case 'skip':
      return {
        kind: 'skipped',
        id,
        attempt,
        at: now,
        reason: reason(decision.reason, decision.detail ?? null),
      };
    case 'cancel':
      return { kind: 'cancelled', id, attempt, at: now, reason: decision.reason };
    case 'defer':
      return { kind: 'rescheduled', id, attempt, dueAt: decision.until, reason: reason(decision.reason) };
  }
}

async function send(
  deps: BatchDeps,
  claim: ClaimedTouchPoint,
  riders: readonly ClaimedTouchPoint[],
  now: Millis,
  subjects: Map<string, string>,
  story: StoryMatch | null,
): Promise<AttemptOutcome> {
  const { touchPoint } = claim;
  const { id, attempt } = touchPoint;
  const found = deps.steps.resolve(touchPoint);
  if (!found) return { kind: 'cancelled', id, attempt, at: now, reason: reason('step_removed') };
  // A worker that stalled (a long GC pause, a frozen VM, a slow channel earlier in the batch)
  // may no longer own this claim: another worker can have taken it over. Do not send on a
  // lease that has run out or is about to; hand the touch point back instead (the store
  // refuses that too if someone else owns it now).
  if (deps.clock.now() >= now + deps.leaseMs - deps.leaseMargin) {
    return { kind: 'rescheduled', id, attempt, dueAt: now, reason: reason('lease_expired') };
  }
  const channel = deps.channels.get(touchPoint.channel);
  if (!channel) {
    return {
      kind: 'failed',
      id,
      attempt,
      at: now,
      reason: reason('no_channel', `no channel configured for ${touchPoint.channel}`),
    };
  }
  // A step an offer names gets its code here, just before the send: given once per touch
  // point, so a retry or a repeat after a crash carries the same one (offer.ts).
  let offer: GivenOffer | undefined;
  const verdict = await giveOffer(deps.offers, claim, now);
  if (verdict.kind === 'skip') {
    return { kind: 'skipped', id, attempt, at: now, reason: reason(verdict.reason, verdict.detail) };
  }
  if (verdict.kind === 'given') offer = verdict.offer;
  let message;
  try {
    const composed = deps.compose(claim, found, now, riders, offer, story);
    message = composed.message;
    subjects.set(id, composed.subject);
  } catch (error) {
    // A template that cannot render will not render on a retry either.
    return { kind: 'failed', id, attempt, at: now, reason: reason('render_failed', describe(error)) };
  }
  try {
    const receipt = await channel.send(message);
    // The story is remembered in the write that records this send (never twice to a customer).
    return {
      kind: 'sent',
      id,
      attempt,
      at: now,
      providerId: receipt.providerId,
      ...(story === null ? {} : { story: story.story.id }),
    };
  } catch (error) {
    const kind: ChannelErrorKind = error instanceof ChannelError ? error.kind : 'retryable';
    const retry = retryDecision(kind, attempt, deps.retry, deps.random);
    if (retry.retry) {
      return {
        kind: 'rescheduled',
        id,
        attempt,
        dueAt: now + retry.delayMs,
        reason: reason('retry', describe(error)),
      };
    }
    return { kind: 'failed', id, attempt, at: now, reason: reason('send_failed', describe(error)) };
  }
}
