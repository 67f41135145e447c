// The domain vocabulary: customers, orders and their lifecycle, events, enrollments, touch
// points and human tasks. Plain data only; times are epoch milliseconds (UTC).
import type { Preferences, TemperatureReason } from './listening/types.js';
import type { Reason } from './reasons.js';

export type Millis = number;

export const SEGMENTS = ['b2c', 'b2b'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Why a touch point exists; also its priority tier (first = most important). */
export const PURPOSES = ['transactional', 'reassurance', 'education', 'offer'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const CHANNELS = [
  'email',
  'sms',
  'webhook',
  'task:call',
  'task:meeting',
  'task:letter',
  'task:gift',
  'task:reply',
] as const;
export type ChannelName = (typeof CHANNELS)[number];

export const TASK_KINDS = ['call', 'meeting', 'letter', 'gift', 'reply'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/**
 * What was sold. Goods ship; a service begins and software is activated (`started`), and for
 * them `started` is also when the sale is `delivered`: in the customer's hands.
 */
export const SALE_KINDS = ['goods', 'service', 'software'] as const;
export type SaleKind = (typeof SALE_KINDS)[number];

/** How often a subscription renews; each renewal is one cycle of the renewal steps. */
export const RENEWAL_PERIODS = ['monthly', 'quarterly', 'annual'] as const;
export type RenewalPeriod = (typeof RENEWAL_PERIODS)[number];

/**
 * Moments of the order lifecycle a step can be timed from:
 * placed -> shipped -> (delayed) -> out_for_delivery -> delivered -> return window -> (returned |
 * cancelled) -> renewal. `promised` is the promised delivery time; `return_window_closed` is
 * delivered + the playbook's return window. A shipping problem marks `shipping_exception` (the
 * first of any kind) and its own kind: `delayed` (late), `damaged`, `lost`, `failed_attempt`,
 * `returned_to_sender` (core/shipmentException.ts).
 * Services and software have `started` (activated, the service begins; it counts as delivered)
 * and `onboarded` (onboarding done) instead of shipping; `renewal` is the next renewal date,
 * moved on by each `order.renewed`.
 */
export const MOMENTS = [
  'placed',
  'shipped',
  'promised',
  'delayed',
  'shipping_exception',
  'damaged',
  'lost',
  'failed_attempt',
  'returned_to_sender',
  'out_for_delivery',
  'delivered',
  'started',
  'onboarded',
  'return_window_closed',
  'returned',
  'cancelled',
  'renewal',
] as const;
export type Moment = (typeof MOMENTS)[number];
export type Moments = Partial<Record<Moment, Millis>>;

/**
 * Moments of the customer rather than of an order, which a *follow-up* step can be timed from:
 * they answered a survey, they replied, a concern of theirs was opened or resolved. Each time one
 * happens, the listener plans the playbook's follow-up steps for it (core/listening/followUps.ts);
 * the touch point belongs to that answer, reply or concern, not to an order's program.
 */
export const FOLLOW_UP_MOMENTS = ['answered', 'replied', 'concern_opened', 'concern_resolved'] as const;
export type FollowUpMoment = (typeof FOLLOW_UP_MOMENTS)[number];

const FOLLOW_UP_MOMENT_SET: ReadonlySet<string> = new Set(FOLLOW_UP_MOMENTS);

export function isFollowUpMoment(moment: string): moment is FollowUpMoment {
  return FOLLOW_UP_MOMENT_SET.has(moment);
}

export const SURVEYS = ['csat', 'nps'] as const;
export type Survey = (typeof SURVEYS)[number];

export interface Customer {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** IANA zone; null -> the business's default zone. */
  timezone: string | null;
  locale: string | null;
  segment: Segment;
  /** Assigned once, deterministically, when the customer is first seen; recorded, never recomputed. */
  holdout: boolean;
  /** 0..100, 50 = neutral. Derived from the event log by the listener; stored for conditions. */
  temperature: number;
  /** Why the temperature is what it is, oldest first (core/listening/temperature.ts). */
  temperatureReasons: TemperatureReason[];
  /** Concerns not yet resolved; offers, education and surveys pause while > 0. */
  openConcerns: number;
  /** A reply arrived that a person has not handled yet: automation waits for them. */
  awaitingPersonSince: Millis | null;
  /** The latest NPS score they gave (promoters get a review ask; detractors a person). */
  lastNps: number | null;
  /** The last time they did something themselves: answered, replied, chose preferences. */
  engagedAt: Millis | null;
  /** The customer's own choices: topics and channels switched off, a pause. */
  preferences: Preferences;
  unsubscribedAt: Millis | null;
  emailBouncedAt: Millis | null;
  /** Orders we have seen for this customer (intake counts each new order once). */
  orderCount: number;
  /** The latest of them, by arrival: a repeat purchase names it as the previous order. */
  lastOrderId: string | null;
  attributes: Record<string, unknown>;
  createdAt: Millis;
}

export interface LineItem {
  sku: string | null;
  productName: string | null;
  category: string | null;
  quantity: number;
  price: number | null;
}

export interface Shipment {
  id: string;
  carrier: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
  shippedAt: Millis | null;
  deliveredAt: Millis | null;
  status: 'pending' | 'in_transit' | 'out_for_delivery' | 'delayed' | 'delivered' | 'exception';
}

/** Where the order goes, as the shop knows it; every line may be missing. */
export interface ShippingAddress {
  name: string | null;
  company: string | null;
  line1: string | null;
  line2: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  /** ISO 3166 code or the name the shop gave. */
  country: string | null;
  phone: string | null;
}

export interface Order {
  id: string;
  customerId: string;
  /**
   * The number the customer knows the order by (`#1042`), or null when the source has none.
   * Customer-facing text shows this, never `id` (an internal key such as `shopify:5940139491234`).
   */
  number: string | null;
  shippingAddress: ShippingAddress | null;
  placedAt: Millis;
  currency: string;
  /** In major units of `currency`. */
  total: number;
  segment: Segment;
  /** Goods ship; services and software start. */
  kind: SaleKind;
  /** Null: not a subscription, or its period is not known (each renewal then brings the next date). */
  renewalPeriod: RenewalPeriod | null;
  /** Which renewal `moments.renewal` is: 1 for the first, raised by each `order.renewed`. */
  renewalCycle: number;
  items: LineItem[];
  shipments: Shipment[];
  /** Lifecycle moments known so far (derived ones such as return_window_closed are not stored). */
  moments: Moments;
  /** Its place among the customer's orders, by arrival: 1 = their first order. */
  sequence: number;
  attributes: Record<string, unknown>;
  updatedAt: Millis;
}

export const EVENT_TYPES = [
  'order.placed',
  'order.updated',
  'order.started',
  'order.onboarded',
  'shipment.shipped',
  'shipment.in_transit',
  'shipment.delayed',
  'shipment.exception',
  'shipment.out_for_delivery',
  'shipment.delivered',
  'order.returned',
  'order.cancelled',
  'order.renewed',
  'purchase.repeated',
  'survey.answered',
  'reply.received',
  'concern.raised',
  'concern.acknowledged',
  'concern.resolved',
  'task.completed',
  'customer.preferences_changed',
  'customer.unsubscribed',
  'customer.resubscribed',
  'email.bounced',
  'customer.contact_changed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * Events intake records itself, never taken from outside: `customer.contact_changed` says which
 * contact fields an event changed (core/customer.ts).
 */
export const DERIVED_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(['customer.contact_changed']);
/** The event types an integration, the API or a CSV file may send. */
export const INPUT_EVENT_TYPES = EVENT_TYPES.filter((type) => !DERIVED_EVENT_TYPES.has(type));

/** Events about an order (they need its id); the rest are about the customer. */
export const ORDER_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'order.placed',
  'order.updated',
  'order.started',
  'order.onboarded',
  'order.started',
  'order.onboarded',
  'shipment.shipped',
  'shipment.in_transit',
  'shipment.delayed',
  'shipment.exception',
  'shipment.out_for_delivery',
  'shipment.delivered',
  'order.returned',
  'order.cancelled',
  'order.renewed',
]);

/**
 * How far an integration's contact details are to be trusted (docs/contact-details.md):
 * `business` (the API, CSV files, the business's own systems over Standard Webhooks) and
 * `account` (a shop customer signed in to a verified account) may change name, phone, time zone
 * and locale; `guest` (a checkout where anyone may type any address) only fills blanks.
 */
export const CONTACT_SOURCES = ['business', 'account', 'guest'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

/** What an integration knows about the customer behind an event. */
export interface CustomerInput {
  /** Who vouches for these details; absent: `business`. */
  contactSource?: ContactSource | null;
  customerId?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  timezone?: string | null;
  locale?: string | null;
  segment?: Segment | null;
  attributes?: Record<string, unknown>;
}

/** What an integration knows about the order behind an event. */
export interface OrderInput {
  placedAt: Millis;
  /** The customer-facing order number (see Order.number). */
  number?: string | null;
  shippingAddress?: ShippingAddress | null;
  currency?: string | null;
  total?: number | null;
  segment?: Segment | null;
  kind?: SaleKind | null;
  items?: LineItem[];
  promisedDeliveryAt?: Millis | null;
  /** When the service began or the software was activated (the `started` moment). */
  startedAt?: Millis | null;
  renewalAt?: Millis | null;
  renewalPeriod?: RenewalPeriod | null;
  shipment?: Partial<Omit<Shipment, 'id'>> & { id?: string };
  attributes?: Record<string, unknown>;
}

/**
 * A fact from outside, already translated from the provider's shape. `id` is the provider's
 * unique id for the fact: intake drops an event whose id it has seen.
 */
export interface DomainEvent {
  id: string;
  type: EventType;
  at: Millis;
  /** At least one of customerId / orderId / customer.email identifies whose event this is. */
  customerId: string | null;
  orderId: string | null;
  customer?: CustomerInput;
  order?: OrderInput;
  data: Record<string, unknown>;
  /**
   * The event only restates its order's own record (a CSV order row's lifecycle columns): a store
   * may keep it with the order instead of as a timeline row of its own. Reads show it alike.
   */
  embedded?: boolean;
}

export interface StoredEvent {
  id: string;
  customerId: string;
  orderId: string | null;
  type: EventType;
  at: Millis;
  data: Record<string, unknown>;
  receivedAt: Millis;
}

export interface Enrollment {
  id: string;
  customerId: string;
  orderId: string;
  playbook: string;
  playbookVersion: number;
  holdout: boolean;
  status: 'active' | 'ended';
  endedReason: string | null;
  enrolledAt: Millis;
}

export const TOUCH_POINT_STATUSES = [
  'scheduled',
  'claimed',
  'sent',
  'skipped',
  'failed',
  'cancelled',
] as const;
export type TouchPointStatus = (typeof TOUCH_POINT_STATUSES)[number];
export const FINAL_STATUSES: readonly TouchPointStatus[] = ['sent', 'skipped', 'failed', 'cancelled'];

export interface TouchPoint {
  /**
   * Stable: `${enrollmentId}:${stepKey}`; also the idempotency key of whatever it sends. A step
   * timed from `renewal` has one touch point per renewal cycle: from the second cycle on its
   * stepKey carries the cycle (`renewal-notice.2`, core/renewalCycle.ts).
   */
  id: string;
  enrollmentId: string;
  customerId: string;
  orderId: string;
  playbook: string;
  playbookVersion: number;
  stepKey: string;
  channel: ChannelName;
  purpose: Purpose;
  holdout: boolean;
  dueAt: Millis;
  status: TouchPointStatus;
  /** Incremented by every claim; outcomes are recorded only for the current attempt (fencing). */
  attempt: number;
  leaseUntil: Millis | null;
  /** Why it was skipped, cancelled, failed or last deferred (core/reasons.ts). */
  reason: Reason | null;
  /** When the final outcome was recorded (sent/skipped/failed/cancelled). */
  outcomeAt: Millis | null;
  createdAt: Millis;
}

export interface Task {
  id: string;
  /** The touch point that made it; for work the listener made, a key of its own (`care:...`). */
  touchPointId: string;
  customerId: string;
  /** Null for work about the customer rather than one order (a reply, a concern raised by API). */
  orderId: string | null;
  /** The concern this work is about, if any. */
  concernId: string | null;
  kind: TaskKind;
  title: string;
  /** The rendered script / brief for the person doing the work. */
  script: string;
  dueAt: Millis;
  owner: string | null;
  status: 'open' | 'claimed' | 'done' | 'cancelled';
  outcome: string | null;
  notes: string | null;
  createdAt: Millis;
  completedAt: Millis | null;
}
