// Deals: prospects before their order, with the plan they were shown and the meetings agreed
// (core/deals/). Every store answers alike (test/store-contract/dealsContract.ts).
import type { Millis } from '../../core/domain.js';
import type { Deal, DealStage } from '../../core/deals/deal.js';
import type { ArrivedOrder } from '../../core/deals/match.js';

export interface DealQuery {
  owner?: string;
  stage?: DealStage;
  /** The deals an order of this customer closed (erasure finds them so). */
  customerId?: string;
  /** Only deals no order has closed yet (open or won, not lost). */
  waiting?: boolean;
  /** Default 100. */
  limit?: number;
}

export interface DealsStore {
  /** Writes the deal whole (a new id inserts, a known one replaces). */
  put(deal: Deal): Promise<void>;
  get(id: string): Promise<Deal | null>;
  /** By expected close, then id. */
  list(query?: DealQuery): Promise<Deal[]>;
  /**
   * Orders placed at or after `since`, with their customer's address and `deal_id` attribute,
   * oldest first (then by id), at most `limit`: what closing deals matches against.
   */
  ordersPlacedSince(since: Millis, limit: number): Promise<ArrivedOrder[]>;
}

export const DEFAULT_DEAL_LIMIT = 100;
