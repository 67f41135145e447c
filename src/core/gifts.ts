// Gift suggestions for gift tasks: a catalogue of gifts and a budget per value tier, the tier
// chosen by the order's total in the base currency (`order.total_base`, so a JPY order is
// weighed like a USD one). Pure: giftsParse.ts reads the catalogue's YAML text.
import type { Order } from './domain.js';
import { toBase, type CurrencyRates } from './money.js';

export interface GiftTier {
  name: string;
  /** Orders whose total_base is at most this; null for the last tier (everything above). */
  upTo: number | null;
  /** What a gift for such an order may cost, in the base currency. */
  budget: number;
}

export interface Gift {
  name: string;
  /** In the base currency. */
  cost: number;
  /** Product categories it suits; empty: any order. */
  categories: string[];
  note: string | null;
}

export interface GiftCatalogue {
  /** The currency tiers and costs are written in: the base currency. */
  currency: string;
  tiers: GiftTier[];
  gifts: Gift[];
  /** Where it was read from (a file path), for messages. */
  source: string;
}

/** The most gifts a task suggests. */
export const MAX_SUGGESTIONS = 3;

export type GiftSuggestion =
  | {
      ok: true;
      tier: GiftTier;
      currency: string;
      totalBase: number;
      /** Within the budget, those fitting the order's categories first, then dearest first. */
      gifts: Gift[];
    }
  | { ok: false; why: 'no_rate' | 'above_tiers'; currency: string; totalBase: number | null };

/** The tier for an amount in the base currency: the first whose bound it does not pass. */
export function tierFor(catalogue: GiftCatalogue, totalBase: number): GiftTier | null {
  return catalogue.tiers.find((tier) => tier.upTo === null || totalBase <= tier.upTo) ?? null;
}

export function suggestGifts(catalogue: GiftCatalogue, order: Order, fx: CurrencyRates): GiftSuggestion {
  const totalBase = toBase(order.total, order.currency, fx);
  if (totalBase === null) return { ok: false, why: 'no_rate', currency: order.currency, totalBase: null };
  const tier = tierFor(catalogue, totalBase);
  if (tier === null) return { ok: false, why: 'above_tiers', currency: catalogue.currency, totalBase };
  const bought = new Set(
    order.items.map((item) => item.category?.toLowerCase()).filter((c): c is string => Boolean(c)),
  );
  const fits = (gift: Gift): boolean => gift.categories.some((c) => bought.has(c.toLowerCase()));
  const gifts = catalogue.gifts
    .filter((gift) => gift.cost <= tier.budget && (gift.categories.length === 0 || fits(gift)))
    .sort(
      (a, b) =>
        Number(fits(b)) - Number(fits(a)) ||
        b.cost - a.cost ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    )
    .slice(0, MAX_SUGGESTIONS);
  return { ok: true, tier, currency: catalogue.currency, totalBase, gifts };
}

function amount(value: number, currency: string): string {
  return `${Number.isInteger(value) ? String(value) : value.toFixed(2)} ${currency}`;
}

/** The lines a gift task's script ends with: the budget and what to send. */
export function giftSuggestionText(suggestion: GiftSuggestion, order: Pick<Order, 'currency'>): string {
  if (!suggestion.ok) {
    return suggestion.why === 'no_rate'
      ? `Gift budget: none worked out: ${order.currency} has no exchange rate (AFTERCARE_FX_RATES), so the order's value tier is unknown. Choose within the budget you would give a similar order.`
      : `Gift budget: this order (${amount(suggestion.totalBase ?? 0, suggestion.currency)}) is above every tier of the gift catalogue. Choose with your lead.`;
  }
  const { tier, currency } = suggestion;
  const bound = tier.upTo === null ? 'the largest orders' : `orders up to ${amount(tier.upTo, currency)}`;
  const lines = [
    `Gift budget: ${amount(tier.budget, currency)} (tier "${tier.name}": ${bound}; this order ${amount(suggestion.totalBase, currency)}).`,
  ];
  if (suggestion.gifts.length === 0) {
    lines.push('No gift in the catalogue fits this budget: choose something within it.');
  } else {
    lines.push('Suggested from the gift catalogue:');
    for (const gift of suggestion.gifts) {
      lines.push(`  - ${gift.name} (${amount(gift.cost, currency)})${gift.note ? `: ${gift.note}` : ''}`);
    }
  }
  return lines.join('\n');
}
