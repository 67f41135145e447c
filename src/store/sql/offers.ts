// Insider offer codes for both dialects. `assign` is one transaction that first takes the
// customer's lock (PostgreSQL: a transaction-scoped advisory lock on the customer; SQLite: the
// write transaction already holds the file), so the cap is counted and a code given without
// another worker doing the same in between; a pooled code is picked with SKIP LOCKED on
// PostgreSQL and given with a fenced UPDATE, so two customers never get one code.
import { sql, type Transaction } from 'kysely';
import type { Millis } from '../../core/domain.js';
import type {
  AssignRequest,
  AssignResult,
  OfferCode,
  OfferCounts,
  OffersStore,
  RedeemResult,
  Redemption,
} from '../ports/offers.js';
import type { SqlHandle } from './db.js';
import type { OfferCodesTable, Tables } from './tables.js';

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function offerCodeFromRow(row: OfferCodesTable): OfferCode {
  return {
    code: row.code,
    offerId: row.offer_id,
    source: row.source === 'generated' ? 'generated' : 'imported',
    createdAt: num(row.created_at),
    touchPointId: row.touch_point_id,
    customerId: row.customer_id,
    assignedAt: numOrNull(row.assigned_at),
    redeemedAt: numOrNull(row.redeemed_at),
    redeemedOrderId: row.redeemed_order_id,
  };
}

/** Codes tried before a generated offer gives up (a collision in 23^10 is already unheard of). */
const GENERATE_TRIES = 8;
const IMPORT_CHUNK = 500;

export class SqlOffers implements OffersStore {
  constructor(private readonly sql: SqlHandle) {}

  async importCodes(
    offerId: string,
    codes: readonly string[],
    at: Millis,
  ): Promise<{ added: number; existing: string[] }> {
    const unique = [...new Set(codes)];
    const existing: string[] = [];
    let added = 0;
    await this.sql.db.transaction().execute(async (trx) => {
      for (let i = 0; i < unique.length; i += IMPORT_CHUNK) {
        const chunk = unique.slice(i, i + IMPORT_CHUNK);
        const known = await trx.selectFrom('offer_codes').select('code').where('code', 'in', chunk).execute();
        const knownSet = new Set(known.map((r) => r.code));
        const fresh = chunk.filter((c) => !knownSet.has(c));
        existing.push(...chunk.filter((c) => knownSet.has(c)));
        if (fresh.length === 0) continue;
        await trx
          .insertInto('offer_codes')
          .values(fresh.map((code) => ({ code, offer_id: offerId, source: 'imported', created_at: at })))
          .execute();
        added += fresh.length;
      }
    });
    return { added, existing };
  }

  async assign(request: AssignRequest): Promise<AssignResult> {
    return this.sql.db.transaction().execute(async (trx) => {
      if (this.sql.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtext(${`aftercare.offer:${request.customerId}`}))`.execute(
          trx,
        );
      }
      const own = await trx
        .selectFrom('offer_codes')
        .select('code')
        .where('touch_point_id', '=', request.touchPointId)
        .executeTakeFirst();
      if (own !== undefined) return { kind: 'assigned', code: own.code, again: true };
      const counted = await trx
        .selectFrom('offer_codes')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('customer_id', '=', request.customerId)
        .where('assigned_at', '>=', request.cap.since)
        .executeTakeFirstOrThrow();
      const count = Number(counted.n);
      if (count >= request.cap.max) return { kind: 'capped', count };
      const code =
        request.generate === null ? await this.fromPool(trx, request) : await this.generated(trx, request);
      return code === null ? { kind: 'exhausted' } : { kind: 'assigned', code, again: false };
    });
  }

  private async fromPool(trx: Transaction<Tables>, request: AssignRequest): Promise<string | null> {
    for (;;) {
      let pick = trx
        .selectFrom('offer_codes')
        .select('code')
        .where('offer_id', '=', request.offerId)
        .where('touch_point_id', 'is', null)
        // A pooled code someone used anyway (the shop shared it elsewhere) is not given out.
        .where('redeemed_order_id', 'is', null)
        .orderBy('code')
        .limit(1);
      if (this.sql.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
      const candidate = await pick.executeTakeFirst();
      if (candidate === undefined) return null;
      const given = await trx
        .updateTable('offer_codes')
        .set({
          touch_point_id: request.touchPointId,
          customer_id: request.customerId,
          assigned_at: request.at,
        })
        .where('code', '=', candidate.code)
        .where('touch_point_id', 'is', null)
        .executeTakeFirst();
      if (Number(given.numUpdatedRows) === 1) return candidate.code;
    }
  }

  private async generated(trx: Transaction<Tables>, request: AssignRequest): Promise<string | null> {
    const generate = request.generate!;
    for (let i = 0; i < GENERATE_TRIES; i++) {
      const code = generate();
      const inserted = await trx
        .insertInto('offer_codes')
        .values({
          code,
          offer_id: request.offerId,
          source: 'generated',
          created_at: request.at,
          touch_point_id: request.touchPointId,
          customer_id: request.customerId,
          assigned_at: request.at,
        })
        .onConflict((oc) => oc.column('code').doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return code;
    }
    return null;
  }

  async redeem(redemption: Redemption): Promise<RedeemResult> {
    return this.sql.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('offer_codes')
        .selectAll()
        .where('code', '=', redemption.code)
        .executeTakeFirst();
      if (row === undefined) return { kind: 'unknown' };
      if (row.redeemed_order_id !== null) return { kind: 'already', orderId: row.redeemed_order_id };
      const marked = await trx
        .updateTable('offer_codes')
        .set({ redeemed_at: redemption.at, redeemed_order_id: redemption.orderId })
        .where('code', '=', redemption.code)
        .where('redeemed_order_id', 'is', null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) !== 1) {
        const now = await trx
          .selectFrom('offer_codes')
          .select('redeemed_order_id')
          .where('code', '=', redemption.code)
          .executeTakeFirstOrThrow();
        return { kind: 'already', orderId: now.redeemed_order_id ?? redemption.orderId };
      }
      return { kind: 'redeemed', offerId: row.offer_id, customerId: row.customer_id };
    });
  }

  async forCustomer(customerId: string): Promise<OfferCode[]> {
    const rows = await this.sql.db
      .selectFrom('offer_codes')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('assigned_at')
      .orderBy('code')
      .execute();
    return rows.map(offerCodeFromRow);
  }

  async counts(): Promise<OfferCounts[]> {
    const rows = await this.sql.db
      .selectFrom('offer_codes')
      .select((eb) => [
        'offer_id',
        eb.fn.countAll().as('total'),
        eb.fn.count('touch_point_id').as('assigned'),
        eb.fn.count('redeemed_order_id').as('redeemed'),
      ])
      .groupBy('offer_id')
      .orderBy('offer_id')
      .execute();
    return rows.map((r) => ({
      offerId: r.offer_id,
      available: Number(r.total) - Number(r.assigned),
      assigned: Number(r.assigned),
      redeemed: Number(r.redeemed),
    }));
  }
}
