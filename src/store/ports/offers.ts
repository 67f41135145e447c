// Insider offer codes: the pool of each offer's single-use codes (imported from the shop, or
// generated at the moment one is given), which touch point and customer got each, and which
// order redeemed it. Every store answers alike (test/store-contract/offersContract.ts).
import type { Millis } from '../../core/domain.js';

export interface OfferCode {
  code: string;
  offerId: string;
  source: 'generated' | 'imported';
  createdAt: Millis;
  /** The touch point whose message carries it; null while it waits in the pool. */
  touchPointId: string | null;
  customerId: string | null;
  assignedAt: Millis | null;
  redeemedAt: Millis | null;
  /** The order that used it. */
  redeemedOrderId: string | null;
}

export interface AssignRequest {
  offerId: string;
  customerId: string;
  touchPointId: string;
  at: Millis;
  /** At most `max` codes of any offer to this customer assigned at or after `since`. */
  cap: { max: number; since: Millis };
  /** Makes a new code (generated offers); null: take one from the imported pool. */
  generate: (() => string) | null;
}

export type AssignResult =
  /** `again`: this touch point already had it (a retry, or a crash before the outcome was recorded). */
  | { kind: 'assigned'; code: string; again: boolean }
  | { kind: 'capped'; count: number }
  | { kind: 'exhausted' };

export interface Redemption {
  code: string;
  orderId: string;
  at: Millis;
}

export type RedeemResult =
  | { kind: 'redeemed'; offerId: string; customerId: string | null }
  /** Already marked, by this order (a repeated webhook) or another one. */
  | { kind: 'already'; orderId: string }
  | { kind: 'unknown' };

export interface OfferCounts {
  offerId: string;
  /** In the pool, given to nobody yet. */
  available: number;
  assigned: number;
  redeemed: number;
}

export interface OffersStore {
  /**
   * Adds imported codes to an offer's pool. Codes are normalized (trimmed, upper case) by the
   * caller; a code already known (to any offer) is not added again and is listed in `existing`.
   */
  importCodes(
    offerId: string,
    codes: readonly string[],
    at: Millis,
  ): Promise<{ added: number; existing: string[] }>;
  /**
   * Gives the touch point its code, in one transaction: the code it already has, or (within the
   * customer's cap) a new one no one else has or can get. Two workers never get the same code.
   */
  assign(request: AssignRequest): Promise<AssignResult>;
  /** Marks a code used by an order; idempotent for the same order. */
  redeem(redemption: Redemption): Promise<RedeemResult>;
  /** Every code given to the customer, oldest first (their timeline and export). */
  forCustomer(customerId: string): Promise<OfferCode[]>;
  /** Per offer, in offer id order. */
  counts(): Promise<OfferCounts[]>;
}
