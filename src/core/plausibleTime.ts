// Which times Aftercare believes. An event dated 9999 once froze an order for good (the first
// report of a moment wins, and its follow-ups waited for that year); one dated 1970 ended every
// program at once. Intake refuses an event whose own time, or an order time it carries, lies
// outside a window around the clock, and lifecycle lets a later plausible report correct a
// moment that is not plausible any more (core/lifecycle.ts).
import type { DomainEvent, Millis } from './domain.js';

const DAY = 86_400_000;

/** Nothing Aftercare follows up on happened before 2000. */
export const EARLIEST_PLAUSIBLE: Millis = Date.UTC(2000, 0, 1);
/**
 * How far ahead of the clock a reported fact may be and still be taken: a year. Imports and
 * tests date events ahead of a clock that has not caught up; 9999 is refused.
 */
export const FACT_HORIZON_MS = 366 * DAY;
/**
 * A moment more than this ahead of the clock (clock skew, a wrong zone) is not believed: a later
 * report of it that is not ahead replaces it.
 */
export const FACT_LEEWAY_MS = DAY;
/** How far ahead a forecast (a promised delivery, a renewal) may be. */
export const FORECAST_HORIZON_MS = 5 * 366 * DAY;

/** A time something happened (an event, a shipment, an order placed), as intake takes it. */
export function isPlausibleFact(at: Millis, now: Millis): boolean {
  return Number.isFinite(at) && at >= EARLIEST_PLAUSIBLE && at <= now + FACT_HORIZON_MS;
}

/** A time something is expected (a promise, a renewal). */
export function isPlausibleForecast(at: Millis, now: Millis): boolean {
  return Number.isFinite(at) && at >= EARLIEST_PLAUSIBLE && at <= now + FORECAST_HORIZON_MS;
}

/**
 * A moment of an order that a later report should replace: a fact dated ahead of the clock, or
 * before the order was placed (both beyond the leeway).
 */
export function isImplausibleMoment(at: Millis, placedAt: Millis, now: Millis): boolean {
  return (
    !Number.isFinite(at) ||
    at < EARLIEST_PLAUSIBLE ||
    at > now + FACT_LEEWAY_MS ||
    at < placedAt - FACT_LEEWAY_MS
  );
}

/** Which of the event's times is out of the window: its own (`at`), one of its order's, or none. */
export function implausibleTimeOf(event: DomainEvent, now: Millis): 'at' | 'order' | null {
  if (!isPlausibleFact(event.at, now)) return 'at';
  const order = event.order;
  if (order === undefined) return null;
  const facts = [order.placedAt, order.shipment?.shippedAt, order.shipment?.deliveredAt];
  const forecasts = [order.promisedDeliveryAt, order.renewalAt, timeIn(event.data['next_renewal_at'])];
  for (const at of facts) if (at != null && !isPlausibleFact(at, now)) return 'order';
  for (const at of forecasts) if (at != null && !isPlausibleForecast(at, now)) return 'order';
  return null;
}

function timeIn(value: unknown): Millis | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : parsed;
}
