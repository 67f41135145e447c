// Generates a believable stream of demo orders: b2c and b2b customers across many zones, some
// repeat buyers, high-value carts, subscriptions that renew, and a realistic share of orders
// that are delayed, returned or cancelled. Deterministic for a seed and a start time.
// Facts the program changes (returns, cancellations, coming back to buy) are drawn for both
// worlds at once, the program's and the holdout's (effect.ts): `onlyFor` says which facts happen
// in one world only, and the demo passes on what the customer's group does (worlds.ts).
import type { Millis, RenewalPeriod, SaleKind, Segment } from '../../core/domain.js';
import { fromLocal, localParts } from '../../core/localTime.js';
import {
  B2B_PRODUCTS,
  B2C_PRODUCTS,
  CANCEL_REASONS,
  COMPANIES,
  DELAY_REASONS,
  FIRST_NAMES,
  LAST_NAMES,
  REGIONS,
  RETURN_REASONS,
  ANSWER_COMMENTS,
  SALES_CHANNELS,
  type DemoProduct,
  type DemoRegion,
} from './catalog.js';
import { DEMO_EFFECT, factFor, type DemoGroup } from './effect.js';
import { seededRandom, type Random } from './random.js';

const HOUR: Millis = 3_600_000;
const DAY: Millis = 24 * HOUR;

export interface DemoOptions {
  orders: number;
  seed: string | number;
  /** Orders are placed between `start - pastDays` and `start + futureDays`. */
  start: Millis;
  pastDays?: number;
  futureDays?: number;
  /**
   * Back-filled history: `orders` more, placed over the `days` before the period above (oldest
   * first), so repeat purchases within 90 and 180 days can be judged from the first day.
   */
  history?: { days: number; orders: number };
}

/**
 * Facts that happen in one world only: the whole order (a repeat purchase a holdout customer
 * does not make), its cancellation, what follows its placing (shipping, delivery, renewals: not
 * in a world where it was cancelled), its return.
 */
export interface DemoOnlyFor {
  order?: DemoGroup;
  cancelled?: DemoGroup;
  lifecycle?: DemoGroup;
  returned?: DemoGroup;
}

export interface DemoCustomer {
  customerId: string | null;
  email: string;
  firstName: string;
  lastName: string;
  phone: string | null;
  region: DemoRegion;
  segment: Segment;
  company: string | null;
}

export interface DemoLine {
  sku: string;
  productName: string;
  category: string;
  quantity: number;
}

export interface DemoOrder {
  orderId: string;
  customer: DemoCustomer;
  currency: string;
  total: number;
  lines: DemoLine[];
  placedAt: Millis;
  /** Local calendar date (YYYY-MM-DD) the delivery is promised for, if anything ships. */
  promisedDate: string | null;
  shippedAt: Millis | null;
  carrier: string | null;
  trackingNumber: string | null;
  delayedAt: Millis | null;
  delayReason: string | null;
  outForDeliveryAt: Millis | null;
  deliveredAt: Millis | null;
  returnedAt: Millis | null;
  returnReason: string | null;
  cancelledAt: Millis | null;
  cancelReason: string | null;
  renewalAt: Millis | null;
  /** Goods ship; services and software start (and most are onboarded a few days later). */
  kind: SaleKind;
  renewalPeriod: RenewalPeriod | null;
  startedAt: Millis | null;
  onboardedAt: Millis | null;
  /** Renewals that happened before the demo's start: when, and the next renewal each set. */
  renewals: { at: Millis; next: Millis }[];
  salesChannel: string;
  /** An answer to the NPS question some days after delivery, as customers give them. */
  answer: DemoAnswer | null;
  onlyFor: DemoOnlyFor;
  /** The customer's first order in the demo: a later order's world is known from it. */
  firstOrderId: string;
  /** Placed in the back-filled history, before the demo's period. */
  backfilled: boolean;
}

export interface DemoAnswer {
  at: Millis;
  score: number;
  comment: string | null;
}

/** The zone used for local times when the customer gave none. */
const FALLBACK_ZONE = 'UTC';
const zoneOf = (customer: DemoCustomer): string => customer.region.timezone || FALLBACK_ZONE;

