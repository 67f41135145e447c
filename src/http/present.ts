// Domain objects -> API resources (schemas/resources.ts): epoch milliseconds become ISO 8601
// times at this edge, durations ISO 8601 durations; everything else keeps its domain name.
import type {
  Customer,
  Enrollment,
  Millis,
  Moment,
  Order,
  StoredEvent,
  Task,
  TouchPoint,
} from '../core/domain.js';
import type { Concern } from '../core/listening/types.js';
import type { Playbook, Step } from '../core/playbook/types.js';
import type { IntakeResult } from '../store/ports/intake.js';
import type {
  ConcernResource,
  CustomerResource,
  EnrollmentResource,
  EventResource,
  IngestResult,
  OrderResource,
  PlaybookResource,
  PlaybookSummary,
  TaskResource,
  TaskStateResource,
  TouchPointResource,
} from './schemas/resources.js';

/** A time outside what Date can show (only a corrupt row holds one) reads as null, never a crash. */
export function isoOrNull(at: Millis | null): string | null {
  if (at === null || !Number.isFinite(at) || Math.abs(at) > 8.64e15) return null;
  return new Date(at).toISOString();
}

export function iso(at: Millis): string {
  return isoOrNull(at) ?? '';
}

/** 90 minutes -> PT1H30M, 2 days -> P2D, -1 day -> -P1D. */
export function isoDuration(ms: Millis): string {
  if (!Number.isFinite(ms)) return 'PT0S';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms / 1000));
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  const seconds = rest - minutes * 60;
  const date = days > 0 ? `${days}D` : '';
  const clock = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (date === '' && clock === '') return 'PT0S';
  return `${sign}P${date}${clock ? `T${clock}` : ''}`;
}

export function presentCustomer(c: Customer): CustomerResource {
  return {
    id: c.id,
    email: c.email,
    firstName: c.firstName,
    lastName: c.lastName,
    phone: c.phone,
    timezone: c.timezone,
    locale: c.locale,
    segment: c.segment,
    holdout: c.holdout,
    temperature: c.temperature,
    temperatureReasons: c.temperatureReasons.map((r) => ({ delta: r.delta, why: r.why, at: iso(r.at) })),
    openConcerns: c.openConcerns,
    awaitingPersonSince: isoOrNull(c.awaitingPersonSince),
    lastNps: c.lastNps,
    engagedAt: isoOrNull(c.engagedAt),
    preferences: {
      topicsOff: [...c.preferences.topicsOff],
      channelsOff: [...c.preferences.channelsOff],
      pausedUntil: isoOrNull(c.preferences.pausedUntil),
    },
    unsubscribedAt: isoOrNull(c.unsubscribedAt),
    emailBouncedAt: isoOrNull(c.emailBouncedAt),
    attributes: c.attributes,
    createdAt: iso(c.createdAt),
  };
}

export function presentOrder(o: Order): OrderResource {
  const moments: Partial<Record<Moment, string>> = {};
  for (const [moment, at] of Object.entries(o.moments) as [Moment, Millis | undefined][]) {
    const shown = at === undefined ? null : isoOrNull(at);
    if (shown !== null) moments[moment] = shown;
  }
  return {
    id: o.id,
    customerId: o.customerId,
    number: o.number,
    shippingAddress: o.shippingAddress === null ? null : { ...o.shippingAddress },
    placedAt: iso(o.placedAt),
    currency: o.currency,
    total: o.total,
    segment: o.segment,
    items: o.items.map((item) => ({
      sku: item.sku,
      productName: item.productName,
      category: item.category,
      quantity: item.quantity,
      price: item.price,
    })),
    shipments: o.shipments.map((s) => ({
      id: s.id,
      carrier: s.carrier,
      trackingNumber: s.trackingNumber,
      trackingUrl: s.trackingUrl,
      shippedAt: isoOrNull(s.shippedAt),
      deliveredAt: isoOrNull(s.deliveredAt),
      status: s.status,
    })),
    moments,
    attributes: o.attributes,
    updatedAt: iso(o.updatedAt),
  };
}

