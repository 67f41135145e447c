// What a template can see: the customer, the order, the business, links and the step, in
// snake_case, with times as ISO strings in the customer's zone. Built per render, so it stays
// a plain object with no methods (LiquidJS only reads own properties).
import type { BusinessInfo } from '../core/business.js';
import type { Customer, Millis, Order, Shipment, TouchPoint } from '../core/domain.js';
import { toLocalIso } from '../core/localTime.js';
import { EXCEPTION_MOMENT, type ExceptionKind } from '../core/shipmentException.js';
import { addressLines } from '../core/shippingAddress.js';
import type { Step } from '../core/playbook/types.js';
import type { StoryMatch, StoryWhy } from '../core/stories/story.js';
import { formatLocalDate, formatMoney, resolveLocale } from './format.js';
import { wordingFor } from './wording.js';

export type TemplateContext = Record<string, unknown>;

export interface TemplateContextInput {
  customer: Customer;
  order: Order;
  /**
   * Every order the message answers (a message coalesced for orders placed together names them
   * all), the touch point's own among them; default: `[order]`.
   */
  orders?: readonly Order[];
  touchPoint: TouchPoint;
  step: Step;
  business: BusinessInfo;
  /** unsubscribe, survey, plan, help, tracking... whatever the caller can link to. */
  links: Record<string, string>;
  now: Millis;
  /** The customer's resolved IANA zone. */
  zone: string;
  /** The insider offer and its code, for a step an offer names (engine/dispatch/offer.ts). */
  offer?: {
    id: string;
    code: string;
    title: string;
    text: string;
    insidersFrom: Millis;
    publicFrom: Millis;
  } | null;
  /** The customer story a story step tells (core/stories/match.ts); none: `story` is null. */
  story?: StoryMatch | null;
}

/** Where a context keeps what it was made from, out of the templates' sight (a symbol key). */
const MADE_FROM = Symbol('templateContext input');

export function templateContext(input: TemplateContextInput): TemplateContext {
  const context = buildContext(input, resolveLocale(input.customer.locale));
  Object.defineProperty(context, MADE_FROM, { value: input, enumerable: false });
  return context;
}

/**
 * The same context written for `locale` (dates, money, the survey question, the order named by
 * its day): for a customer whose language a template does not come in, so the English text it
 * falls back to is not mixed with another language's formats. A context not made by
 * templateContext (a copy) only has its `locale` replaced, which the filters read.
 */
export function inLocale(context: TemplateContext, locale: string): TemplateContext {
  const input = (context as { [MADE_FROM]?: TemplateContextInput })[MADE_FROM];
  const resolved = resolveLocale(locale);
  if (input === undefined) return { ...context, locale: resolved };
  // Only what the locale changes is made again (this runs on every such render).
  const { order, step, business, links, zone } = input;
  const orders = input.orders ?? [order];
  const rewrite = (o: Order, seen: unknown): unknown => ({
    ...(seen as Record<string, unknown>),
    reference: orderReference(o, zone, resolved),
    total_formatted: formatMoney(o.total, o.currency, resolved),
  });
  const seenOrders = context['orders'] as unknown[];
  const own = rewrite(order, context['order']);
  const relocated: TemplateContext = {
    ...context,
    order: own,
    orders: orders.map((o, i) => (o === order ? own : rewrite(o, seenOrders[i]))),
    locale: resolved,
  };
  // The survey's eleven links are made again only if the template reads them (most do not).
  let survey: unknown;
  let made = false;
  Object.defineProperty(relocated, 'survey', {
    enumerable: true,
    get: () => {
      if (!made) [survey, made] = [surveyContext(step, business, links, resolved), true];
      return survey;
    },
  });
  return relocated;
}

function buildContext(input: TemplateContextInput, locale: string): TemplateContext {
  const { customer, order, touchPoint, step, business, links, now, zone } = input;
  const iso = (at: Millis | null | undefined): string | null =>
    at === null || at === undefined ? null : toLocalIso(at, zone);
  const name = [customer.firstName, customer.lastName]
    .filter((part) => part !== null && part !== '')
    .join(' ');
  const own = orderContext(order, locale, zone, iso, links);
  return {
    // Attributes first: the fixed keys win, so an attribute cannot pose as the e-mail address.
    customer: {
      ...customer.attributes,
      id: customer.id,
      first_name: customer.firstName,
      last_name: customer.lastName,
      name: name === '' ? null : name,
      email: customer.email,
      phone: customer.phone,
      locale: customer.locale,
      timezone: zone,
      segment: customer.segment,
      order_count: customer.orderCount,
    },
    order: own,
    orders: (input.orders ?? [order]).map((o) =>
      o === order ? own : orderContext(o, locale, zone, iso, {}),
    ),
    business: {
      name: business.name,
      website: business.website,
      support_email: business.supportEmail,
      support_phone: business.supportPhone,
      escalation_name: business.escalationName,
      escalation_email: business.escalationEmail,
      postal_address: business.postalAddress,
      from_email: business.fromEmail,
    },
    // As given, not copied: its links are sealed when read, so a template pays for those it uses.
    links,
    step: {
      key: step.key,
      purpose: step.purpose,
      channel: step.channel,
      description: step.description,
      owner: step.owner,
    },
    survey: surveyContext(step, business, links, locale),
    story: storyContext(input.story ?? null, locale),
    touch_point: { id: touchPoint.id, due_at: iso(touchPoint.dueAt) },
    // null when the message carries none: templates test `{% if offer %}`.
    offer:
      input.offer === undefined || input.offer === null
        ? null
        : {
            id: input.offer.id,
            code: input.offer.code,
            title: input.offer.title,
            text: input.offer.text,
            insiders_from: iso(input.offer.insidersFrom),
            public_from: iso(input.offer.publicFrom),
          },
    now: iso(now),
    locale,
    zone,
  };
}

