// How a customer record comes to be and how events change it: contact details merged from what
// integrations report, consent and bounces. Temperature, concerns and the other care fields are
// the listener's (core/listening/hear.ts), so nothing is counted twice.
import type { Customer, CustomerInput, DomainEvent, Millis } from './domain.js';
import { normalizeEmail } from './identity.js';
import { DEFAULT_PREFERENCES, OPTIONAL_CHANNELS, TOPICS, type Preferences } from './listening/types.js';
import { NEUTRAL_TEMPERATURE } from './temperature.js';
import { TIPS_DONE_WHY, withTipsDone, type TipsDone, type TipsDoneWhy } from './education/series.js';

/** A customer seen for the first time. `holdout` is decided by the caller, once, here. */
export function newCustomer(
  id: string,
  input: CustomerInput | undefined,
  holdout: boolean,
  now: Millis,
): Customer {
  const blank: Customer = {
    id,
    email: null,
    firstName: null,
    lastName: null,
    phone: null,
    timezone: null,
    locale: null,
    segment: 'b2c',
    holdout,
    temperature: NEUTRAL_TEMPERATURE,
    temperatureReasons: [],
    openConcerns: 0,
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: DEFAULT_PREFERENCES,
    unsubscribedAt: null,
    emailBouncedAt: null,
    orderCount: 0,
    lastOrderId: null,
    attributes: {},
    createdAt: now,
  };
  // A new record has nothing to protect: whoever reports it first fills every field.
  return mergeCustomerInput(blank, input && { ...input, contactSource: 'business' });
}

/** The contact details a customer record holds, as `customer.contact_changed` names them. */
export const CONTACT_FIELDS = ['email', 'firstName', 'lastName', 'phone', 'timezone', 'locale'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/**
 * The customer with every non-empty field the integration reported; empty ones never erase.
 * A `guest` source (a checkout anyone can fill in with anyone's address) only fills what is
 * blank: it never overwrites a name, phone, time zone, locale, segment or attribute.
 */
export function mergeCustomerInput(customer: Customer, input: CustomerInput | undefined): Customer {
  const next: Customer = { ...customer };
  if (!input) return next;
  const guest = input.contactSource === 'guest';
  const pick = <T>(given: T | null, current: T | null): T | null =>
    guest ? (current ?? given) : (given ?? current);
  next.email = pick(normalizeEmail(input.email), customer.email);
  next.firstName = pick(text(input.firstName), customer.firstName);
  next.lastName = pick(text(input.lastName), customer.lastName);
  next.phone = pick(text(input.phone), customer.phone);
  next.timezone = pick(text(input.timezone), customer.timezone);
  next.locale = pick(text(input.locale), customer.locale);
  if (input.segment && !guest) next.segment = input.segment;
  if (input.attributes && Object.keys(input.attributes).length > 0) {
    next.attributes = guest
      ? { ...input.attributes, ...customer.attributes }
      : { ...customer.attributes, ...input.attributes };
  }
  return next;
}

/**
 * The contact fields whose known value the later version replaced, in CONTACT_FIELDS order. A
 * blank filled in is not a change (a shipment that overtook its order leaves the name to it).
 */
export function changedContactFields(before: Customer, after: Customer): ContactField[] {
  return CONTACT_FIELDS.filter((field) => before[field] !== null && before[field] !== after[field]);
}

/** Pure: the customer after an event about them (order events leave the customer as is). */
export function applyEventToCustomer(customer: Customer, event: DomainEvent): Customer {
  switch (event.type) {
    case 'customer.unsubscribed':
      return customer.unsubscribedAt === null ? { ...customer, unsubscribedAt: event.at } : customer;
    case 'customer.resubscribed':
      // A resubscribe older than the unsubscribe it would undo arrived late: the later fact stands.
      return customer.unsubscribedAt !== null && event.at >= customer.unsubscribedAt
        ? { ...customer, unsubscribedAt: null }
        : customer;
    case 'email.bounced':
      return customer.emailBouncedAt === null ? { ...customer, emailBouncedAt: event.at } : customer;
    case 'purchase.repeated': {
      const count = customer.attributes['repeat_purchases'];
      const previous = typeof count === 'number' && Number.isFinite(count) ? count : 0;
      return { ...customer, attributes: { ...customer.attributes, repeat_purchases: previous + 1 } };
    }
    case 'customer.preferences_changed': {
      const done = tipsDoneOf(event.data['tipsDone'], event.at);
      if (done !== null) return markTipsDone(customer, done);
      const preferences = preferencesOf(event.data);
      // The whole choice of topics, channels and pause replaces the last; "no more tips" for an
      // order is not on the preferences page and stays.
      if (preferences === null) return customer;
      const { tipsDone } = customer.preferences;
      return { ...customer, preferences: tipsDone ? { ...preferences, tipsDone } : preferences };
    }
    case 'survey.answered':
      // The top CSAT score for an order says the customer is fine with it: no more tips for it.
      return event.orderId !== null && event.data['survey'] === 'csat' && event.data['score'] === 5
        ? markTipsDone(customer, { orderId: event.orderId, at: event.at, why: 'csat_top' })
        : customer;
    case 'customer.contact_changed':
    case 'concern.raised':
    case 'concern.resolved':
    case 'reply.received':
    case 'concern.acknowledged':
    case 'task.completed':
    case 'order.placed':
    case 'order.updated':
    case 'order.started':
    case 'order.onboarded':
    case 'shipment.shipped':
    case 'shipment.in_transit':
    case 'shipment.delayed':
    case 'shipment.exception':
    case 'shipment.out_for_delivery':
    case 'shipment.delivered':
    case 'order.returned':
    case 'order.cancelled':
    case 'order.renewed':
      return customer;
  }
}

function markTipsDone(customer: Customer, done: TipsDone): Customer {
  const list = customer.preferences.tipsDone ?? [];
  if (list.some((d) => d.orderId === done.orderId)) return customer;
  return { ...customer, preferences: { ...customer.preferences, tipsDone: withTipsDone(list, done) } };
}

/** `data.tipsDone: { orderId, why: all_set }` (the tips page): no more tips for that order. */
export function tipsDoneOf(value: unknown, at: Millis): TipsDone | null {
  if (typeof value !== 'object' || value === null) return null;
  const { orderId, why } = value as Record<string, unknown>;
  if (typeof orderId !== 'string' || orderId === '') return null;
  if (!(TIPS_DONE_WHY as readonly string[]).includes(why as string)) return null;
  return { orderId, at, why: why as TipsDoneWhy };
}

/**
 * `data.topicsOff`, `data.channelsOff` (known values only, each once) and `data.pausedUntil`
 * (epoch ms or null): the customer's whole choice, replacing the last one. Anything else in
 * them makes the event change nothing, rather than half of it.
 */
export function preferencesOf(data: Record<string, unknown>): Preferences | null {
  const topicsOff = subsetOf(data['topicsOff'], TOPICS);
  const channelsOff = subsetOf(data['channelsOff'], OPTIONAL_CHANNELS);
  const paused = data['pausedUntil'];
  const pausedOk =
    paused === null || (typeof paused === 'number' && Number.isSafeInteger(paused) && paused >= 0);
  if (topicsOff === null || channelsOff === null || !pausedOk) return null;
  return { topicsOff, channelsOff, pausedUntil: paused };
}

function subsetOf<T extends string>(value: unknown, choices: readonly T[]): T[] | null {
  if (!Array.isArray(value)) return null;
  const picked = choices.filter((choice) => value.includes(choice));
  return picked.length === value.length ? picked : null;
}

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
