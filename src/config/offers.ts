// Configuration of insider offers (AFTERCARE_OFFERS_FILE): the offers, their early-access
// windows, code sources, eligibility and caps (core/offers/offersParse.ts). Read and checked
// once with the rest of the config, so a bad file stops start-up with every problem as
// FILE:LINE:COL: field: message. Unset: no offers, and offer steps carry no code (as before).
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { ConfigIssue } from '../config.js';
import type { OfferCatalogue } from '../core/offers/offer.js';
import { parseOffers } from '../core/offers/offersParse.js';
import { formatIssue } from '../core/playbook/parse.js';
import { text } from './env.js';

export const OFFERS_ENV = {
  AFTERCARE_OFFERS_FILE: text,
};

type OffersEnv = { [K in keyof typeof OFFERS_ENV]: z.output<(typeof OFFERS_ENV)[K]> };

/** The offers, or null when no file is set or it cannot be used (then with issues). */
export function loadOffers(values: Partial<OffersEnv>, issues: ConfigIssue[]): OfferCatalogue | null {
  const file = values.AFTERCARE_OFFERS_FILE;
  if (file === undefined) return null;
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    issues.push({ variable: 'AFTERCARE_OFFERS_FILE', problem: `cannot read "${file}" (${code})` });
    return null;
  }
  const parsed = parseOffers(source, file);
  if (parsed.ok) return parsed.catalogue;
  for (const issue of parsed.issues)
    issues.push({ variable: 'AFTERCARE_OFFERS_FILE', problem: formatIssue(issue) });
  return null;
}
