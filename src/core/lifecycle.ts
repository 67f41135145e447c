// The order lifecycle: how each event moves an order along placed -> shipped -> delivered ->
// (returned | cancelled) -> renewal (services and software: placed -> started -> onboarded), and
// which moments a playbook can time its steps from.
import type { DomainEvent, Millis, Moment, Moments, Order, OrderInput, Segment, Shipment } from './domain.js';
import { isImplausibleMoment } from './plausibleTime.js';
import type { Playbook } from './playbook/types.js';
import { EXCEPTION_MOMENT, exceptionOf } from './shipmentException.js';
import { nextRenewalAfter } from './renewalCycle.js';

/**
 * An `order.renewed` without the next date moves the renewal on by one period only while the
 * current renewal date is at most this far after the event: the same event applied twice (or a
 * late copy) does not skip a cycle.
 */
const RENEWED_SLACK: Millis = 7 * 86_400_000;

/** The order as first seen, before its first event is applied. */
export function newOrder(
  id: string,
  customerId: string,
  input: OrderInput | undefined,
  fallback: { at: Millis; segment: Segment },
): Order {
  const placedAt = input?.placedAt ?? fallback.at;
  return {
    id,
    customerId,
    number: input?.number ?? null,
    shippingAddress: input?.shippingAddress ?? null,
    placedAt,
    currency: input?.currency ?? 'USD',
    total: input?.total ?? 0,
    segment: input?.segment ?? fallback.segment,
    kind: input?.kind ?? 'goods',
    renewalPeriod: input?.renewalPeriod ?? null,
    renewalCycle: 1,
    items: [],
    shipments: [],
    moments: { placed: placedAt },
    sequence: 1,
    attributes: {},
    updatedAt: placedAt,
  };
}

/**
 * Pure: the order after `event`. Idempotent (applying the same event twice gives the same order)
 * and tolerant of carrier events arriving out of order: a shipment never moves backwards and the
 * first report of a moment wins, unless it is not plausible at `now` (dated ahead of the clock or
 * before the order) and the new report is: then the new one corrects it.
 */
export function applyEventToOrder(order: Order, event: DomainEvent, now?: Millis): Order {
  const next: Order = mergeOrderInput(order, event);
  const moments: Moments = { ...next.moments };
  const correct: Correction = { now, placedAt: next.placedAt };
  const keep = (first: Millis | undefined, reported: Millis): Millis =>
    firstOrCorrected(first ?? null, reported, correct);
  // A carrier's revised date (a delay with a new promise, AfterShip's expected_delivery) is the
  // promise from now on: steps timed from it, and a delay derived from it, move with it.
  const revised = event.type.startsWith('shipment.') ? revisedPromiseOf(event) : null;
  if (revised !== null) moments.promised = revised;
  switch (event.type) {
    case 'order.placed':
    case 'order.updated':
      if (event.order?.shipment) next.shipments = updateShipments(next.shipments, event, null, correct);
      break;
    case 'order.started':
      moments.started ??= event.at;
      break;
    case 'order.onboarded':
      moments.onboarded ??= event.at;
      break;
    case 'shipment.shipped':
      next.shipments = updateShipments(next.shipments, event, 'in_transit', correct);
      moments.shipped = keep(moments.shipped, firstShippedAt(next.shipments) ?? event.at);
      break;
    case 'shipment.in_transit':
      next.shipments = updateShipments(next.shipments, event, 'in_transit', correct);
      break;
    case 'shipment.out_for_delivery':
      next.shipments = updateShipments(next.shipments, event, 'out_for_delivery', correct);
      moments.out_for_delivery = keep(moments.out_for_delivery, event.at);
      break;
    case 'shipment.delayed':
    case 'shipment.exception': {
      // Each kind is its own moment (a damaged parcel is no late one); the first of any kind
      // marks the shipping exception the follow-ups are timed from.
      const kind = exceptionOf(event) ?? 'late';
      next.shipments = updateShipments(
        next.shipments,
        event,
        kind === 'late' ? 'delayed' : 'exception',
        correct,
      );
      const moment = EXCEPTION_MOMENT[kind];
      moments[moment] = keep(moments[moment], event.at);
      moments.shipping_exception = keep(moments.shipping_exception, event.at);
      break;
    }
    case 'shipment.delivered': {
      next.shipments = updateShipments(next.shipments, event, 'delivered', correct);
      const all = next.shipments.every((s) => s.status === 'delivered');
      if (all || shipmentIdOf(event) === null)
        moments.delivered = keep(moments.delivered, lastDeliveredAt(next.shipments) ?? event.at);
      break;
    }
    case 'order.returned':
      moments.returned = keep(moments.returned, event.at);
      break;
    case 'order.cancelled':
      moments.cancelled = keep(moments.cancelled, event.at);
      break;
    case 'order.renewed': {
      const current = moments.renewal;
      let renewal = toMillis(event.data['next_renewal_at']) ?? event.order?.renewalAt ?? null;
      if (renewal === null && next.renewalPeriod !== null) {
        if (current === undefined) renewal = nextRenewalAfter(event.at, next.renewalPeriod);
        else if (current <= event.at + RENEWED_SLACK) renewal = nextRenewalAfter(current, next.renewalPeriod);
      }
      // Only a later date is a new cycle: a repeated or late event changes nothing.
      if (renewal !== null && (current === undefined || renewal > current)) {
        moments.renewal = renewal;
        if (current !== undefined) next.renewalCycle = order.renewalCycle + 1;
      }
      break;
    }
    case 'purchase.repeated':
    case 'survey.answered':
    case 'reply.received':
    case 'concern.raised':
    case 'concern.acknowledged':
    case 'concern.resolved':
    case 'task.completed':
    case 'customer.contact_changed':
    case 'customer.preferences_changed':
    case 'customer.unsubscribed':
    case 'customer.resubscribed':
    case 'email.bounced':
      return order;
  }
  // A service or software is in the customer's hands once it started: steps timed from
  // `delivered` run from then.
  if (next.kind !== 'goods' && moments.started !== undefined) moments.delivered ??= moments.started;
  next.moments = moments;
  next.updatedAt = Math.max(order.updatedAt, event.at);
  return next;
}

