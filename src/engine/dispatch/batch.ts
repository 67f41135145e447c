// One claimed batch, from decisions to recorded outcomes. Sends go out in chunks of at most
// `maxUnrecorded`, and each chunk's outcomes (with the batch's skips, deferrals and cancels so
// far) are recorded in one write before the next chunk starts: a crash can therefore repeat at
// most `maxUnrecorded` sends, each with its first Message-ID, and the store is written once per
// chunk instead of once per send.
import type { Millis, Purpose } from '../../core/domain.js';
import { decide } from '../../core/policy/decide.js';
import type { Decision, PolicyConfig, RecentSurvey } from '../../core/policy/types.js';
import { reason } from '../../core/reasons.js';
import { ChannelError, type ChannelErrorKind } from '../../channels/port.js';
import type { ChannelRouter } from '../../channels/router.js';
import type { ConsentStore } from '../../store/ports/consent.js';
import type {
  AttemptOutcome,
  ClaimedTouchPoint,
  DispatchQueue,
  RecentSend,
} from '../../store/ports/queue.js';
import type { Clock } from '../clock.js';
import { retryDecision, type RetryPolicy } from '../retry.js';
import { countOutcome, type BatchStats } from './stats.js';
import type { ComposeMessage, StepResolver } from './compose.js';

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
  /** A send is not started once the lease has less than this left. */
  leaseMargin: Millis;
  concurrency: number;
  maxUnrecorded: number;
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
  const decisions = await decideAll(deps, claimed, now);
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
        pending.push({ claim, outcome: await send(deps, claim, now, subjects) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(deps.concurrency, indexes.length) }, slot));
    await flush();
  };

  for (let i = 0; i < claimed.length; i++) {
    const claim = claimed[i]!;
    const decision = decisions[i]!;
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

/** The policies' verdict for every claimed touch point, counting sends against the cap as they are decided. */
async function decideAll(deps: BatchDeps, claimed: ClaimedTouchPoint[], now: Millis): Promise<Decision[]> {
  const { queue, consent, policy } = deps;
  const customerIds = [...new Set(claimed.map((c) => c.customer.id))];
  const emails = [
    ...new Set(claimed.flatMap((c) => (c.customer.email ? [c.customer.email.toLowerCase()] : []))),
  ];
  // Far enough back for the cap and the survey throttle; each filters its own window.
  const lookBack = Math.max(policy.frequencyCap.windowMs, policy.surveyIntervalMs);
  const [recent, suppressed] = await Promise.all([
    queue.recentNonTransactional(customerIds, now - lookBack),
    emails.length > 0 ? consent.suppressed(emails) : Promise.resolve(new Set<string>()),
  ]);
  const history = await sendHistory(deps, recent, now - policy.surveyIntervalMs);
  return claimed.map(({ touchPoint, customer, order, enrollment }) => {
    const found = deps.steps.resolve(touchPoint);
    const mine = history.get(customer.id) ?? { sends: [], surveys: [] };
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
        suppressed: customer.email !== null && suppressed.has(customer.email.toLowerCase()),
        playbook: found?.playbook ?? null,
      },
      policy,
    );
    // Count this send against the cap (and the survey throttle) for the rest of the batch, so
    // one batch cannot overshoot a customer's limit.
    if (decision.kind === 'send' && countsAgainstCap(touchPoint)) {
      mine.sends.push(now);
      const survey = found?.step.survey ?? null;
      if (survey !== null) mine.surveys.push({ at: now, stepKey: touchPoint.stepKey, survey });
      history.set(customer.id, mine);
    }
    return decision;
  });
}

interface SendHistory {
  sends: Millis[];
  surveys: RecentSurvey[];
}

/** Each customer's recent send times, and which of them were surveys (from the steps that sent them). */
async function sendHistory(
  deps: BatchDeps,
  recent: Map<string, RecentSend[]>,
  surveysSince: Millis,
): Promise<Map<string, SendHistory>> {
  const all = [...recent.values()].flat();
  await deps.steps.prepare(all.filter((s) => s.at >= surveysSince));
  const history = new Map<string, SendHistory>();
  for (const [customerId, sends] of recent) {
    const surveys: RecentSurvey[] = [];
    for (const send of sends) {
      if (send.at < surveysSince) continue;
      const survey = deps.steps.resolve(send)?.step.survey ?? null;
      if (survey !== null) surveys.push({ at: send.at, stepKey: send.stepKey, survey });
    }
    history.set(customerId, { sends: sends.map((s) => s.at), surveys });
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
  now: Millis,
  subjects: Map<string, string>,
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
  let message;
  try {
    const composed = deps.compose(claim, found, now);
    message = composed.message;
    subjects.set(id, composed.subject);
  } catch (error) {
    // A template that cannot render will not render on a retry either.
    return { kind: 'failed', id, attempt, at: now, reason: reason('render_failed', describe(error)) };
  }
  try {
    const receipt = await channel.send(message);
    return { kind: 'sent', id, attempt, at: now, providerId: receipt.providerId };
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
