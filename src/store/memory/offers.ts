// Insider offer codes in memory (simulate, tests): one map by code. Every call runs to its end
// before its promise settles, so assigning is atomic without locks.
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

const GENERATE_TRIES = 8;

export class MemoryOffers implements OffersStore {
  private readonly codes = new Map<string, Readonly<OfferCode>>();

  clear(): void {
    this.codes.clear();
  }

  importCodes(
    offerId: string,
    codes: readonly string[],
    at: Millis,
  ): Promise<{ added: number; existing: string[] }> {
    const existing: string[] = [];
    let added = 0;
    for (const code of new Set(codes)) {
      if (this.codes.has(code)) {
        existing.push(code);
        continue;
      }
      this.codes.set(code, Object.freeze(pooled(code, offerId, 'imported', at)));
      added += 1;
    }
    return Promise.resolve({ added, existing });
  }

  assign(request: AssignRequest): Promise<AssignResult> {
    const all = [...this.codes.values()];
    const own = all.find((c) => c.touchPointId === request.touchPointId);
    if (own !== undefined) return Promise.resolve({ kind: 'assigned', code: own.code, again: true });
    const count = all.filter(
      (c) =>
        c.customerId === request.customerId && c.assignedAt !== null && c.assignedAt >= request.cap.since,
    ).length;
    if (count >= request.cap.max) return Promise.resolve({ kind: 'capped', count });
    const give = (base: OfferCode): AssignResult => {
      this.codes.set(
        base.code,
        Object.freeze({
          ...base,
          touchPointId: request.touchPointId,
          customerId: request.customerId,
          assignedAt: request.at,
        }),
      );
      return { kind: 'assigned', code: base.code, again: false };
    };
    if (request.generate === null) {
      const free = all
        .filter((c) => c.offerId === request.offerId && c.touchPointId === null && c.redeemedOrderId === null)
        .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))[0];
      return Promise.resolve(free === undefined ? { kind: 'exhausted' } : give(free));
    }
    for (let i = 0; i < GENERATE_TRIES; i++) {
      const code = request.generate();
      if (!this.codes.has(code))
        return Promise.resolve(give(pooled(code, request.offerId, 'generated', request.at)));
    }
    return Promise.resolve({ kind: 'exhausted' });
  }

  redeem(redemption: Redemption): Promise<RedeemResult> {
    const row = this.codes.get(redemption.code);
    if (row === undefined) return Promise.resolve({ kind: 'unknown' });
    if (row.redeemedOrderId !== null)
      return Promise.resolve({ kind: 'already', orderId: row.redeemedOrderId });
    this.codes.set(
      row.code,
      Object.freeze({ ...row, redeemedAt: redemption.at, redeemedOrderId: redemption.orderId }),
    );
    return Promise.resolve({ kind: 'redeemed', offerId: row.offerId, customerId: row.customerId });
  }

  forCustomer(customerId: string): Promise<OfferCode[]> {
    const mine = [...this.codes.values()]
      .filter((c) => c.customerId === customerId)
      .sort(
        (a, b) =>
          (a.assignedAt ?? 0) - (b.assignedAt ?? 0) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
      );
    return Promise.resolve(mine.map((c) => ({ ...c })));
  }

  counts(): Promise<OfferCounts[]> {
    const by = new Map<string, OfferCounts>();
    for (const c of this.codes.values()) {
      const n = by.get(c.offerId) ?? { offerId: c.offerId, available: 0, assigned: 0, redeemed: 0 };
      if (c.touchPointId === null) n.available += 1;
      else n.assigned += 1;
      if (c.redeemedOrderId !== null) n.redeemed += 1;
      by.set(c.offerId, n);
    }
    return Promise.resolve([...by.values()].sort((a, b) => (a.offerId < b.offerId ? -1 : 1)));
  }
}

function pooled(code: string, offerId: string, source: OfferCode['source'], at: Millis): OfferCode {
  return {
    code,
    offerId,
    source,
    createdAt: at,
    touchPointId: null,
    customerId: null,
    assignedAt: null,
    redeemedAt: null,
    redeemedOrderId: null,
  };
}
