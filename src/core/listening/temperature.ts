// A customer's temperature, 0 (cold, about to leave) .. 100 (warm), 50 neutral, derived from
// what they told us and what happened to them: a pure fold over their history at `now`, with
// the reasons behind every step so a rep can read why ("-15 shipment 3 days late"). The
// numbers are in temperatureRules.ts; docs/temperature.md explains them.
import { exceptionOf } from '../shipmentException.js';
import type { Millis, Order, StoredEvent, TouchPoint } from '../domain.js';
import { NEUTRAL_TEMPERATURE, clampTemperature, surveyTemperatureDelta } from '../temperature.js';
import { DAY_MS, TEMPERATURE_RULES as R } from './temperatureRules.js';
import type { Concern, TemperatureReason } from './types.js';

/** Everything the fold reads about one customer. */
export interface TemperatureHistory {
  /** The customer's timeline (any order). */
  events: readonly StoredEvent[];
  /** Their touch points (sent ones tell engagement and silence). */
  touchPoints: readonly TouchPoint[];
  concerns: readonly Concern[];
  orders: readonly Order[];
}

export interface TemperatureReading {
  temperature: number;
  /** Oldest first; their deltas add up to temperature - 50 before clamping. */
  reasons: TemperatureReason[];
}

const ENGAGING: ReadonlySet<string> = new Set([
  'survey.answered',
  'reply.received',
  'customer.preferences_changed',
]);
/** Task outcomes that mean the customer spoke with us. */
const SPOKE = new Set(['reached', 'resolved', 'callback']);

/** Pure: the temperature at `now` and why. Same history and `now`, same reading. */
export function temperatureOf(history: TemperatureHistory, now: Millis): TemperatureReading {
  const events = history.events.filter((e) => e.at <= now).sort((a, b) => a.at - b.at || cmp(a.id, b.id));
  const orders = [...history.orders].sort((a, b) => a.placedAt - b.placedAt || cmp(a.id, b.id));
  const named = (order: Order | undefined): string =>
    // Reps read these to the customer's face: the number they know, or the day it was placed.
    order !== undefined && orders.length > 1
      ? ` (order ${order.number ?? `of ${new Date(order.placedAt).toISOString().slice(0, 10)}`})`
      : '';
  const orderOf = (id: string | null): Order | undefined => orders.find((o) => o.id === id);

  const reasons: TemperatureReason[] = [
    ...surveyReasons(events),
    ...replyReasons(events),
    ...engagementReasons(events),
    ...shipmentReasons(events, orders, now, named),
    ...endingReasons(events, orderOf, named),
    ...concernReasons(history.concerns, now),
    ...silenceReasons(events, history.touchPoints, orders, now),
  ];
  const kept = reasons
    .map((reason) => faded(reason, now))
    .filter((reason): reason is TemperatureReason => reason !== null && reason.delta !== 0)
    .sort((a, b) => a.at - b.at);
  const sum = kept.reduce((total, reason) => total + reason.delta, 0);
  return { temperature: clampTemperature(NEUTRAL_TEMPERATURE + sum), reasons: kept };
}

/** The latest answer per survey touch point counts (a changed answer replaces the first). */
function surveyReasons(events: readonly StoredEvent[]): TemperatureReason[] {
  const answers = new Map<string, StoredEvent>();
  for (const event of events) {
    if (event.type !== 'survey.answered') continue;
    const key = typeof event.data['touchPointId'] === 'string' ? event.data['touchPointId'] : event.id;
    answers.set(key, event);
  }
  const reasons: TemperatureReason[] = [];
  for (const event of answers.values()) {
    const survey = event.data['survey'] === 'csat' ? 'csat' : 'nps';
    const score = Number(event.data['score']);
    const delta = surveyTemperatureDelta(survey, score);
    if (delta === null) continue;
    const why =
      survey === 'nps'
        ? `gave ${score} out of 10 when asked whether they would recommend us${npsBand(score)}`
        : `rated their satisfaction ${score} out of 5`;
    reasons.push({ delta, why, at: event.at });
  }
  return reasons;
}

