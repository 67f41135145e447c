// `aftercare simulate`: the production intake and dispatcher on a virtual clock, over a fresh
// store and channels that send nothing, both given by the composition root (app/compose.ts).
// Events are fed when the clock reaches them, so shipping and delivery arrive over time exactly
// as they would in production.
import type { ChannelName, Customer, DomainEvent, Millis, Purpose, TouchPoint } from '../core/domain.js';
import type { Playbook } from '../core/playbook/types.js';
import { resolveZone, toLocalIso } from '../core/localTime.js';
import type { ReasonCode } from '../core/reasons.js';
import type { Config } from '../config.js';
import type { ChannelRouter } from '../channels/router.js';
import type { Store } from '../store/store.js';
import type { TemplateRenderer } from '../templates/render.js';
import { VirtualClock } from './clock.js';
import { Dispatcher } from './dispatcher.js';
import { Intake, makeIntakeReducer } from './intake.js';

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
}

export interface Delivery {
  order_id: string;
  customer_id: string;
  email: string | null;
  step: string;
  channel: ChannelName;
  purpose: Purpose;
  holdout: boolean;
  at: string;
  local_at: string;
  outcome: 'sent' | 'skipped' | 'failed' | 'cancelled';
  /** Why it was skipped, cancelled or failed (core/reasons.ts); null when sent. */
  reason: ReasonCode | null;
  reason_detail: string | null;
  subject: string | null;
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
  /** Touch points still scheduled after the simulated period. */
  pending: number;
  events_rejected: number;
}

export interface SimulationResult {
  deliveries: Delivery[];
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
      workerId: 'simulation',
      batchSize: 1000,
      // Nothing is sent and the output shows subjects only: bodies are never rendered.
      subjectOnly: true,
      maxUnrecorded: 1000,
      onOutcome: (report) => {
        if (report.subject !== null) subjects.set(report.touchPoint.id, report.subject);
      },
    });

    let next = 0;
    let rejected = 0;
    for (;;) {
      const nextEvent = next < events.length ? events[next]!.at : Infinity;
      const nextDue = (await store.queue.nextDueAt()) ?? Infinity;
      const at = Math.max(clock.now(), Math.min(nextEvent, nextDue));
      if (at > end || at === Infinity) break;
      clock.set(at);
      const batch: DomainEvent[] = [];
      while (next < events.length && events[next]!.at <= at + TICK) batch.push(events[next++]!);
      if (batch.length > 0) {
        for (const result of await intake.ingest(batch)) if (result.rejected) rejected += 1;
      }
      const due = (await store.queue.nextDueAt()) ?? Infinity;
      const stats = due <= at ? await dispatcher.runUntilIdle() : null;
      // Something due now that nobody could claim would spin the loop: step past it.
      if (batch.length === 0 && (stats?.claimed ?? 0) === 0) clock.set(Math.min(end + 1, at + TICK));
    }
    clock.set(Math.max(clock.now(), end));
    return await collect(store, subjects, {
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

async function collect(
  store: Store,
  subjects: Map<string, string>,
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
    pending: 0,
    events_rejected: period.rejected,
  };
  for (const tp of touchPoints) {
    orders.add(tp.orderId);
    let customer = customers.get(tp.customerId);
    if (customer === undefined) {
      customer = await store.reads.getCustomer(tp.customerId);
      customers.set(tp.customerId, customer);
      if (customer?.holdout) summary.holdout_customers += 1;
    }
    const outcome = finalOutcome(tp);
    if (outcome === null) {
      summary.pending += 1;
      continue;
    }
    const at = tp.outcomeAt ?? tp.dueAt;
    const zone = resolveZone(customer?.timezone, period.defaultZone);
    deliveries.push({
      order_id: tp.orderId,
      customer_id: tp.customerId,
      email: customer?.email ?? null,
      step: tp.stepKey,
      channel: tp.channel,
      purpose: tp.purpose,
      holdout: tp.holdout,
      at: new Date(at).toISOString(),
      local_at: toLocalIso(at, zone),
      outcome,
      reason: outcome === 'sent' ? null : (tp.reason?.code ?? null),
      reason_detail: outcome === 'sent' ? null : (tp.reason?.detail ?? null),
      subject: subjects.get(tp.id) ?? null,
    });
    summary.by_outcome[outcome] = (summary.by_outcome[outcome] ?? 0) + 1;
    const byStep = (summary.by_step[tp.stepKey] ??= {});
    byStep[outcome] = (byStep[outcome] ?? 0) + 1;
    if (outcome === 'sent') summary.by_channel[tp.channel] = (summary.by_channel[tp.channel] ?? 0) + 1;
  }
  summary.orders = orders.size;
  summary.customers = customers.size;
  deliveries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order_id.localeCompare(b.order_id)));
  return { deliveries, summary };
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
