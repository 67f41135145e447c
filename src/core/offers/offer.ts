// Insider offers: what the business offers its warm customers before everyone else, with a
// single-use code each. An offer names the steps that carry it, its early-access window
// (insiders from, public from), where its codes come from (generated here, or imported from
// the shop), who may get it (warm, no open concern, long enough after delivery) and how many
// offers one customer gets at most per period. Pure: offersParse.ts reads the YAML.
import type { Millis } from '../domain.js';
import type { SkipCode } from '../reasons.js';

export type OfferCodeSource = { kind: 'generated'; prefix: string; length: number } | { kind: 'imported' };

export interface Offer {
  id: string;
  /** Step keys that carry it (default `insider-offer`). */
  steps: string[];
  /** Per locale (`en`, `de`...); `en` is required and the fallback. */
  title: Record<string, string>;
  text: Record<string, string>;
  /** Insiders may use the code from here... */
  insidersFrom: Millis;
  /** ...and everyone else from here; the offer is sent to insiders only before this. */
  publicFrom: Millis;
  codes: OfferCodeSource;
  /** At least this temperature (0..100, 50 neutral) to count as warm. */
  minTemperature: number;
  /** At least this long after the order was delivered. */
  afterDeliveryMs: Millis;
  /** At most `max` codes per customer within `windowMs`, over every offer. */
  cap: { max: number; windowMs: Millis };
}

export interface OfferCatalogue {
  offers: Offer[];
  /** The file it was read from, for messages. */
  source: string;
}

/** Why a customer does not get an offer (core/reasons.ts: SKIP_CODES). */
export type OfferSkip = Extract<
  SkipCode,
  | 'no_offer'
  | 'not_warm'
  | 'concern_open'
  | 'too_soon'
  | 'not_delivered'
  | 'offer_cap'
  | 'offer_codes_exhausted'
>;

/** Whether any offer is carried by this step at all (steps no offer names are left alone). */
export function carriesOffers(catalogue: OfferCatalogue | null, stepKey: string): boolean {
  return catalogue !== null && catalogue.offers.some((o) => o.steps.includes(stepKey));
}

/** The first offer of this step whose early-access window is open at `now`, or null. */
export function activeOffer(catalogue: OfferCatalogue, stepKey: string, now: Millis): Offer | null {
  return (
    catalogue.offers.find((o) => o.steps.includes(stepKey) && o.insidersFrom <= now && now < o.publicFrom) ??
    null
  );
}

export interface OfferCustomer {
  temperature: number;
  openConcerns: number;
}

/**
 * Whether this customer may get `offer` now (the cap is counted by the store, with the code).
 * `deliveredAt`: when the order arrived, undefined when it has not.
 */
export function offerEligibility(
  offer: Offer,
  customer: OfferCustomer,
  deliveredAt: Millis | undefined,
  now: Millis,
): { code: OfferSkip; detail: string } | null {
  if (customer.openConcerns > 0) {
    return { code: 'concern_open', detail: `${customer.openConcerns} open concern(s)` };
  }
  if (customer.temperature < offer.minTemperature) {
    return {
      code: 'not_warm',
      detail: `temperature ${customer.temperature} is below ${offer.minTemperature} (offer ${offer.id})`,
    };
  }
  if (deliveredAt === undefined) return { code: 'not_delivered', detail: `offer ${offer.id}` };
  const from = deliveredAt + offer.afterDeliveryMs;
  if (now < from) {
    const days = Math.ceil((from - now) / 86_400_000);
    return { code: 'too_soon', detail: `${days} more day(s) after delivery needed (offer ${offer.id})` };
  }
  return null;
}

/** The text for `locale` (`de-AT` -> `de`), else English. */
export function localized(texts: Record<string, string>, locale: string): string {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return texts[language] ?? texts['en'] ?? Object.values(texts)[0] ?? '';
}

/** Letters that cannot be misread for one another (no 0/O, 1/I/L, 5/S, 2/Z, 8/B, U/V). */
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTWXY34679';

/** A code from `random(n)` (uniform in 0..n-1, cryptographically random in production). */
export function generateCode(
  source: Extract<OfferCodeSource, { kind: 'generated' }>,
  random: (n: number) => number,
): string {
  let body = '';
  for (let i = 0; i < source.length; i++) body += CODE_ALPHABET[random(CODE_ALPHABET.length)]!;
  return `${source.prefix}${body}`;
}

/** How codes compare: shops treat them case-insensitively, surrounding spaces are typos. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}
