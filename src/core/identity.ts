// Who a customer is: a stable id derived from what an integration knows, so the same person
// arriving through Shopify, Stripe and a CSV import lands on one record.
import { createHash } from 'node:crypto';
import type { CustomerInput } from './domain.js';

/** Lower-cased, trimmed address, or null when there is none worth keeping. */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (email == null) return null;
  const normalized = email.trim().toLowerCase();
  return normalized === '' ? null : normalized;
}

/**
 * The provider's customer id when given; otherwise one derived from the e-mail address (a hash,
 * so the id itself leaks no address into URLs and logs); null when neither is known.
 */
export function customerIdFor(input: CustomerInput): string | null {
  const given = input.customerId?.trim();
  if (given) return given;
  const email = normalizeEmail(input.email);
  if (email === null) return null;
  return 'em_' + createHash('sha256').update(email).digest('hex').slice(0, 20);
}