function npsBand(score: number): string {
  return score >= 9 ? ' (a promoter)' : score <= 6 ? ' (a detractor)' : '';
}

function replyReasons(events: readonly StoredEvent[]): TemperatureReason[] {
  const reasons: TemperatureReason[] = [];
  for (const event of events) {
    if (event.type !== 'reply.received') continue;
    const tone = event.data['sentiment'];
    if (tone === 'positive')
      reasons.push({ delta: R.reply.positive, why: 'wrote back warmly', at: event.at });
    if (tone === 'negative')
      reasons.push({ delta: R.reply.negative, why: 'wrote back unhappy', at: event.at });
  }
  return reasons;
}

/** Answering, replying, choosing preferences, speaking with a rep: the customer is listening. */
function isEngagement(event: StoredEvent): boolean {
  if (event.type === 'task.completed') return SPOKE.has(String(event.data['outcome']));
  return ENGAGING.has(event.type);
}

function engagementReasons(events: readonly StoredEvent[]): TemperatureReason[] {
  const first = events.find(isEngagement);
  return first === undefined ? [] : [{ delta: R.engaged, why: 'answers when we write', at: first.at }];
}

/** Late against the promise, damaged, lost: at most one of each per order. */
function shipmentReasons(
  events: readonly StoredEvent[],
  orders: readonly Order[],
  now: Millis,
  named: (order: Order) => string,
): TemperatureReason[] {
  const reasons: TemperatureReason[] = [];
  for (const order of orders) {
    const mine = events.filter((e) => e.orderId === order.id);
    const delays = mine.filter((e) => e.type === 'shipment.delayed' || e.type === 'shipment.exception');
    const promised = order.moments.promised;
    const delivered = order.moments.delivered;
    const lateFrom = delivered !== undefined && delivered <= now ? delivered : now;
    const still = lateFrom === now && (delivered === undefined || delivered > now);
    // Past the promise, not delivered, and nobody said it is late: wait for the carrier.
    const late =
      promised !== undefined &&
      promised <= now &&
      lateFrom - promised >= R.lateTolerance &&
      !(still && delays.length === 0);
    if (late) {
      const days = Math.max(1, Math.round((lateFrom - promised) / DAY_MS));
      reasons.push({
        delta: Math.max(R.lateMax, R.latePerDay * days),
        why: still
          ? `shipment ${plural(days, 'day')} late and not delivered yet${named(order)}`
          : `shipment ${plural(days, 'day')} late${named(order)}`,
        at: still ? (delays[0]?.at ?? promised) : lateFrom,
      });
    } else if (promised === undefined && delays[0] !== undefined) {
      reasons.push({ delta: R.delayedNoPromise, why: `shipment delayed${named(order)}`, at: delays[0].at });
    }
    const lost = delays.find((e) => exceptionOf(e) === 'lost' || mentions(e, 'lost'));
    if (lost !== undefined)
      reasons.push({ delta: R.lost, why: `parcel lost in transit${named(order)}`, at: lost.at });
    const damage = mine.find(
      (e) =>
        exceptionOf(e) === 'damaged' ||
        ((e.type === 'shipment.delayed' || e.type === 'order.returned') && mentions(e, 'damag')),
    );
    if (damage !== undefined)
      reasons.push({ delta: R.damaged, why: `parcel arrived damaged${named(order)}`, at: damage.at });
  }
  return reasons;
}

/** `data.damaged: true` / `data.lost: true`, or the word in the carrier's reason or status. */
function mentions(event: StoredEvent, word: 'damag' | 'lost'): boolean {
  if (event.data[word === 'damag' ? 'damaged' : 'lost'] === true) return true;
  return ['reason', 'status', 'description', 'message'].some((field) => {
    const value = event.data[field];
    return typeof value === 'string' && value.toLowerCase().includes(word);
  });
}

