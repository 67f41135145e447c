// `aftercare simulate`: the production intake, listener, escalation sweep and dispatcher on a
// virtual clock, over a fresh store and channels that send nothing, both given by the composition
// root (app/compose.ts). Events are fed when the clock reaches them, so shipping, delivery and
// what customers say arrive over time exactly as they would in production; SLA timers are stored
// rows the clock reaches like any due touch point.
import { baseStepKey } from '../core/renewalCycle.js';
import type {
  ChannelName,
  Customer,
  DomainEvent,
  Millis,
  Purpose,
  Task,
  TouchPoint,
} from '../core/domain.js';
import { ladderRules } from '../core/listening/ladder.js';
import { temperatureOf } from '../core/listening/temperature.js';
import type { Concern, Severity } from '../core/listening/types.js';
import type { Playbook } from '../core/playbook/types.js';
import { resolveZone, toLocalIso } from '../core/localTime.js';
import type { ReasonCode } from '../core/reasons.js';
import type { Config } from '../config.js';
import type { ChannelRouter } from '../channels/router.js';
import type { Store } from '../store/store.js';
import type { TemplateRenderer } from '../templates/render.js';
import { AftercareError } from '../errors.js';
import { VirtualClock } from './clock.js';
import { Dispatcher } from './dispatcher.js';
import { Intake, makeIntakeReducer } from './intake.js';
import { escalationSweep } from './listening/escalation.js';
import { Listener } from './listening/listener.js';
import { recordingNotifier } from './listening/notifier.js';

export interface SimulationInput {
  events: DomainEvent[];
  playbooks: Playbook[];
  renderer: TemplateRenderer;
  days: number;
  config: Readonly<Config>;
  /** Virtual start; default: the earliest event. */
  start?: Millis;
  /** A fresh, empty store for this run (in memory); the simulation migrates and closes it. */
  openStore: () => Promise<Store>;
  /** Channels over the run's store and clock; nothing may leave the simulation through them. */
  channels: (store: Store, now: () => Millis) => ChannelRouter;
  /**
   * Asked at every step of the virtual clock: true stops the run with an error (the dashboard
   * bounds a run inside the server process by wall-clock time). Absent: runs to the end.
   */
  overBudget?: () => boolean;
}

/**
 * A touch point's outcome, or a task the listener made for a person (step `care:concern`,
 * `care:reply`, `care:callback`: always `sent`, at the time it was made, with its due time).
 */
export interface Delivery {
  /** Null for a task about the customer rather than one order. */
  order_id: string | null;
  customer_id: string;
  email: string | null;
  step: string;
  channel: ChannelName;
  purpose: Purpose;
  holdout: boolean;
  /** A measurement survey step: it reaches the holdout group too (AFTERCARE_MEASUREMENT). */
  measurement: boolean;
  at: string;
  local_at: string;
  outcome: 'sent' | 'skipped' | 'failed' | 'cancelled';
  /** Why it was skipped, cancelled or failed (core/reasons.ts); null when sent. */
  reason: ReasonCode | null;
  reason_detail: string | null;
  subject: string | null;
  /** Tasks the listener made: their id, concern and due time. */
  task_id?: string;
  concern_id?: string | null;
  due_at?: string;
}

/** A concern as it stands at the end of the simulated period. */
export interface SimulatedConcern {
  id: string;
  customer_id: string;
  order_id: string | null;
  source: Concern['source'];
  severity: Severity;
  summary: string;
  status: Concern['status'];
  opened_at: string;
  /** The ladder level reached (0 = the first owner). */
  level: number;
  owner: string | null;
  escalations: { level: number; at: string }[];
  acknowledged_at: string | null;
  resolved_at: string | null;
}

/** A customer's temperature at the end of the period, and why. */
export interface SimulatedCustomer {
  customer_id: string;
  temperature: number;
  reasons: { delta: number; why: string; at: string }[];
}

