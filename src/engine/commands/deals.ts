// Deals: create or update one (the API, a CSV file and CRM webhooks give the same DealInput), read
// and list them (reps' inbox: by owner, with the proposed meetings), change the stage or the
// expected close, hand out the proposal link, and close deals when their orders arrive
// (`reconcile`): the deal's plan becomes the customer's, agreed meetings keep their dates where
// still ahead, and every promised step is checked to be planned (a concern when one cannot be).
// A lost deal ends silently: nothing is sent to anyone.
import { randomBytes } from 'node:crypto';
import {
  DEFAULT_LEAD_DAYS,
  dealIdOf,
  type Deal,
  type DealInput,
  type DealMeeting,
  type DealStage,
  type PromisedStep,
} from '../../core/deals/deal.js';
import { matchDeal, type MatchedBy } from '../../core/deals/match.js';
import {
  hypothetical,
  previewDeal,
  promisedSteps,
  proposedMeetings,
  type DealPreview,
} from '../../core/deals/preview.js';
import type { DomainEvent, Millis, Order, TouchPoint } from '../../core/domain.js';
import type { CurrencyRates } from '../../core/money.js';
import type { Playbook } from '../../core/playbook/types.js';
import { planTouchPoints } from '../../core/planner.js';
import { AftercareError } from '../../errors.js';
import type { DealQuery, DealsStore } from '../../store/ports/deals.js';
import type { ReadStore } from '../../store/ports/reads.js';
import type { ScheduleStore } from '../../store/ports/schedule.js';
import type { Clock } from '../clock.js';
import type { Intake } from '../intake.js';
import type { LinkTokens } from '../links/token.js';

const DAY = 86_400_000;
/** Orders placed this long before a deal was made may still close it (a CRM that lags the shop). */
const MATCH_MARGIN_MS = 7 * DAY;
/** Orders one reconcile pass reads. */
const ARRIVALS_PER_PASS = 5000;

export type DealChange =
  | { ok: true; deal: Deal }
  | { ok: false; why: 'not_found' }
  /** An order closed it, or it is lost: its plan is no longer a proposal. */
  | { ok: false; why: 'closed'; current: Deal };

export interface DealPatch {
  stage?: DealStage;
  expectedCloseAt?: Millis;
  /** Agreed times for proposed meetings, by step key. */
  meetings?: { step: string; at: Millis }[];
  owner?: string | null;
}

export interface ProposalLinks {
  plan: string;
  calendar: string;
  onePager: string;
  expiresAt: Millis;
}

export interface ReconcileReport {
  closed: { dealId: string; orderId: string; by: MatchedBy }[];
  /** Meetings moved to their agreed time. */
  kept: number;
  /** Promises found unplannable (each raised as a concern). */
  broken: number;
}

/** Won deals with a customer, grouped by whether the plan was shared before the close. */
export interface SharedComparisonRow {
  dealId: string;
  customerId: string;
  shared: boolean;
  /** Their latest NPS answer, if any. */
  nps: number | null;
  /** Any of their orders renewed at least once. */
  renewed: boolean;
  /** Any of their orders has a renewal date or period (renewal is a question for them). */
  renewable: boolean;
}

export interface DealCommands {
  /** Creates the deal, or updates the one with the same source and external id (CRM upserts). */
  upsert(input: DealInput): Promise<{ deal: Deal; created: boolean }>;
  get(id: string): Promise<Deal | null>;
  list(query?: DealQuery): Promise<Deal[]>;
  /** The plan the deal's order will get, as the planner works it out now. */
  preview(deal: Deal): DealPreview;
  update(id: string, patch: DealPatch): Promise<DealChange>;
  /** The proposal's links (plan page, .ics, one-pager); handing them out marks the plan shared. */
  share(
    id: string,
  ): Promise<{ ok: true; deal: Deal; links: ProposalLinks } | Exclude<DealChange, { ok: true }>>;
  /** A prospect opened the proposal: shared, if the deal is still before its close. */
  opened(id: string): Promise<void>;
  /** Closes deals whose orders arrived and keeps the promises of closed ones. */
  reconcile(): Promise<ReconcileReport>;
  /** The report's comparison: customers whose plan was shared before closing, and the others. */
  sharedComparison(): Promise<SharedComparisonRow[]>;
}