/** Order-level fields the event carries (any order event may bring a new promise, say). */
function mergeOrderInput(order: Order, event: DomainEvent): Order {
  const input = event.order;
  const next: Order = { ...order, moments: { ...order.moments } };
  if (!input) return next;
  if (event.type === 'order.placed' || event.type === 'order.updated') {
    next.placedAt = input.placedAt;
    next.moments.placed = input.placedAt;
  }
  if (input.number) next.number = input.number;
  if (input.shippingAddress) next.shippingAddress = { ...input.shippingAddress };
  if (input.currency) next.currency = input.currency;
  if (input.total != null) next.total = input.total;
  if (input.segment) next.segment = input.segment;
  if (input.kind) next.kind = input.kind;
  if (input.renewalPeriod) next.renewalPeriod = input.renewalPeriod;
  if (input.startedAt != null) next.moments.started ??= input.startedAt;
  if (input.items && input.items.length > 0) next.items = input.items.map((item) => ({ ...item }));
  if (input.promisedDeliveryAt != null) next.moments.promised = input.promisedDeliveryAt;
  // order.renewed decides for itself whether its date starts a new cycle. Any other event that
  // moves a renewal date already passed to a later one reports that renewal (a billing system's
  // "period updated" may come before its "renewed").
  if (input.renewalAt != null && event.type !== 'order.renewed') {
    const current = order.moments.renewal;
    if (current !== undefined && current <= event.at && input.renewalAt > current)
      next.renewalCycle = order.renewalCycle + 1;
    next.moments.renewal = input.renewalAt;
  }
  if (input.attributes) next.attributes = { ...order.attributes, ...input.attributes };
  return next;
}

const STATUS_RANK: Record<Shipment['status'], number> = {
  pending: 0,
  in_transit: 1,
  delayed: 1,
  exception: 1,
  out_for_delivery: 2,
  delivered: 3,
};

/** The shipment id an event is about: the typed payload first, then `data.shipment_id`. */
export function shipmentIdOf(event: DomainEvent): string | null {
  const id = event.order?.shipment?.id ?? event.data['shipment_id'];
  if (typeof id === 'number') return String(id);
  return typeof id === 'string' && id.trim() !== '' ? id.trim() : null;
}

/**
 * Applies the event to the shipment it names; without an id, to every shipment still on its way
 * (or to a single `default` one when the order has none yet). `status` null: details only.
 */
/** What a shipment's first reported times are checked against (`now` undefined: first wins). */
interface Correction {
  now: Millis | undefined;
  placedAt: Millis;
}

/** The first report, or the new one when the first is implausible at `now` and the new one is not. */
function firstOrCorrected(first: Millis | null, reported: Millis, { now, placedAt }: Correction): Millis {
  if (first === null) return reported;
  if (now === undefined) return first;
  return isImplausibleMoment(first, placedAt, now) && !isImplausibleMoment(reported, placedAt, now)
    ? reported
    : first;
}

function updateShipments(
  shipments: Shipment[],
  event: DomainEvent,
  status: Shipment['status'] | null,
  correct: Correction,
): Shipment[] {
  const id = shipmentIdOf(event);
  const result = shipments.map((s) => ({ ...s }));
  let targets: Shipment[];
  if (id !== null) {
    let found = result.find((s) => s.id === id);
    if (!found) {
      found = emptyShipment(id);
      result.push(found);
    }
    targets = [found];
  } else if (result.length === 0) {
    const created = emptyShipment('default');
    result.push(created);
    targets = [created];
  } else {
    // A delivered shipment is done, unless its delivery time is one a later report should correct.
    targets = result.filter((s) => s.status !== 'delivered' || implausibleDelivery(s, correct));
  }
  for (const shipment of targets) applyToShipment(shipment, event, status, correct);
  return result;
}

function implausibleDelivery(shipment: Shipment, { now, placedAt }: Correction): boolean {
  return (
    now !== undefined &&
    shipment.deliveredAt !== null &&
    isImplausibleMoment(shipment.deliveredAt, placedAt, now)
  );
}