/** `at` moved to `hour:minute` local time on the same local day. */
function atLocalHour(at: Millis, zone: string, hour: number, minute: number): Millis {
  const p = localParts(at, zone);
  return fromLocal({ year: p.year, month: p.month, day: p.day, hour, minute }, zone);
}

function localDate(at: Millis, zone: string): string {
  const p = localParts(at, zone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** Same local wall time `months` later (the day clamped to the month's end). */
function addMonths(at: Millis, zone: string, months: number): Millis {
  const p = localParts(at, zone);
  const monthIndex = p.month - 1 + months;
  const year = p.year + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return fromLocal({ year, month, day: Math.min(p.day, lastDay), hour: p.hour, minute: p.minute }, zone);
}

function price(usd: number, region: DemoRegion): number {
  const local = usd * region.rate;
  // Whole units where cents are not used; otherwise shop-style .00/.50/.90 endings.
  if (region.currency === 'JPY' || region.currency === 'INR') return Math.round(local / 10) * 10;
  return Math.round(local * 10) / 10;
}

function slug(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

function phoneNumber(r: Random, region: DemoRegion): string {
  let phone = region.phonePrefix;
  while (phone.length < region.phoneLength) phone += String(r.int(0, 9));
  return phone;
}

class CustomerPool {
  private readonly recent: DemoCustomer[] = [];
  private count = 0;
  constructor(private readonly random: Random) {}

  next(): DemoCustomer {
    // About one order in six comes from someone who bought before.
    if (this.recent.length > 5 && this.random.chance(0.16)) return this.random.pick(this.recent);
    const customer = this.create();
    this.recent.push(customer);
    if (this.recent.length > 2000) this.recent.shift();
    return customer;
  }

  private create(): DemoCustomer {
    const r = this.random;
    const n = ++this.count;
    const firstName = r.pick(FIRST_NAMES);
    const lastName = r.pick(LAST_NAMES);
    const region = r.weighted(REGIONS.map((region) => [region, region.weight] as const));
    const segment: Segment = r.chance(0.2) ? 'b2b' : 'b2c';
    const company = segment === 'b2b' ? r.pick(COMPANIES) : null;
    const local = `${slug(firstName)}.${slug(lastName)}${n}`;
    const email =
      company !== null
        ? `${local}@${slug(company)}.example`
        : `${local}@${r.pick(['example.com', 'example.org', 'example.net'])}`;
    return {
      // Business accounts come with the shop's own id; consumers are known by e-mail only.
      customerId: segment === 'b2b' ? `acct_${String(1000 + n)}` : null,
      email: r.chance(0.05) ? email.toUpperCase() : email,
      firstName,
      lastName,
      phone: r.chance(0.7) ? phoneNumber(r, region) : null,
      region,
      segment,
      company,
    };
  }
}

function pickLines(r: Random, segment: Segment): { product: DemoProduct; quantity: number }[] {
  const catalog = segment === 'b2b' ? B2B_PRODUCTS : B2C_PRODUCTS;
  const count = r.weighted([
    [1, 65],
    [2, 25],
    [3, 10],
  ] as const);
  const chosen = new Map<string, { product: DemoProduct; quantity: number }>();
  while (chosen.size < count) {
    // Big-ticket items are rarer than everyday ones.
    const product = r.weighted(catalog.map((p) => [p, p.price > 1500 && segment === 'b2c' ? 1 : 6] as const));
    if (!chosen.has(product.sku)) chosen.set(product.sku, { product, quantity: r.int(...product.quantity) });
  }
  return [...chosen.values()];
}

function other(group: DemoGroup): DemoGroup {
  return group === 'holdout' ? 'treatment' : 'holdout';
}

function buildOrder(r: Random, index: number, customer: DemoCustomer, placedAt: Millis): DemoOrder {
  const orderId = `DEMO-${String(10001 + index)}`;
  const zone = zoneOf(customer);
  const picked = pickLines(r, customer.segment);
  const lines: DemoLine[] = picked.map(({ product, quantity }) => ({
    sku: product.sku,
    productName: product.name,
    category: product.category,
    quantity,
  }));
  const total = picked.reduce(
    (sum, { product, quantity }) => sum + price(product.price, customer.region) * quantity,
    0,
  );
  const shipped = picked.some(({ product }) => product.shipped);
  const renews = picked
    .map(({ product }) => product.renewsAfterMonths)
    .filter((m): m is number => m !== null);
  const months = renews.length > 0 ? Math.min(...renews) : null;
  const kind: SaleKind = shipped
    ? 'goods'
    : picked.some(({ product }) => product.category === 'software')
      ? 'software'
      : 'service';
  const order: DemoOrder = {
    orderId,
    customer,
    currency: customer.region.currency,
    total: Math.round(total * 100) / 100,
    lines,
    placedAt,
    promisedDate: null,
    shippedAt: null,
    carrier: null,
    trackingNumber: null,
    delayedAt: null,
    delayReason: null,
    outForDeliveryAt: null,
    deliveredAt: null,
    returnedAt: null,
    returnReason: null,
    cancelledAt: null,
    cancelReason: null,
    renewalAt: months !== null ? addMonths(placedAt, zone, months) : null,
    kind,
    renewalPeriod: months === 1 ? 'monthly' : months === 3 ? 'quarterly' : months === 12 ? 'annual' : null,
    startedAt: null,
    onboardedAt: null,
    renewals: [],
    salesChannel:
      customer.segment === 'b2b' ? r.pick(['phone', 'web', 'sales rep']) : r.weighted(SALES_CHANNELS),
    answer: null,
    onlyFor: {},
    firstOrderId: orderId,
    backfilled: false,
  };
  // Services and software are cancelled half as often as goods, in both worlds.
  const scale = shipped ? 1 : 0.5;
  const cancelled = factFor(r.next(), {
    treatment: DEMO_EFFECT.cancelRate.treatment * scale,
    holdout: DEMO_EFFECT.cancelRate.holdout * scale,
  });
  if (cancelled.length > 0) {
    order.cancelledAt = placedAt + r.int(1, 20) * HOUR;
    order.cancelReason = r.pick(CANCEL_REASONS);
    if (cancelled.length === 2) {
      order.renewalAt = null;
      return order;
    }
    // Cancelled in one world only: in the other it goes on as below.
    order.onlyFor.cancelled = cancelled[0]!;
    order.onlyFor.lifecycle = other(cancelled[0]!);
  }
  if (!shipped) {
    // Software is activated within the hour; a service begins on a morning a few days later.
    order.startedAt =
      kind === 'software'
        ? placedAt + r.int(2, 50) * 60_000
        : atLocalHour(placedAt + r.int(1, 6) * DAY, zone, 9, 30);
    if (r.chance(0.7)) order.onboardedAt = atLocalHour(order.startedAt + r.int(3, 14) * DAY, zone, 16, 0);
    return order;
  }

  const bulky = picked.some(({ product }) => product.category === 'furniture' || product.quantity[1] > 5);
  const promisedAt = atLocalHour(placedAt + r.int(bulky ? 7 : 3, bulky ? 14 : 6) * DAY, zone, 12, 0);
  order.promisedDate = localDate(promisedAt, zone);
  const promiseEnd = atLocalHour(promisedAt, zone, 20, 0);
  order.shippedAt = placedAt + r.int(6, 44) * HOUR;
  order.carrier = r.pick(customer.region.carriers);
  order.trackingNumber = `${order.carrier
    .replace(/[^A-Za-z]/g, '')
    .slice(0, 2)
    .toUpperCase()}${String(r.int(10_000_000, 99_999_999))}`;
  const fate = r.weighted([
    ['on_time', 86],
    ['late', 12],
    ['lost', 2],
  ] as const);
  if (fate !== 'on_time') {
    order.delayedAt = atLocalHour(promisedAt, zone, r.int(8, 16), r.int(0, 59));
    order.delayReason = fate === 'lost' ? 'lost in transit' : r.pick(DELAY_REASONS);
  }
  if (fate === 'lost') return order;
  const candidate = atLocalHour(order.shippedAt + r.int(1, 4) * DAY, zone, r.int(9, 18), r.int(0, 59));
  order.deliveredAt =
    fate === 'late'
      ? atLocalHour(promisedAt + r.int(1, 4) * DAY, zone, r.int(9, 18), r.int(0, 59))
      : Math.max(order.shippedAt + 6 * HOUR, Math.min(candidate, promiseEnd - HOUR));
  order.outForDeliveryAt = Math.max(order.shippedAt + HOUR, order.deliveredAt - r.int(2, 6) * HOUR);
  const returnDraw = r.next();
  // Returned only in worlds where the order went on (was not cancelled).
  const returned = factFor(returnDraw, DEMO_EFFECT.returnRate).filter(
    (group) => order.onlyFor.lifecycle === undefined || order.onlyFor.lifecycle === group,
  );
  if (customer.segment === 'b2c' && returned.length > 0) {
    order.returnedAt = order.deliveredAt + r.int(2, 25) * DAY + r.int(0, 8) * HOUR;
    order.returnReason = r.pick(RETURN_REASONS);
    if (returned.length === 2) order.renewalAt = null;
    else if (order.onlyFor.lifecycle === undefined) order.onlyFor.returned = returned[0]!;
  }
  // About two buyers in five answer the NPS question; a late parcel or a return shows in the score.
  if (r.chance(0.4)) {
    const troubled = fate === 'late' || order.returnedAt !== null;
    const band = r.weighted(
      troubled
        ? ([
            ['detractor', 5],
            ['passive', 3],
            ['promoter', 2],
          ] as const)
        : ([
            ['detractor', 1],
            ['passive', 3],
            ['promoter', 6],
          ] as const),
    );
    const score = band === 'detractor' ? r.int(0, 6) : band === 'passive' ? r.int(7, 8) : r.int(9, 10);
    const at = atLocalHour(order.deliveredAt + r.int(2, 10) * DAY, zone, r.int(8, 21), r.int(0, 59));
    const comment = r.chance(0.6) ? r.pick(ANSWER_COMMENTS[band]) : null;
    order.answer = { at, score, comment };
  }
  return order;
}

/** Orders one by one, oldest day first, so any number can be written without holding them all. */
export function* generateDemoOrders(options: DemoOptions): Generator<DemoOrder> {
  const r = seededRandom(options.seed);
  const customers = new CustomerPool(r);
  const firstOrders = new Map<DemoCustomer, string>();
  const pastDays = options.pastDays ?? 30;
  const futureDays = options.futureDays ?? 0;
  const first = options.start - pastDays * DAY;
  const span = (pastDays + futureDays) * DAY;
  const history = options.history ?? { days: 0, orders: 0 };
  const historyFirst = first - history.days * DAY;
  const total = history.orders + options.orders;
  for (let i = 0; i < total; i++) {
    const customer = customers.next();
    const backfilled = i < history.orders;
    // Spread evenly over the period; within a day, people shop mostly from morning to late evening.
    const day = backfilled
      ? historyFirst + Math.floor((i / Math.max(1, history.orders)) * history.days * DAY)
      : first + Math.floor(((i - history.orders) / Math.max(1, options.orders)) * span);
    const hour = r.weighted([
      [8, 2],
      [10, 4],
      [12, 5],
      [14, 4],
      [17, 4],
      [19, 6],
      [21, 4],
      [23, 1],
    ] as const);
    const placedAt = atLocalHour(day, zoneOf(customer), hour, r.int(0, 59)) + r.int(0, 59) * 1000;
    const order = buildOrder(r, i, customer, placedAt);
    order.renewals = renewalsBefore(order, options.start);
    order.backfilled = backfilled;
    const firstOrder = firstOrders.get(customer);
    if (firstOrder === undefined) firstOrders.set(customer, order.orderId);
    else {
      order.firstOrderId = firstOrder;
      // A customer who comes back: some of these purchases a holdout customer does not make.
      if (r.chance(DEMO_EFFECT.holdoutForgoesRepeat)) order.onlyFor.order = 'treatment';
    }
    yield order;
  }
}

/** Each renewal up to `until` (the subscription kept), and the next date it set. */
function renewalsBefore(order: DemoOrder, until: Millis): { at: Millis; next: Millis }[] {
  const months = order.renewalPeriod === 'monthly' ? 1 : order.renewalPeriod === 'quarterly' ? 3 : 12;
  const zone = zoneOf(order.customer);
  const out: { at: Millis; next: Millis }[] = [];
  let at = order.renewalAt;
  for (let n = 1; at !== null && at <= until; n++) {
    const next = addMonths(order.placedAt, zone, months * (n + 1));
    out.push({ at, next });
    at = next;
  }
  return out;
}