export interface SimulationSummary {
  orders: number;
  customers: number;
  days: number;
  start: string;
  end: string;
  by_outcome: Record<string, number>;
  by_step: Record<string, Record<string, number>>;
  by_channel: Record<string, number>;
  holdout_customers: number;
  /** Measurement surveys sent, by group: both groups are asked, so CSAT and NPS can be compared. */
  measurement_sent: { treatment: number; holdout: number };
  /** Touch points still scheduled after the simulated period. */
  pending: number;
  events_rejected: number;
  concerns_opened: number;
  concerns_resolved: number;
  escalations: number;
}

export interface SimulationResult {
  deliveries: Delivery[];
  concerns: SimulatedConcern[];
  customers: SimulatedCustomer[];
  summary: SimulationSummary;
}

const DAY: Millis = 86_400_000;
/** Events this close ahead of the clock are taken in the same step (the simulation's resolution). */
const TICK: Millis = 60_000;

export async function runSimulation(input: SimulationInput): Promise<SimulationResult> {
  const events = [...input.events].sort((a, b) => a.at - b.at);
  const start = input.start ?? events[0]?.at ?? 0;
  const end = start + input.days * DAY;
  const clock = new VirtualClock(start);
  const store = await input.openStore();
  try {
    await store.migrate();
    const { config } = input;
    const intake = new Intake(
      store.intake,
      makeIntakeReducer({
        playbooks: input.playbooks,
        defaultTimezone: config.policy.defaultTimezone,
        currency: config.policy.currency,
        holdoutShare: config.holdoutShare,
        holdoutSalt: config.holdoutSalt,
        now: () => clock.now(),
      }),
    );
    const subjects = new Map<string, string>();
    const dispatcher = new Dispatcher({
      queue: store.queue,
      consent: store.consent,
      clock,
      channels: input.channels(store, () => clock.now()),
      renderer: input.renderer,
      playbooks: input.playbooks,
      policy: config.policy,
      business: config.business,
      publicUrl: config.publicUrl,
      // Stories are told in simulate as in production: who would be told which, or skipped.
      stories: { library: config.stories?.stories ?? [], told: store.stories },
      workerId: 'simulation',
      batchSize: 1000,
      // Nothing is sent and the output shows subjects only: bodies are never rendered.
      subjectOnly: true,
      maxUnrecorded: 1000,
      onOutcome: (report) => {
        if (report.subject !== null) subjects.set(report.touchPoint.id, report.subject);
      },
    });

    const ladder = config.escalation.ladder;
    const listener = new Listener({
      store: store.listening,
      clock,
      businessHours: config.policy.businessHours,
      defaultTimezone: config.policy.defaultTimezone,
      rules: ladderRules(ladder),
      playbooks: input.playbooks,
      onError: (_customer, error) => {
        throw error;
      },
    });
    // Staff are told nothing; what the ladder would have sent is kept on the concerns' escalations.
    const notifier = recordingNotifier();
    const nextEscalationAt = async (): Promise<Millis> =>
      (await store.listening.dueEscalations(Number.MAX_SAFE_INTEGER, 1))[0]?.nextEscalationAt ?? Infinity;

    let next = 0;
    let rejected = 0;
    // Timers change only when something is heard or climbs: read again only then.
    let nextTimer = Infinity;
    for (;;) {
      const nextEvent = next < events.length ? events[next]!.at : Infinity;
      const nextDue = (await store.queue.nextDueAt()) ?? Infinity;
      const at = Math.max(clock.now(), Math.min(nextEvent, nextDue, nextTimer));
      if (at > end || at === Infinity) break;
      if (input.overBudget?.() === true) {
        throw new AftercareError(
          'AFTERCARE_E_PAYLOAD_TOO_LARGE',
          `the simulation ran out of time at ${new Date(at).toISOString()}; simulate fewer orders or days`,
        );
      }
      clock.set(at);
      const batch: DomainEvent[] = [];
      while (next < events.length && events[next]!.at <= at + TICK) batch.push(events[next++]!);
      if (batch.length > 0) {
        for (const result of await intake.ingest(batch)) if (result.rejected) rejected += 1;
      }
      // What customers said is heard before anything is sent: a detractor's concern holds the tips.
      let heard = false;
      while ((await listener.hearPending()).heard.length > 0) heard = true;
      const climbing = nextTimer <= at;
      if (climbing) await escalationSweep({ store: store.listening, ladder, notifier, now: at });
      if (heard || climbing) nextTimer = await nextEscalationAt();
      const due = (await store.queue.nextDueAt()) ?? Infinity;
      const stats = due <= at ? await dispatcher.runUntilIdle() : null;
      // Something due now that nobody could claim would spin the loop: step past it.
      if (batch.length === 0 && !climbing && (stats?.claimed ?? 0) === 0) {
        clock.set(Math.min(end + 1, at + TICK));
      }
    }
    clock.set(Math.max(clock.now(), end));
    return await collect(store, subjects, measurementSteps(input.playbooks), {
      start,
      end,
      days: input.days,
      rejected,
      defaultZone: config.policy.defaultTimezone,
    });
  } finally {
    await store.close();
  }
}