function endingReasons(
  events: readonly StoredEvent[],
  orderOf: (id: string | null) => Order | undefined,
  named: (order: Order | undefined) => string,
): TemperatureReason[] {
  const reasons: TemperatureReason[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const key = `${event.type}:${event.orderId ?? event.id}`;
    if (seen.has(key)) continue;
    const because = typeof event.data['reason'] === 'string' ? `: ${event.data['reason']}` : '';
    const order = named(orderOf(event.orderId));
    if (event.type === 'order.returned') {
      reasons.push({ delta: R.returned, why: `returned the order${order}${because}`, at: event.at });
    } else if (event.type === 'order.cancelled') {
      reasons.push({ delta: R.cancelled, why: `cancelled the order${order}${because}`, at: event.at });
    } else if (event.type === 'customer.unsubscribed') {
      reasons.push({ delta: R.unsubscribed, why: 'unsubscribed from our e-mails', at: event.at });
    } else continue;
    seen.add(key);
  }
  return reasons;
}

/** An open concern costs by its severity; resolving it gives part back, more when fast. */
function concernReasons(concerns: readonly Concern[], now: Millis): TemperatureReason[] {
  const reasons: TemperatureReason[] = [];
  for (const concern of concerns) {
    if (concern.openedAt > now) continue;
    const penalty = R.concern[concern.severity];
    reasons.push({ delta: penalty, why: `raised a concern: ${concern.summary}`, at: concern.openedAt });
    const resolvedAt = concern.resolvedAt;
    if (concern.status !== 'resolved' || resolvedAt === null || resolvedAt > now) continue;
    const took = resolvedAt - concern.openedAt;
    const band = R.recovery.find((b) => took <= b.within) ?? R.recovery[R.recovery.length - 1]!;
    reasons.push({
      delta: Math.round(-penalty * band.share),
      why: `concern resolved ${band.words} (${duration(took)}): ${concern.summary}`,
      at: resolvedAt,
    });
  }
  return reasons;
}

/**
 * Delivered over a week ago, written to, and nothing back since delivery: silent customers
 * leave without a word. Counted once, for the latest delivery.
 */
function silenceReasons(
  events: readonly StoredEvent[],
  touchPoints: readonly TouchPoint[],
  orders: readonly Order[],
  now: Millis,
): TemperatureReason[] {
  const deliveries = orders.flatMap((o) =>
    o.moments.delivered !== undefined && o.moments.delivered <= now ? [o.moments.delivered] : [],
  );
  if (deliveries.length === 0) return [];
  const delivered = Math.max(...deliveries);
  const silentAt = delivered + R.silenceAfter;
  if (silentAt > now) return [];
  if (events.some((e) => e.at >= delivered && isEngagement(e))) return [];
  const sent = touchPoints.filter(
    (t) =>
      t.status === 'sent' &&
      (t.channel === 'email' || t.channel === 'sms') &&
      t.outcomeAt !== null &&
      t.outcomeAt <= now,
  ).length;
  if (sent === 0) return [];
  const days = Math.floor((now - delivered) / DAY_MS);
  return [
    {
      delta: R.silence,
      why: `no answer in ${plural(days, 'day')} since delivery (${plural(sent, 'message')} sent)`,
      at: silentAt,
    },
  ];
}

/** Old news counts half after three months and not at all after a year. */
function faded(reason: TemperatureReason, now: Millis): TemperatureReason | null {
  const age = now - reason.at;
  if (age > R.forgetAfter) return null;
  if (age <= R.fadeAfter) return reason;
  return {
    ...reason,
    delta: Math.trunc(reason.delta / 2),
    why: `${reason.why} (over 3 months ago, counts half)`,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function duration(ms: Millis): string {
  const hours = Math.round(ms / 3_600_000);
  if (hours < 1) return 'in under an hour';
  if (hours < 48) return `in ${plural(hours, 'hour')}`;
  return `in ${plural(Math.round(ms / DAY_MS), 'day')}`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
