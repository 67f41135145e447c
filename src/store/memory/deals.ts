// Deals over a map, and orders read from the records intake keeps; the same answers as the SQL
// stores (test/store-contract/dealsContract.ts).
import type { Millis } from '../../core/domain.js';
import type { Deal } from '../../core/deals/deal.js';
import type { ArrivedOrder } from '../../core/deals/match.js';
import { DEFAULT_DEAL_LIMIT, type DealQuery, type DealsStore } from '../ports/deals.js';
import type { MemoryTables } from './tables.js';

/** A deep copy: what the store keeps cannot change through what a caller holds. */
const copy = (deal: Deal): Deal => structuredClone(deal);

export class MemoryDeals implements DealsStore {
  private readonly deals = new Map<string, Deal>();

  constructor(private readonly tables: MemoryTables) {}

  clear(): void {
    this.deals.clear();
  }

  put(deal: Deal): Promise<void> {
    this.deals.set(deal.id, copy(deal));
    return Promise.resolve();
  }

  get(id: string): Promise<Deal | null> {
    const deal = this.deals.get(id);
    return Promise.resolve(deal ? copy(deal) : null);
  }

  list(query: DealQuery = {}): Promise<Deal[]> {
    const found = [...this.deals.values()]
      .filter((d) => query.owner === undefined || d.owner === query.owner)
      .filter((d) => query.stage === undefined || d.stage === query.stage)
      .filter((d) => query.customerId === undefined || d.customerId === query.customerId)
      .filter((d) => !query.waiting || (d.orderId === null && d.stage !== 'lost'))
      .sort((a, b) => a.expectedCloseAt - b.expectedCloseAt || byText(a.id, b.id))
      .slice(0, query.limit ?? DEFAULT_DEAL_LIMIT);
    return Promise.resolve(found.map(copy));
  }

  ordersPlacedSince(since: Millis, limit: number): Promise<ArrivedOrder[]> {
    const { records } = this.tables;
    const found: ArrivedOrder[] = [];
    for (const { order } of records.orders.values()) {
      if (order.placedAt < since) continue;
      const dealId = order.attributes['deal_id'];
      found.push({
        orderId: order.id,
        customerId: order.customerId,
        email: records.customers.get(order.customerId)?.email ?? null,
        placedAt: order.placedAt,
        dealId: typeof dealId === 'string' && dealId !== '' ? dealId : null,
      });
    }
    found.sort((a, b) => a.placedAt - b.placedAt || byText(a.orderId, b.orderId));
    return Promise.resolve(found.slice(0, limit));
  }
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
