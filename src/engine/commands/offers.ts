// Insider offers for the CLI: the configured offers with their pools (available, given,
// redeemed), and importing a shop's codes into an imported offer's pool, all or nothing.
import type { Clock } from '../clock.js';
import type { OfferCatalogue } from '../../core/offers/offer.js';
import { parseCodesCsv, type CodesCsvIssue } from '../../core/offers/codesCsv.js';
import type { OffersStore } from '../../store/ports/offers.js';

export interface OfferListing {
  id: string;
  source: 'generated' | 'imported';
  insidersFrom: number;
  publicFrom: number;
  /** Codes waiting in the pool (imported offers; generated ones make theirs when given). */
  available: number;
  assigned: number;
  redeemed: number;
}

export type CodesImport =
  | { ok: true; offerId: string; added: number; existing: string[] }
  | { ok: false; why: 'no_offers' | 'unknown_offer' | 'not_imported'; known: string[] }
  | { ok: false; why: 'invalid_file'; issues: CodesCsvIssue[] };

export interface OfferCommands {
  list(): Promise<OfferListing[]>;
  importCodes(offerId: string, text: string, file: string): Promise<CodesImport>;
}

export function offerCommands(deps: {
  offers: OffersStore;
  catalogue: OfferCatalogue | null;
  clock: Clock;
}): OfferCommands {
  const { offers, catalogue, clock } = deps;
  return {
    async list() {
      const counts = new Map((await offers.counts()).map((c) => [c.offerId, c]));
      return (catalogue?.offers ?? []).map((offer) => {
        const count = counts.get(offer.id);
        return {
          id: offer.id,
          source: offer.codes.kind,
          insidersFrom: offer.insidersFrom,
          publicFrom: offer.publicFrom,
          available: count?.available ?? 0,
          assigned: count?.assigned ?? 0,
          redeemed: count?.redeemed ?? 0,
        };
      });
    },
    async importCodes(offerId, text, file) {
      if (catalogue === null) return { ok: false, why: 'no_offers', known: [] };
      const known = catalogue.offers.map((o) => o.id);
      const offer = catalogue.offers.find((o) => o.id === offerId);
      if (offer === undefined) return { ok: false, why: 'unknown_offer', known };
      if (offer.codes.kind !== 'imported') return { ok: false, why: 'not_imported', known };
      const parsed = parseCodesCsv(text, file);
      if (!parsed.ok) return { ok: false, why: 'invalid_file', issues: parsed.issues };
      const result = await offers.importCodes(offer.id, parsed.codes, clock.now());
      return { ok: true, offerId: offer.id, ...result };
    },
  };
}