/** `playbook:step` of every measurement step, the touch points' steps are looked up in. */
function measurementSteps(playbooks: readonly Playbook[]): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const playbook of playbooks)
    for (const step of playbook.steps)
      if (step.measurement === true) keys.add(`${playbook.name}:${step.key}`);
  return keys;
}

async function collect(
  store: Store,
  subjects: Map<string, string>,
  measurement: ReadonlySet<string>,
  period: { start: Millis; end: Millis; days: number; rejected: number; defaultZone: string },
): Promise<SimulationResult> {
  const touchPoints = await store.reads.listTouchPoints({ limit: Number.MAX_SAFE_INTEGER });
  const customers = new Map<string, Customer | null>();
  const orders = new Set<string>();
  const deliveries: Delivery[] = [];
  const summary: SimulationSummary = {
    orders: 0,
    customers: 0,
    days: period.days,
    start: new Date(period.start).toISOString(),
    end: new Date(period.end).toISOString(),
    by_outcome: {},
    by_step: {},
    by_channel: {},
    holdout_customers: 0,
    measurement_sent: { treatment: 0, holdout: 0 },
    pending: 0,
    events_rejected: period.rejected,
    concerns_opened: 0,
    concerns_resolved: 0,
    escalations: 0,
  };
  const customerOf = async (id: string): Promise<Customer | null> => {
    let customer = customers.get(id);
    if (customer === undefined) {
      customer = await store.reads.getCustomer(id);
      customers.set(id, customer);
      if (customer?.holdout) summary.holdout_customers += 1;
    }
    return customer;
  };
  for (const tp of touchPoints) {
    orders.add(tp.orderId);
    const customer = await customerOf(tp.customerId);
    const outcome = finalOutcome(tp);
    if (outcome === null) {
      summary.pending += 1;
      continue;
    }
    const at = tp.outcomeAt ?? tp.dueAt;
    const zone = resolveZone(customer?.timezone, period.defaultZone);
    const measured = measurement.has(`${tp.playbook}:${baseStepKey(tp.stepKey)}`);
    if (measured && outcome === 'sent') summary.measurement_sent[tp.holdout ? 'holdout' : 'treatment'] += 1;
    deliveries.push({
      order_id: tp.orderId,
      customer_id: tp.customerId,
      email: customer?.email ?? null,
      step: tp.stepKey,
      channel: tp.channel,
      purpose: tp.purpose,
      holdout: tp.holdout,
      measurement: measured,
      at: new Date(at).toISOString(),
      local_at: toLocalIso(at, zone),
      outcome,
      reason: outcome === 'sent' ? null : (tp.reason?.code ?? null),
      reason_detail: outcome === 'sent' ? null : (tp.reason?.detail ?? null),
      subject: subjects.get(tp.id) ?? null,
    });
    // Every renewal cycle of a step counts under the step.
    tally(summary, baseStepKey(tp.stepKey), tp.channel, outcome);
  }

  // The work the listener gave people: concerns' calls and reply tasks, callbacks.
  const tasks = await store.tasks.list({ limit: Number.MAX_SAFE_INTEGER });
  for (const task of tasks) {
    if (!isCareTask(task)) continue;
    const customer = await customerOf(task.customerId);
    const zone = resolveZone(customer?.timezone, period.defaultZone);
    const step = careStep(task);
    const channel: ChannelName = `task:${task.kind}`;
    deliveries.push({
      order_id: task.orderId,
      customer_id: task.customerId,
      email: customer?.email ?? null,
      step,
      channel,
      purpose: 'reassurance',
      holdout: customer?.holdout ?? false,
      measurement: false,
      at: new Date(task.createdAt).toISOString(),
      local_at: toLocalIso(task.createdAt, zone),
      outcome: 'sent',
      reason: null,
      reason_detail: null,
      subject: task.title,
      task_id: task.id,
      concern_id: task.concernId,
      due_at: new Date(task.dueAt).toISOString(),
    });
    tally(summary, step, channel, 'sent');
  }

  const concerns: SimulatedConcern[] = [];
  for (const c of await store.listening.listConcerns({ limit: Number.MAX_SAFE_INTEGER })) {
    await customerOf(c.customerId);
    summary.concerns_opened += 1;
    if (c.status === 'resolved') summary.concerns_resolved += 1;
    summary.escalations += c.escalations.length;
    concerns.push({
      id: c.id,
      customer_id: c.customerId,
      order_id: c.orderId,
      source: c.source,
      severity: c.severity,
      summary: c.summary,
      status: c.status,
      opened_at: new Date(c.openedAt).toISOString(),
      level: c.level,
      owner: c.owner,
      escalations: c.escalations.map((e) => ({ level: e.level, at: new Date(e.at).toISOString() })),
      acknowledged_at: isoOrNull(c.acknowledgedAt),
      resolved_at: isoOrNull(c.resolvedAt),
    });
  }
  concerns.sort((a, b) =>
    a.opened_at < b.opened_at ? -1 : a.opened_at > b.opened_at ? 1 : a.id.localeCompare(b.id),
  );

  // Each customer's temperature as it stands at the end of the period (silence counts by then).
  const temperatures: SimulatedCustomer[] = [];
  for (const id of [...customers.keys()].sort()) {
    const state = await store.listening.stateOf(id);
    if (state === null) continue;
    const reading = temperatureOf(state, period.end);
    temperatures.push({
      customer_id: id,
      temperature: reading.temperature,
      reasons: reading.reasons.map((r) => ({ delta: r.delta, why: r.why, at: new Date(r.at).toISOString() })),
    });
  }

  summary.orders = orders.size;
  summary.customers = customers.size;
  deliveries.sort((a, b) =>
    a.at < b.at
      ? -1
      : a.at > b.at
        ? 1
        : (a.order_id ?? a.customer_id).localeCompare(b.order_id ?? b.customer_id),
  );
  return { deliveries, concerns, customers: temperatures, summary };
}

