// Tip series (education): short sequences of tips about a product or a category, written as
// files (core/education/parse.ts) and chosen per order at send time. A playbook step with
// `tip: N` sends tip N of the order's series; the most specific series wins (a product beats a
// category beats a general series), and no series means no tip at all, never generic filler.
// Pure: the catalogue is read once with the config (config/tips.ts).
import type { Customer, LineItem, Millis, Order, Segment } from '../domain.js';

/** One tip in one language. */
export interface TipText {
  subject: string;
  text: string;
}

/** A tip: its text per locale tag (`en`, `de`, `fr-CA`), always including the series' fallback locale. */
export interface Tip {
  texts: Readonly<Record<string, TipText>>;
}

export interface TipSeries {
  id: string;
  /** Products (SKU or product name, compared without case), categories, and segments it is for. */
  match: { products: string[]; categories: string[]; segments: Segment[] };
  /** The locale a tip falls back to when the customer's is not written. */
  fallbackLocale: string;
  tips: Tip[];
  /** The file it came from, for messages. */
  source: string;
}

export interface TipCatalogue {
  /** Sorted by id: the choice between equally specific series is stable. */
  series: readonly TipSeries[];
}

export const EMPTY_TIP_CATALOGUE: TipCatalogue = Object.freeze({ series: Object.freeze([]) });

/** How a series came to be chosen, most specific first: shown in the skip detail and the preview. */
export type TipMatch = 'product' | 'category' | 'general';

export interface ChosenSeries {
  series: TipSeries;
  match: TipMatch;
  /** What matched: the product or category named in the series, or null for a general one. */
  on: string | null;
}

const norm = (value: string | null): string => (value ?? '').trim().toLowerCase();

function segmentFits(series: TipSeries, segment: Segment): boolean {
  return series.match.segments.length === 0 || series.match.segments.includes(segment);
}

function productOf(series: TipSeries, item: LineItem): string | null {
  const names = [norm(item.sku), norm(item.productName)].filter((n) => n !== '');
  return series.match.products.find((p) => names.includes(norm(p))) ?? null;
}

function categoryOf(series: TipSeries, item: LineItem): string | null {
  const category = norm(item.category);
  if (category === '') return null;
  return series.match.categories.find((c) => norm(c) === category) ?? null;
}

/**
 * The series for an order: the first item (in the order's own order) with a series naming its
 * product, else the first with a series naming its category, else a general series (no products,
 * no categories). A series listing segments only fits orders of those segments. Null: no tips.
 */
export function chooseSeries(catalogue: TipCatalogue, order: Order, customer: Customer): ChosenSeries | null {
  const segment = order.segment ?? customer.segment;
  const fitting = catalogue.series.filter((s) => segmentFits(s, segment));
  for (const item of order.items) {
    for (const series of fitting) {
      const on = productOf(series, item);
      if (on !== null) return { series, match: 'product', on };
    }
  }
  for (const item of order.items) {
    for (const series of fitting) {
      const on = categoryOf(series, item);
      if (on !== null) return { series, match: 'category', on };
    }
  }
  const general = fitting.find((s) => s.match.products.length === 0 && s.match.categories.length === 0);
  return general === undefined ? null : { series: general, match: 'general', on: null };
}

/** `product "Barista Pro"`, `category "coffee"`, `general`: why this series was chosen. */
export function describeChoice(chosen: ChosenSeries): string {
  const how = chosen.on === null ? chosen.match : `${chosen.match} "${chosen.on}"`;
  return `series ${chosen.series.id} (${how})`;
}

/** The tip's text for a locale: the exact tag, then its language, then the series' fallback. */
export function tipText(series: TipSeries, tip: Tip, locale: string | null): TipText {
  const tag = (locale ?? '').trim().replace(/_/g, '-');
  const language = tag.split('-')[0] ?? '';
  const texts = tip.texts;
  const pick = texts[tag] ?? texts[language] ?? texts[series.fallbackLocale];
  // The parser makes sure every tip has the fallback locale.
  if (pick === undefined) throw new Error(`tip series ${series.id} has no ${series.fallbackLocale} text`);
  return pick;
}

/** What a tip e-mail's template reads as `tip`. */
export interface TipContext {
  subject: string;
  text: string;
  /** 1-based position in the series, and how many it has. */
  number: number;
  count: number;
  series: string;
  /** Why this series: `product "Barista Pro"`. */
  matched: string;
}

/** The context of tip `number` (1-based) of the order's series, or null when it has none. */
export function tipFor(
  catalogue: TipCatalogue,
  number: number,
  order: Order,
  customer: Customer,
): TipContext | null {
  const chosen = chooseSeries(catalogue, order, customer);
  const tip = chosen?.series.tips[number - 1];
  if (chosen === null || tip === undefined) return null;
  const { subject, text } = tipText(chosen.series, tip, customer.locale);
  return {
    subject,
    text,
    number,
    count: chosen.series.tips.length,
    series: chosen.series.id,
    matched: chosen.on === null ? chosen.match : `${chosen.match} "${chosen.on}"`,
  };
}

/**
 * Why the customer said they need no more tips for an order: `all_set` (the "I'm all set" link
 * in a tip e-mail) or `csat_top` (the top CSAT score, 5 of 5, for that order: they are fine).
 */
export const TIPS_DONE_WHY = ['all_set', 'csat_top'] as const;
export type TipsDoneWhy = (typeof TIPS_DONE_WHY)[number];

export interface TipsDone {
  orderId: string;
  at: Millis;
  why: TipsDoneWhy;
}

/** The most orders a customer's "no more tips" is remembered for (the oldest is forgotten first). */
export const MAX_TIPS_DONE = 50;

/** The list with this order marked done (its first mark stands). */
export function withTipsDone(list: readonly TipsDone[], done: TipsDone): TipsDone[] {
  if (list.some((d) => d.orderId === done.orderId)) return [...list];
  return [...list, done].slice(-MAX_TIPS_DONE);
}

/** A stored list, read defensively (rows written before this field have none). */
export function readTipsDone(value: unknown): TipsDone[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (d): d is TipsDone =>
      typeof d === 'object' &&
      d !== null &&
      typeof (d as TipsDone).orderId === 'string' &&
      typeof (d as TipsDone).at === 'number' &&
      (TIPS_DONE_WHY as readonly string[]).includes((d as TipsDone).why),
  );
}