export interface DealCommandDeps {
  deals: DealsStore;
  reads: Pick<ReadStore, 'getCustomer' | 'getOrder' | 'listOrders' | 'listTouchPoints'>;
  schedule: Pick<ScheduleStore, 'move'>;
  intake: Pick<Intake, 'ingest'>;
  playbooks: readonly Playbook[];
  clock: Clock;
  defaultTimezone: string;
  currency?: CurrencyRates;
  linkTokens: LinkTokens;
  /** AFTERCARE_PUBLIC_URL, where the proposal pages are served. */
  publicUrl: string;
  /** Wakes the dispatcher: a meeting moved. */
  wake: () => void;
}

function invalid(field: string, message: string): AftercareError {
  return new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: ${message}`, { field });
}

const stepId = (playbook: string, step: string): string => `${playbook}/${step}`;

export function dealCommands(deps: DealCommandDeps): DealCommands {
  const { deals, reads, clock } = deps;
  const base = deps.publicUrl.replace(/\/+$/, '');

  const preview = (deal: Deal): DealPreview =>
    previewDeal(deal, deps.playbooks, deps.defaultTimezone, deps.currency);

  /** The deal's meetings and promises from a fresh preview; `agreed` times are kept. */
  function planned(deal: Deal, agreed: ReadonlyMap<string, Millis>): Deal {
    const view = preview(deal);
    const meetings = proposedMeetings(view).map((m) => {
      const at = agreed.get(stepId(m.playbook, m.step));
      return at === undefined ? m : { ...m, at };
    });
    return { ...deal, meetings, promised: promisedSteps(view) };
  }

  function fromInput(input: DealInput, id: string, now: Millis, current: Deal | null): Deal {
    const email = input.contact.email.trim();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw invalid('contact.email', 'must be one address');
    if (input.company.trim() === '') throw invalid('company', 'must not be empty');
    if (!Number.isFinite(input.expectedCloseAt)) throw invalid('expectedCloseAt', 'must be a time');
    if (!(input.value.amount >= 0)) throw invalid('value.amount', 'must be zero or more');
    const kind = input.kind ?? current?.kind ?? 'goods';
    const deal: Deal = {
      id,
      source: input.source ?? current?.source ?? null,
      externalId: input.externalId ?? current?.externalId ?? null,
      company: input.company.trim(),
      domain: input.domain?.trim().toLowerCase() || (current?.domain ?? null),
      contact: {
        email,
        name: input.contact.name.trim(),
        phone: input.contact.phone ?? null,
        locale: input.contact.locale ?? null,
        timeZone: input.contact.timeZone ?? null,
      },
      owner: input.owner ?? current?.owner ?? null,
      expectedCloseAt: input.expectedCloseAt,
      value: { amount: input.value.amount, currency: input.value.currency.toUpperCase() },
      segment: input.segment,
      kind,
      leadDays: input.leadDays ?? current?.leadDays ?? DEFAULT_LEAD_DAYS[kind],
      products: [...input.products],
      stage: input.stage ?? current?.stage ?? 'open',
      meetings: current?.meetings ?? [],
      promised: current?.promised ?? [],
      sharedAt: current?.sharedAt ?? null,
      orderId: current?.orderId ?? null,
      customerId: current?.customerId ?? null,
      closedAt: current?.closedAt ?? null,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
    };
    return deal;
  }

  /** A deal an order closed keeps its plan; a lost one has none: both are past proposing. */
  const closed = (deal: Deal): boolean => deal.orderId !== null || deal.stage === 'lost';

  /** Meetings agreed by hand stay agreed when the deal is planned again. */
  function agreedOf(deal: Deal, byHand: readonly { step: string; at: Millis }[] = []): Map<string, Millis> {
    const agreed = new Map<string, Millis>();
    const proposedAt = new Map(
      proposedMeetings(preview(deal)).map((m) => [stepId(m.playbook, m.step), m.at] as const),
    );
    // A stored time that differs from what the preview would say was agreed with the prospect.
    for (const m of deal.meetings) {
      const key = stepId(m.playbook, m.step);
      if (proposedAt.get(key) !== m.at) agreed.set(key, m.at);
    }
    for (const change of byHand) {
      const meeting = deal.meetings.find((m) => m.step === change.step);
      if (!meeting) throw invalid('meetings', `no proposed meeting for step ${change.step}`);
      agreed.set(stepId(meeting.playbook, meeting.step), change.at);
    }
    return agreed;
  }

  async function upsert(input: DealInput): Promise<{ deal: Deal; created: boolean }> {
    const now = clock.now();
    const id = dealIdOf(input, () => randomBytes(9).toString('base64url'));
    const current = await deals.get(id);
    if (current !== null && closed(current)) {
      // What a CRM says later about a closed deal changes nothing of its plan; only a loss is kept.
      return { deal: current, created: false };
    }
    // Agreed times are worked out against the plan as it was, before the input changes it.
    const agreed = current ? agreedOf(current) : new Map<string, Millis>();
    const deal = planned(fromInput(input, id, now, current), agreed);
    await deals.put(deal);
    return { deal, created: current === null };
  }

  async function update(id: string, patch: DealPatch): Promise<DealChange> {
    const current = await deals.get(id);
    if (current === null) return { ok: false, why: 'not_found' };
    if (closed(current)) return { ok: false, why: 'closed', current };
    const agreed = agreedOf(current, patch.meetings);
    let deal: Deal = {
      ...current,
      ...(patch.stage !== undefined ? { stage: patch.stage } : {}),
      ...(patch.expectedCloseAt !== undefined ? { expectedCloseAt: patch.expectedCloseAt } : {}),
      ...(patch.owner !== undefined ? { owner: patch.owner } : {}),
      updatedAt: clock.now(),
    };
    // A new close date moves the meetings nobody agreed a time for; agreed ones stay.
    if (patch.expectedCloseAt !== undefined || patch.meetings !== undefined) deal = planned(deal, agreed);
    // Lost: the plan ends here, silently. Nothing was ever scheduled for a prospect, so nothing
    // is cancelled or sent; the proposal's pages say it is no longer open.
    await deals.put(deal);
    return { ok: true, deal };
  }

  function links(deal: Deal): ProposalLinks {
    const expiresAt = clock.now() + deps.linkTokens.lifetimes.proposal;
    const token = deps.linkTokens.issue({
      purpose: 'proposal',
      customerId: deal.id,
      touchPointId: null,
      orderId: null,
      expiresAt,
    });
    const plan = `${base}/proposal/${token}`;
    return { plan, calendar: `${plan}/meetings.ics`, onePager: `${plan}/one-pager`, expiresAt };
  }

  async function markShared(deal: Deal): Promise<Deal> {
    if (deal.sharedAt !== null || closed(deal)) return deal;
    const shared = { ...deal, sharedAt: clock.now() };
    await deals.put(shared);
    return shared;
  }

  /** Whether the order's program can still plan `step` (its moments filled in as the deal expected). */
  function canPlan(
    playbook: Playbook,
    step: string,
    order: Order,
    deal: Deal,
    customer: Parameters<typeof planTouchPoints>[0]['customer'],
  ): boolean {
    const inHand = Math.max(order.placedAt + deal.leadDays * DAY, clock.now());
    const moments = { ...order.moments };
    moments.delivered ??= inHand;
    if (order.kind !== 'goods') moments.started ??= moments.delivered;
    const plan = planTouchPoints({
      playbook,
      customer,
      order: { ...order, moments },
      enrollment: {
        id: `${playbook.name}:${order.id}`,
        customerId: customer.id,
        orderId: order.id,
        playbook: playbook.name,
        playbookVersion: playbook.version,
        holdout: customer.holdout,
        status: 'active',
        endedReason: null,
        enrolledAt: order.placedAt,
      },
      existing: [],
      now: clock.now(),
      defaultTimezone: deps.defaultTimezone,
      ...(deps.currency ? { currency: deps.currency } : {}),
    });
    return plan.insert.some((tp) => tp.stepKey === step && tp.status === 'scheduled');
  }

  /** The concern a promise that cannot be kept raises; its id makes raising it twice harmless. */
  function brokenPromise(
    deal: Deal,
    customerId: string,
    orderId: string,
    key: string,
    why: string,
  ): DomainEvent {
    return {
      id: `deal-promise:${deal.id}:${key}`,
      type: 'concern.raised',
      at: clock.now(),
      customerId,
      orderId,
      data: {
        severity: 'medium',
        summary: `Promised before the sale (deal with ${deal.company}) but ${why}: ${key}`,
      },
    };
  }

  /**
   * The closed deal's promises against its order's program: agreed meetings ahead are moved to
   * their agreed time once planned; steps the program cannot plan raise a concern.
   */
  async function keepPromises(deal: Deal, report: ReconcileReport): Promise<void> {
    if (deal.orderId === null || deal.customerId === null) return;
    const waiting = (s: string): boolean => s === 'pending' || s === 'proposed' || s === 'promised';
    if (!deal.meetings.some((m) => waiting(m.state)) && !deal.promised.some((p) => waiting(p.state))) return;
    const [order, customer] = await Promise.all([
      reads.getOrder(deal.orderId),
      reads.getCustomer(deal.customerId),
    ]);
    if (order === null || customer === null) return;
    const touchPoints = await reads.listTouchPoints({ orderId: order.id, limit: 10_000 });
    const find = (playbook: string, step: string): TouchPoint | undefined =>
      touchPoints.find((tp) => tp.playbook === playbook && tp.stepKey === step);
    const playbookOf = (name: string): Playbook | undefined => deps.playbooks.find((p) => p.name === name);
    const now = clock.now();
    const raise: DomainEvent[] = [];
    /** What became of one promised step: planned (with its touch point), still to come, or broken. */
    const judge = (playbook: string, step: string): { tp: TouchPoint } | 'later' | { broken: string } => {
      const tp = find(playbook, step);
      if (tp !== undefined) {
        if (tp.status === 'cancelled' || tp.status === 'skipped' || tp.status === 'failed')
          return { broken: `its ${tp.status} (${tp.reason?.code ?? 'no reason'})` };
        if (tp.holdout && tp.purpose !== 'transactional')
          return { broken: 'the customer is in the holdout group, which gets no such step' };
        return { tp };
      }
      const definition = playbookOf(playbook);
      if (definition === undefined) return { broken: 'its playbook is no longer configured' };
      return canPlan(definition, step, order, deal, customer)
        ? 'later'
        : { broken: "the order's program cannot plan it" };
    };
    const meetings: DealMeeting[] = [];
    for (const meeting of deal.meetings) {
      if (!waiting(meeting.state)) {
        meetings.push(meeting);
        continue;
      }
      const verdict = judge(meeting.playbook, meeting.step);
      if (verdict === 'later') {
        meetings.push({ ...meeting, state: 'pending' });
      } else if ('broken' in verdict) {
        raise.push(
          brokenPromise(deal, customer.id, order.id, stepId(meeting.playbook, meeting.step), verdict.broken),
        );
        meetings.push({ ...meeting, state: 'broken' });
        report.broken += 1;
      } else if (meeting.at > now && verdict.tp.status === 'scheduled') {
        if (verdict.tp.dueAt !== meeting.at) await deps.schedule.move(verdict.tp.id, meeting.at);
        meetings.push({ ...meeting, state: 'kept' });
        report.kept += 1;
      } else {
        // The agreed time has passed (or the meeting is under way): the program's time stands.
        meetings.push({ ...meeting, state: 'rescheduled' });
      }
    }
    const promised: PromisedStep[] = deal.promised.map((p) => {
      if (p.state !== 'promised') return p;
      const meeting = meetings.find((m) => m.playbook === p.playbook && m.step === p.step);
      if (meeting?.state === 'broken') return { ...p, state: 'broken' };
      const verdict = judge(p.playbook, p.step);
      if (verdict === 'later') return p;
      if ('broken' in verdict) {
        if (!meeting) {
          raise.push(brokenPromise(deal, customer.id, order.id, stepId(p.playbook, p.step), verdict.broken));
          report.broken += 1;
        }
        return { ...p, state: 'broken' };
      }
      return { ...p, state: 'planned' };
    });
    if (raise.length > 0) await deps.intake.ingest(raise);
    if (report.kept > 0) deps.wake();
    await deals.put({ ...deal, meetings, promised, updatedAt: now });
  }

  async function reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = { closed: [], kept: 0, broken: 0 };
    const waiting = await deals.list({ waiting: true, limit: 10_000 });
    if (waiting.length > 0) {
      const since = Math.min(...waiting.map((d) => d.createdAt)) - MATCH_MARGIN_MS;
      const taken = new Set(
        (await deals.list({ stage: 'won', limit: 100_000 })).flatMap((d) => (d.orderId ? [d.orderId] : [])),
      );
      let open = waiting;
      for (const order of await deals.ordersPlacedSince(since, ARRIVALS_PER_PASS)) {
        if (taken.has(order.orderId)) continue;
        const match = matchDeal(order, open);
        if (match === null) continue;
        const deal: Deal = {
          ...match.deal,
          stage: 'won',
          orderId: order.orderId,
          customerId: order.customerId,
          closedAt: clock.now(),
          meetings: match.deal.meetings.map((m) => ({ ...m, state: 'pending' })),
          updatedAt: clock.now(),
        };
        await deals.put(deal);
        taken.add(order.orderId);
        open = open.filter((d) => d.id !== deal.id);
        report.closed.push({ dealId: deal.id, orderId: order.orderId, by: match.by });
      }
    }
    for (const deal of await deals.list({ stage: 'won', limit: 100_000 })) await keepPromises(deal, report);
    return report;
  }

  return {
    upsert,
    get: (id) => deals.get(id),
    list: (query) => deals.list(query),
    preview,
    update,
    async share(id) {
      const current = await deals.get(id);
      if (current === null) return { ok: false, why: 'not_found' };
      if (closed(current)) return { ok: false, why: 'closed', current };
      const deal = await markShared(current);
      return { ok: true, deal, links: links(deal) };
    },
    async opened(id) {
      const deal = await deals.get(id);
      if (deal !== null) await markShared(deal);
    },
    reconcile,
    async sharedComparison() {
      const rows: SharedComparisonRow[] = [];
      for (const deal of await deals.list({ stage: 'won', limit: 100_000 })) {
        if (deal.customerId === null || deal.closedAt === null) continue;
        const customer = await reads.getCustomer(deal.customerId);
        if (customer === null) continue;
        const orders = await reads.listOrders(customer.id);
        rows.push({
          dealId: deal.id,
          customerId: customer.id,
          shared: deal.sharedAt !== null && deal.sharedAt <= deal.closedAt,
          nps: customer.lastNps,
          renewed: orders.some((o) => o.renewalCycle > 1),
          renewable: orders.some((o) => o.renewalPeriod !== null || o.moments.renewal !== undefined),
        });
      }
      return rows;
    },
  };
}

export { hypothetical };