/** Counts one delivery in the summary: by outcome, by step, and by channel when sent. */
function tally(
  summary: SimulationSummary,
  step: string,
  channel: ChannelName,
  outcome: Delivery['outcome'],
): void {
  summary.by_outcome[outcome] = (summary.by_outcome[outcome] ?? 0) + 1;
  const byStep = (summary.by_step[step] ??= {});
  byStep[outcome] = (byStep[outcome] ?? 0) + 1;
  if (outcome === 'sent') summary.by_channel[channel] = (summary.by_channel[channel] ?? 0) + 1;
}

/** Tasks the listener made (not a playbook step's touch point): keyed `care:<what>:...`. */
function isCareTask(task: Task): boolean {
  return task.touchPointId.startsWith('care:');
}

/** `care:concern`, `care:reply`, `care:callback`: what kind of care the task is. */
function careStep(task: Task): string {
  const [, what] = task.touchPointId.split(':');
  return `care:${what ?? 'task'}`;
}

function isoOrNull(at: Millis | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

function finalOutcome(tp: TouchPoint): Delivery['outcome'] | null {
  switch (tp.status) {
    case 'sent':
    case 'skipped':
    case 'failed':
    case 'cancelled':
      return tp.status;
    case 'scheduled':
    case 'claimed':
      return null;
  }
}