export function presentEvent(e: StoredEvent): EventResource {
  return {
    id: e.id,
    customerId: e.customerId,
    orderId: e.orderId,
    type: e.type,
    at: iso(e.at),
    data: e.data,
    receivedAt: iso(e.receivedAt),
  };
}

export function presentEnrollment(e: Enrollment): EnrollmentResource {
  return {
    id: e.id,
    customerId: e.customerId,
    orderId: e.orderId,
    playbook: e.playbook,
    playbookVersion: e.playbookVersion,
    holdout: e.holdout,
    status: e.status,
    endedReason: e.endedReason,
    enrolledAt: iso(e.enrolledAt),
  };
}

export function presentTouchPoint(t: TouchPoint): TouchPointResource {
  return {
    id: t.id,
    enrollmentId: t.enrollmentId,
    customerId: t.customerId,
    orderId: t.orderId,
    playbook: t.playbook,
    playbookVersion: t.playbookVersion,
    stepKey: t.stepKey,
    channel: t.channel,
    purpose: t.purpose,
    holdout: t.holdout,
    dueAt: iso(t.dueAt),
    status: t.status,
    attempt: t.attempt,
    leaseUntil: isoOrNull(t.leaseUntil),
    reason: t.reason?.code ?? null,
    reasonDetail: t.reason?.detail ?? null,
    outcomeAt: isoOrNull(t.outcomeAt),
    createdAt: iso(t.createdAt),
  };
}

export function presentTaskState(t: Task): TaskStateResource {
  return {
    id: t.id,
    touchPointId: t.touchPointId,
    customerId: t.customerId,
    orderId: t.orderId,
    concernId: t.concernId,
    kind: t.kind,
    status: t.status,
    owner: t.owner,
    dueAt: iso(t.dueAt),
    createdAt: iso(t.createdAt),
    completedAt: isoOrNull(t.completedAt),
  };
}

export function presentTask(t: Task): TaskResource {
  return { ...presentTaskState(t), title: t.title, script: t.script, outcome: t.outcome, notes: t.notes };
}

export function presentConcern(c: Concern): ConcernResource {
  return {
    id: c.id,
    customerId: c.customerId,
    orderId: c.orderId,
    source: c.source,
    severity: c.severity,
    summary: c.summary,
    status: c.status,
    level: c.level,
    owner: c.owner,
    openedAt: iso(c.openedAt),
    acknowledgedAt: isoOrNull(c.acknowledgedAt),
    resolvedAt: isoOrNull(c.resolvedAt),
    resolution: c.resolution,
    escalations: c.escalations.map((e) => ({ level: e.level, at: iso(e.at) })),
    nextEscalationAt: isoOrNull(c.nextEscalationAt),
    sourceEventId: c.sourceEventId,
  };
}

export function presentIngest(r: IntakeResult): IngestResult {
  return {
    id: r.eventId,
    status: r.duplicate ? 'duplicate' : r.rejected !== null ? 'rejected' : 'accepted',
    reason: r.rejected,
    customerId: r.customerId,
    orderId: r.orderId,
    planned: r.planned,
    cancelled: r.cancelled,
  };
}

export function presentPlaybookSummary(p: Playbook): PlaybookSummary {
  return {
    name: p.name,
    version: p.version,
    description: p.description,
    exitOn: p.exitOn,
    steps: p.steps.length,
  };
}

function presentStep(s: Step): PlaybookResource['steps'][number] {
  const at = s.timing.atLocal;
  return {
    key: s.key,
    description: s.description,
    timing: {
      moment: s.timing.moment,
      offset: isoDuration(s.timing.offsetMs),
      atLocal: at ? `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}` : null,
    },
    channel: s.channel,
    template: s.template,
    purpose: s.purpose,
    when: s.when,
    cancelOn: s.cancelOn,
    survey: s.survey,
    owner: s.owner,
    measurement: s.measurement === true,
  };
}

/** The playbook as the engine runs it; where its file lives stays on the server. */
export function presentPlaybook(p: Playbook): PlaybookResource {
  return {
    ...presentPlaybookSummary(p),
    returnWindow: isoDuration(p.returnWindowMs),
    delayGrace: isoDuration(p.delayGraceMs),
    staleAfter: isoDuration(p.staleAfterMs),
    steps: p.steps.map(presentStep),
  };
}
