// A sample customer and order for `template preview --sample`, `template send-test` and `lint`:
// every field a default template may read is filled (shipped and delivered, tracked, a number
// the customer knows), so a preview shows each sentence a real message could hold.
import type { BusinessInfo } from '../core/business.js';
import {
  EMPTY_TIP_CATALOGUE,
  tipFor,
  tipText,
  type TipCatalogue,
  type TipContext,
} from '../core/education/series.js';
import type { Customer, Millis, Order, TouchPoint } from '../core/domain.js';
import { DEFAULT_PREFERENCES } from '../core/listening/types.js';
import type { Playbook, Step } from '../core/playbook/types.js';
import { resolveZone } from '../core/localTime.js';
import { matchStory, useCasesOf } from '../core/stories/match.js';
import type { Story, StoryMatch } from '../core/stories/story.js';
import { readStoryDir, sampleStoriesDir } from '../config/stories.js';
import type { LinkTokens } from '../engine/links/token.js';
import { linksFor } from '../engine/message.js';
import { templateContext, type TemplateContext } from '../templates/render.js';

const DAY = 86_400_000;
export const SAMPLE_CUSTOMER_ID = 'sample-customer';
export const SAMPLE_ORDER_ID = 'sample-order';

/** The sample customer, in `locale` (default en-US) and the zone given. */
export function sampleCustomer(now: Millis, locale: string | null, zone: string): Customer {
  return {
    id: SAMPLE_CUSTOMER_ID,
    email: 'sam.sample@example.com',
    firstName: 'Sam',
    lastName: 'Sample',
    phone: '+1 555 0100',
    timezone: zone,
    locale: locale ?? 'en-US',
    segment: 'b2c',
    holdout: false,
    temperature: 50,
    temperatureReasons: [],
    openConcerns: 0,
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: DEFAULT_PREFERENCES,
    unsubscribedAt: null,
    emailBouncedAt: null,
    orderCount: 1,
    lastOrderId: SAMPLE_ORDER_ID,
    attributes: {},
    createdAt: now - 12 * DAY,
  };
}

/** A delivered, tracked order of two items, placed twelve days before `now`. */
export function sampleOrder(now: Millis, currency: string): Order {
  const placed = now - 12 * DAY;
  return {
    id: SAMPLE_ORDER_ID,
    customerId: SAMPLE_CUSTOMER_ID,
    number: '#1001',
    shippingAddress: {
      name: 'Sam Sample',
      company: null,
      line1: '1 Sample Street',
      line2: null,
      city: 'Springfield',
      region: null,
      postalCode: '12345',
      country: 'US',
      phone: null,
    },
    placedAt: placed,
    currency,
    total: 129.5,
    segment: 'b2c',
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    items: [
      { sku: 'LAMP-1', productName: 'Desk lamp', category: 'lighting', quantity: 1, price: 119.5 },
      { sku: 'BULB-1', productName: 'Spare bulb', category: 'lighting', quantity: 1, price: 10 },
    ],
    shipments: [
      {
        id: 'sample-shipment',
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
        trackingUrl: null,
        shippedAt: placed + DAY,
        deliveredAt: placed + 3 * DAY,
        status: 'delivered',
      },
    ],
    moments: { placed, shipped: placed + DAY, promised: placed + 4 * DAY, delivered: placed + 3 * DAY },
    sequence: 1,
    attributes: {},
    updatedAt: placed + 3 * DAY,
  };
}

/** The touch point a step would have for this order (ids as the planner makes them). */
export function touchPointFor(playbook: Playbook, step: Step, order: Order, now: Millis): TouchPoint {
  const enrollmentId = `${playbook.name}:${order.id}`;
  return {
    id: `${enrollmentId}:${step.key}`,
    enrollmentId,
    customerId: order.customerId,
    orderId: order.id,
    playbook: playbook.name,
    playbookVersion: playbook.version,
    stepKey: step.key,
    channel: step.channel,
    purpose: step.purpose,
    holdout: false,
    dueAt: now,
    status: 'scheduled',
    attempt: 0,
    leaseUntil: null,
    reason: null,
    outcomeAt: null,
    createdAt: order.placedAt,
  };
}

export interface ContextSettings {
  business: BusinessInfo;
  publicUrl: string;
  defaultTimezone: string;
  tokens: LinkTokens;
  now: Millis;
  /** Replace every link with this one (a test message's links lead to a page that exists). */
  linksTo?: string;
  /** The tip series a `tip: N` step reads its tip from (AFTERCARE_TIPS_DIR). */
  tips?: TipCatalogue;
  /** For `tip: N` steps: this series' tip rather than the one the order would get (lint). */
  tipSeries?: string;
  /** The story a story step tells (storyFor). */
  story?: StoryMatch | null;
}

