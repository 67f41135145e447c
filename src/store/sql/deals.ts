// Deals for both dialects: one row each, JSON parts read back whole.
import type { Millis, SaleKind, Segment } from '../../core/domain.js';
import type {
  Deal,
  DealContact,
  DealMeeting,
  DealStage,
  DealValue,
  PromisedStep,
} from '../../core/deals/deal.js';
import type { ArrivedOrder } from '../../core/deals/match.js';
import { DEFAULT_DEAL_LIMIT, type DealQuery, type DealsStore } from '../ports/deals.js';
import type { SqlHandle } from './db.js';
import type { DealsTable } from './tables.js';
import { readJson } from './values.js';

const num = (value: number | string | null): number | null => (value === null ? null : Number(value));

function dealFromRow(row: DealsTable): Deal {
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    company: row.company,
    domain: row.domain,
    contact: readJson<DealContact>(row.contact),
    owner: row.owner,
    expectedCloseAt: Number(row.expected_close_at),
    value: readJson<DealValue>(row.value),
    segment: row.segment as Segment,
    kind: row.kind as SaleKind,
    leadDays: Number(row.lead_days),
    products: readJson<string[]>(row.products),
    stage: row.stage as DealStage,
    meetings: readJson<DealMeeting[]>(row.meetings),
    promised: readJson<PromisedStep[]>(row.promised),
    sharedAt: num(row.shared_at),
    orderId: row.order_id,
    customerId: row.customer_id,
    closedAt: num(row.closed_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function rowOf(deal: Deal): DealsTable {
  return {
    id: deal.id,
    source: deal.source,
    external_id: deal.externalId,
    company: deal.company,
    domain: deal.domain,
    contact: JSON.stringify(deal.contact),
    owner: deal.owner,
    expected_close_at: deal.expectedCloseAt,
    value: JSON.stringify(deal.value),
    segment: deal.segment,
    kind: deal.kind,
    lead_days: deal.leadDays,
    products: JSON.stringify(deal.products),
    stage: deal.stage,
    meetings: JSON.stringify(deal.meetings),
    promised: JSON.stringify(deal.promised),
    shared_at: deal.sharedAt,
    order_id: deal.orderId,
    customer_id: deal.customerId,
    closed_at: deal.closedAt,
    created_at: deal.createdAt,
    updated_at: deal.updatedAt,
  };
}

export class SqlDeals implements DealsStore {
  constructor(private readonly sql: SqlHandle) {}

  async put(deal: Deal): Promise<void> {
    const row = rowOf(deal);
    const { id: _id, ...rest } = row;
    await this.sql.db
      .insertInto('deals')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet(rest))
      .execute();
  }

  async get(id: string): Promise<Deal | null> {
    const row = await this.sql.db.selectFrom('deals').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? dealFromRow(row) : null;
  }

  async list(query: DealQuery = {}): Promise<Deal[]> {
    let select = this.sql.db.selectFrom('deals').selectAll().orderBy('expected_close_at').orderBy('id');
    if (query.owner !== undefined) select = select.where('owner', '=', query.owner);
    if (query.stage !== undefined) select = select.where('stage', '=', query.stage);
    if (query.customerId !== undefined) select = select.where('customer_id', '=', query.customerId);
    if (query.waiting) select = select.where('order_id', 'is', null).where('stage', '!=', 'lost');
    const rows = await select.limit(query.limit ?? DEFAULT_DEAL_LIMIT).execute();
    return rows.map(dealFromRow);
  }

  async ordersPlacedSince(since: Millis, limit: number): Promise<ArrivedOrder[]> {
    const rows = await this.sql.db
      .selectFrom('orders as o')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .select(['o.id', 'o.customer_id', 'o.placed_at', 'o.attributes', 'c.email'])
      .where('o.placed_at', '>=', since)
      .orderBy('o.placed_at')
      .orderBy('o.id')
      .limit(limit)
      .execute();
    return rows.map((r) => {
      const attributes = readJson<Record<string, unknown> | null>(r.attributes) ?? {};
      const dealId = attributes['deal_id'];
      return {
        orderId: r.id,
        customerId: r.customer_id,
        email: r.email,
        placedAt: Number(r.placed_at),
        dealId: typeof dealId === 'string' && dealId !== '' ? dealId : null,
      };
    });
  }
}