function emptyShipment(id: string): Shipment {
  return {
    id,
    carrier: null,
    trackingNumber: null,
    trackingUrl: null,
    shippedAt: null,
    deliveredAt: null,
    status: 'pending',
  };
}

function applyToShipment(
  shipment: Shipment,
  event: DomainEvent,
  status: Shipment['status'] | null,
  correct: Correction,
): void {
  const input = event.order?.shipment;
  const carrier = input?.carrier ?? stringOf(event.data['carrier']);
  const trackingNumber = input?.trackingNumber ?? stringOf(event.data['tracking_number']);
  const trackingUrl = input?.trackingUrl ?? stringOf(event.data['tracking_url']);
  if (carrier) shipment.carrier = carrier;
  if (trackingNumber) shipment.trackingNumber = trackingNumber;
  if (trackingUrl) shipment.trackingUrl = trackingUrl;
  const target = status ?? input?.status ?? null;
  if (
    target !== null &&
    STATUS_RANK[target] >= STATUS_RANK[shipment.status] &&
    shipment.status !== 'delivered'
  ) {
    shipment.status = target;
  }
  const keep = (first: Millis | null, reported: Millis): Millis => firstOrCorrected(first, reported, correct);
  if (status !== null && status !== 'pending')
    shipment.shippedAt = keep(shipment.shippedAt, input?.shippedAt ?? event.at);
  if (status === 'delivered')
    shipment.deliveredAt = keep(shipment.deliveredAt, input?.deliveredAt ?? event.at);
}

function firstShippedAt(shipments: Shipment[]): Millis | null {
  const times = shipments.map((s) => s.shippedAt).filter((t): t is Millis => t !== null);
  return times.length > 0 ? Math.min(...times) : null;
}

function lastDeliveredAt(shipments: Shipment[]): Millis | null {
  const times = shipments.map((s) => s.deliveredAt).filter((t): t is Millis => t !== null);
  return times.length > 0 ? Math.max(...times) : null;
}

function stringOf(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The keys a shipment event may carry a new promised delivery time under (API, CSV, AfterShip). */
const PROMISE_KEYS = ['promisedDeliveryAt', 'promised_delivery_at', 'expected_delivery'] as const;

/**
 * The new promise a shipment event carries, if any. A bare date (`2026-06-12`, as AfterShip
 * sends it) is kept all that day, like a promise from a CSV: its last millisecond in UTC.
 */
function revisedPromiseOf(event: DomainEvent): Millis | null {
  for (const key of PROMISE_KEYS) {
    const value = event.data[key];
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value.trim())) {
      const start = toMillis(`${value.trim()}T00:00:00Z`);
      if (start !== null) return start + 86_400_000 - 1;
    }
    const at = toMillis(value);
    if (at !== null) return at;
  }
  return null;
}

/** Epoch milliseconds from a number or an ISO 8601 string; null when it is neither. */
export function toMillis(value: unknown): Millis | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}

/**
 * The stored moments plus those the playbook derives: `return_window_closed` (delivered + the
 * return window) and `delayed` (the promise plus grace, while nothing is delivered and no carrier
 * reported a delay).
 */
export function effectiveMoments(order: Order, playbook: Playbook): Moments {
  const moments: Moments = { ...order.moments };
  if (moments.delivered !== undefined) {
    moments.return_window_closed = moments.delivered + playbook.returnWindowMs;
  } else if (moments.delayed === undefined && moments.promised !== undefined) {
    moments.delayed = moments.promised + playbook.delayGraceMs;
  }
  return moments;
}

/** Moments that are forecasts until their time comes; the others are facts once reported. */
const FORECAST_MOMENTS: ReadonlySet<Moment> = new Set(['promised', 'renewal', 'return_window_closed']);

/**
 * Whether `moment` has happened by `now`. A reported fact (delivered, returned...) counts as soon
 * as it is known; a forecast (a promise, a renewal date, the end of the return window, a delay
 * derived from a promise) only once its time has come.
 */
export function hasArrived(moment: Moment, order: Order, moments: Moments, now: Millis): boolean {
  const at = moments[moment];
  if (at === undefined) return false;
  const forecast =
    FORECAST_MOMENTS.has(moment) || (moment === 'delayed' && order.moments.delayed === undefined);
  return !forecast || at <= now;
}

/** The exit moment that ended the program (the earliest to arrive), or null while it runs. */
export function programExit(order: Order, playbook: Playbook, now: Millis): Moment | null {
  return programExitAmong(order, playbook, effectiveMoments(order, playbook), now);
}

/** programExit, given the order's effectiveMoments already worked out (the planner has them). */
export function programExitAmong(
  order: Order,
  playbook: Playbook,
  moments: Moments,
  now: Millis,
): Moment | null {
  let exit: { moment: Moment; at: Millis } | null = null;
  for (const moment of playbook.exitOn) {
    const at = moments[moment];
    if (at === undefined || !hasArrived(moment, order, moments, now)) continue;
    if (exit === null || at < exit.at) exit = { moment, at };
  }
  return exit?.moment ?? null;
}