let samples: readonly Story[] | null = null;

/** The built-in sample stories (playbooks/stories: made up, for previews, lint and the demo). */
export function sampleStories(): readonly Story[] {
  if (samples === null) {
    const read = readStoryDir(sampleStoriesDir());
    if (!read.ok)
      throw new Error(`the built-in sample stories are invalid: ${read.issues[0]?.message ?? ''}`);
    samples = read.stories;
  }
  return samples;
}

/**
 * The story the dispatcher would tell with `step` to this customer for this order, written in
 * `writtenIn` (the template variant's locale); null for a step that tells none, or no match.
 */
export function storyFor(
  step: Step,
  library: readonly Story[],
  customer: Customer,
  order: Order,
  writtenIn: string,
  told: ReadonlySet<string> = new Set(),
): StoryMatch | null {
  if (step.story !== true) return null;
  return matchStory(library, {
    segment: order.segment,
    items: order.items,
    useCases: useCasesOf(order.attributes, customer.attributes),
    locale: writtenIn,
    told,
  });
}

/** The context the dispatcher would render `step` with for this customer and order. */
export function contextFor(
  playbook: Playbook,
  step: Step,
  customer: Customer,
  order: Order,
  settings: ContextSettings,
): TemplateContext {
  const { now } = settings;
  const zone = resolveZone(customer.timezone, settings.defaultTimezone);
  const touchPoint = touchPointFor(playbook, step, order, now);
  const trackingUrl = order.shipments.find((s) => s.trackingUrl)?.trackingUrl ?? null;
  const sealed = linksFor({
    publicUrl: settings.publicUrl,
    touchPoint,
    step,
    trackingUrl,
    tokens: settings.tokens,
    now,
  });
  const links = settings.linksTo === undefined ? sealed : redirect(sealed, settings.linksTo);
  const context = templateContext({
    customer,
    order,
    touchPoint,
    step,
    business: settings.business,
    links,
    now,
    zone,
    // An offer step carries an offer and its code when offers are configured: show that case.
    offer: step.purpose === 'offer' ? sampleOffer(now, customer.locale) : null,
    story: settings.story ?? null,
  });
  if (step.tip !== undefined) context['tip'] = sampleTip(step.tip, order, customer, settings);
  return context;
}

/**
 * The tip a `tip: N` step would send this order; when no series fits it (or `tipSeries` names
 * one), the first series with a tip N, so a preview always shows a real tip. The preview says
 * which series and why in `tip.matched`.
 */
export function sampleTip(
  number: number,
  order: Order,
  customer: Customer,
  settings: ContextSettings,
): TipContext {
  const catalogue = settings.tips ?? EMPTY_TIP_CATALOGUE;
  const own = settings.tipSeries === undefined ? tipFor(catalogue, number, order, customer) : null;
  if (own !== null) return own;
  const series = catalogue.series.find(
    (s) => (settings.tipSeries === undefined || s.id === settings.tipSeries) && s.tips.length >= number,
  );
  const tip = series?.tips[number - 1];
  if (series === undefined || tip === undefined) {
    return {
      subject: `Tip ${number}`,
      text: `(No tip series has a tip ${number}: this step sends nothing.)`,
      number,
      count: 0,
      series: '',
      matched: 'none',
    };
  }
  const { subject, text } = tipText(series, tip, customer.locale);
  return { subject, text, number, count: series.tips.length, series: series.id, matched: 'sample' };
}

const SAMPLE_OFFER_TEXT: Record<string, { title: string; text: string }> = {
  en: { title: 'The new autumn range', text: 'Our new colours, before they are in the shop.' },
  de: { title: 'Die neue Herbstkollektion', text: 'Unsere neuen Farben, bevor sie im Laden sind.' },
  fr: {
    title: 'La nouvelle collection d’automne',
    text: 'Nos nouvelles couleurs, avant leur arrivée en boutique.',
  },
  es: {
    title: 'La nueva colección de otoño',
    text: 'Nuestros nuevos colores, antes de que lleguen a la tienda.',
  },
};

/** What an offers file would give (core/offers/): a code and a two-week window. Its letters never
 * run four capitals together, which the linter would read as shouting. */
function sampleOffer(now: Millis, locale: string | null) {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  const words = SAMPLE_OFFER_TEXT[language] ?? SAMPLE_OFFER_TEXT['en']!;
  return { id: 'sample', code: 'A7KQ-3MXT-9RWP', ...words, insidersFrom: now, publicFrom: now + 14 * DAY };
}

function redirect(links: Record<string, string>, to: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(links)) out[name] = to;
  return out;
}