/**
 * How text names the order after the word "order": its number (`#1042`) or, when the source
 * gave none, the day it was placed (`of March 3, 2026`). Never the internal id.
 */
export function orderReference(order: Order, zone: string, locale: string): string {
  return order.number ?? wordingFor(locale).placedOn(formatLocalDate(order.placedAt, zone, locale));
}

/** The gravest shipping problem reported for the order (lost, damaged, returned, missed, late), or null. */
function worstException(order: Order): ExceptionKind | null {
  for (const kind of ['lost', 'damaged', 'returned_to_sender', 'failed_attempt', 'late'] as const) {
    if (order.moments[EXCEPTION_MOMENT[kind]] !== undefined) return kind;
  }
  return null;
}

/** One order as templates see it (`order`, and each of `orders`). */
function orderContext(
  order: Order,
  locale: string,
  zone: string,
  iso: (at: Millis | null | undefined) => string | null,
  links: Record<string, string>,
): Record<string, unknown> {
  const items = order.items.map((item) => ({
    sku: item.sku,
    product_name: item.productName,
    category: item.category,
    quantity: item.quantity,
    price: item.price,
  }));
  const shipment = currentShipment(order.shipments);
  const address = order.shippingAddress === null ? null : addressLines(order.shippingAddress);
  return {
    ...order.attributes,
    // Also under `attributes` (`order.attributes.customer_story`), as the docs and templates name them.
    attributes: { ...order.attributes },
    // Internal key: for links and logs, never for the customer's eyes (use number / reference).
    id: order.id,
    number: order.number,
    reference: orderReference(order, zone, locale),
    shipping_address: address === null ? null : address.join('\n'),
    shipping_address_lines: address ?? [],
    shipping_exception: worstException(order),
    total: order.total,
    currency: order.currency,
    total_formatted: formatMoney(order.total, order.currency, locale),
    segment: order.segment,
    kind: order.kind,
    ships: order.kind === 'goods',
    renewal_period: order.renewalPeriod,
    renewal_cycle: order.renewalCycle,
    sequence: order.sequence,
    first: order.sequence === 1,
    items,
    first_item: items[0] ?? null,
    item_count: items.reduce((sum, item) => sum + item.quantity, 0),
    placed_at: iso(order.placedAt),
    promised_delivery_at: iso(order.moments.promised),
    shipped_at: iso(order.moments.shipped),
    delivered_at: iso(order.moments.delivered),
    started_at: iso(order.moments.started),
    onboarded_at: iso(order.moments.onboarded),
    renewal_at: iso(order.moments.renewal),
    carrier: shipment?.carrier ?? null,
    tracking_number: shipment?.trackingNumber ?? null,
    tracking_url: shipment?.trackingUrl ?? links['tracking'] ?? null,
  };
}

/** The shipment a customer cares about: the latest one with tracking, else the latest. */
function currentShipment(shipments: readonly Shipment[]): Shipment | null {
  for (let i = shipments.length - 1; i >= 0; i--) {
    const s = shipments[i];
    if (s !== undefined && (s.trackingUrl !== null || s.trackingNumber !== null)) return s;
  }
  return shipments[shipments.length - 1] ?? null;
}

/** The story as templates see it, with why it was chosen in the message's language. */
function storyContext(match: StoryMatch | null, locale: string): unknown {
  if (match === null) return null;
  const { story, why } = match;
  return {
    id: story.id,
    title: story.title,
    text: story.text,
    name: story.teller.name,
    company: story.teller.company,
    reason: storyReason(why, locale),
    why: { product: why.product, category: why.category, use_case: why.useCase, segment: why.segment },
  };
}

/** `Why this story: same product, also a business customer.` in the locale's language. */
export function storyReason(why: StoryWhy, locale: string): string {
  const words = wordingFor(locale).story;
  const parts: string[] = [];
  if (why.product !== null) parts.push(words.product);
  else if (why.category !== null) parts.push(words.category);
  if (why.useCase !== null) parts.push(words.useCase);
  if (why.segment !== null) parts.push(words.segment[why.segment]);
  return `${words.lead} ${parts.join(', ')}.`;
}

const SURVEY_SCALE = {
  csat: { first: 1, last: 5 },
  nps: { first: 0, last: 10 },
} as const;

function surveyContext(
  step: Step,
  business: BusinessInfo,
  links: Record<string, string>,
  locale: string,
): unknown {
  const base = links['survey'];
  if (step.survey === null || base === undefined) return null;
  const words = wordingFor(locale).survey[step.survey];
  const wording = { ...SURVEY_SCALE[step.survey], low: words.low, high: words.high };
  const question = words.question(business.name);
  const join = base.includes('?') ? '&' : '?';
  const scale = [];
  // `links`: the scale as ready-made text lines, so plain-text templates need no 11-turn loop.
  let lines = '';
  for (let score: number = wording.first; score <= wording.last; score++) {
    const url = `${base}${join}score=${score}`;
    scale.push({ score, url });
    const label =
      score === wording.first ? ` (${wording.low})` : score === wording.last ? ` (${wording.high})` : '';
    lines += `${lines === '' ? '' : '\n'}${score}${label}: ${url}`;
  }
  return {
    kind: step.survey,
    question,
    scale,
    low_label: wording.low,
    high_label: wording.high,
    links: lines,
  };
}
