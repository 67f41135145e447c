// The insider offer a message carries: at send time, for a step an offer names, the offer whose
// early-access window is open, checked against the customer (warm, no open concern, long enough
// after delivery), then a code given in the store's one transaction (which also holds the cap).
// The code is keyed by the touch point: a retry or a repeat after a crash carries the same code
// (with the same Message-ID), and no other touch point can ever get it.
import { randomInt } from 'node:crypto';
import type { Millis } from '../../core/domain.js';
import {
  activeOffer,
  carriesOffers,
  generateCode,
  localized,
  offerEligibility,
  type Offer,
  type OfferCatalogue,
  type OfferSkip,
} from '../../core/offers/offer.js';
import type { OffersStore } from '../../store/ports/offers.js';
import type { ClaimedTouchPoint } from '../../store/ports/queue.js';

export interface DispatchOffers {
  catalogue: OfferCatalogue;
  store: OffersStore;
  /** Uniform in 0..n-1; default: node:crypto's randomInt. */
  random?: (n: number) => number;
  /** An offer's pool ran out: told once per skip, so an operator sees it (the worker logs it). */
  onExhausted?: (offer: Offer, touchPointId: string) => void;
}

/** What a template sees as `offer`. */
export interface GivenOffer {
  id: string;
  code: string;
  title: string;
  text: string;
  insidersFrom: Millis;
  publicFrom: Millis;
}

export type OfferVerdict =
  | { kind: 'none' }
  | { kind: 'given'; offer: GivenOffer }
  | { kind: 'skip'; reason: OfferSkip; detail: string };

export async function giveOffer(
  offers: DispatchOffers | undefined,
  claim: ClaimedTouchPoint,
  now: Millis,
): Promise<OfferVerdict> {
  const { touchPoint, customer, order } = claim;
  if (offers === undefined || !carriesOffers(offers.catalogue, touchPoint.stepKey)) return { kind: 'none' };
  const offer = activeOffer(offers.catalogue, touchPoint.stepKey, now);
  if (offer === null) {
    return {
      kind: 'skip',
      reason: 'no_offer',
      detail: `no offer of ${touchPoint.stepKey} is in its early-access window`,
    };
  }
  const ineligible = offerEligibility(offer, customer, order.moments.delivered, now);
  if (ineligible !== null) return { kind: 'skip', reason: ineligible.code, detail: ineligible.detail };
  const random = offers.random ?? randomInt;
  const source = offer.codes;
  const result = await offers.store.assign({
    offerId: offer.id,
    customerId: customer.id,
    touchPointId: touchPoint.id,
    at: now,
    cap: { max: offer.cap.max, since: now - offer.cap.windowMs },
    generate: source.kind === 'generated' ? () => generateCode(source, random) : null,
  });
  switch (result.kind) {
    case 'capped':
      return {
        kind: 'skip',
        reason: 'offer_cap',
        detail: `${result.count} offer code(s) within the cap window (at most ${offer.cap.max})`,
      };
    case 'exhausted':
      offers.onExhausted?.(offer, touchPoint.id);
      return { kind: 'skip', reason: 'offer_codes_exhausted', detail: `offer ${offer.id} has no codes left` };
    case 'assigned': {
      const locale = customer.locale ?? 'en';
      return {
        kind: 'given',
        offer: {
          id: offer.id,
          code: result.code,
          title: localized(offer.title, locale),
          text: localized(offer.text, locale),
          insidersFrom: offer.insidersFrom,
          publicFrom: offer.publicFrom,
        },
      };
    }
  }
}
