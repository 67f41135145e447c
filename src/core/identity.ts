// Who a customer is: a stable id derived from what an integration knows, so the same person
// arriving through Shopify, Stripe and a CSV import lands on one record; and the keyed hashes
// (tombstones) an erased person's identities leave behind, so intake can refuse them again.
import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { CustomerInput } from './domain.js';

/**
 * Keyed hashes (HMAC-SHA256) with the install key, each label hashed once per instance: an intake
 * batch meets the same address in every event of an order, and hashing is most of intake's cost
 * per event otherwise.
 */
export class IdentityHasher {
  private readonly key: KeyObject;
  private readonly memo = new Map<string, string>();

  constructor(key: string) {
    this.key = createSecretKey(Buffer.from(key, 'utf8'));
  }

  hmac(label: string): string {
    let hash = this.memo.get(label);
    if (hash === undefined) {
      hash = createHmac('sha256', this.key).update(label).digest('hex');
      this.memo.set(label, hash);
    }
    return hash;
  }
}

/** The install key, or a hasher holding it. */
export type IdentityKey = string | IdentityHasher;

function keyed(key: IdentityKey, label: string): string {
  return key instanceof IdentityHasher
    ? key.hmac(label)
    : createHmac('sha256', key).update(label).digest('hex');
}

/** Lower-cased, trimmed address, or null when there is none worth keeping. */
export function normalizeEmail(email: string | null | undefined): string | null {
  if (email == null) return null;
  const normalized = email.trim().toLowerCase();
  return normalized === '' ? null : normalized;
}

/**
 * A phone number in the form tombstones compare it in: digits only, with a leading `+` when the
 * number had one ("+49 (30) 1234-567" -> "+49301234567"); null when it holds no digit.
 */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (phone == null) return null;
  const digits = phone.replace(/\D/g, '');
  if (digits === '') return null;
  return phone.trim().startsWith('+') ? `+${digits}` : digits;
}

/**
 * The provider's customer id when given; otherwise one derived from the e-mail address with the
 * install's key (an HMAC, so the id leaks no address into URLs and logs and cannot be reversed by
 * hashing a list of addresses); null when neither is known.
 */
export function customerIdFor(input: CustomerInput, key: IdentityKey): string | null {
  const given = input.customerId?.trim();
  if (given) return given;
  const email = normalizeEmail(input.email);
  if (email === null) return null;
  return 'ek_' + keyed(key, `customer:${email}`).slice(0, 24);
}

/**
 * The id versions before keyed ids gave a customer known only by address (an unkeyed SHA-256).
 * Customers made then keep it; intake still looks them up by it.
 */
export function legacyCustomerIdFor(email: string): string {
  return 'em_' + createHash('sha256').update(email).digest('hex').slice(0, 20);
}

/** What identifies a person to intake: their customer id, e-mail address and phone number. */
export interface Identities {
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
}

/**
 * The tombstones of these identities: one keyed hash (HMAC-SHA256 with the install's key) per
 * identity known, in normalized form. Without the key, a tombstone tells nothing about whom.
 */
export function tombstonesOf(identities: Identities, key: IdentityKey): string[] {
  const out: string[] = [];
  const add = (kind: string, value: string | null): void => {
    if (value !== null) out.push(keyed(key, `${kind}:${value}`));
  };
  add('id', identities.customerId?.trim() || null);
  add('email', normalizeEmail(identities.email));
  add('phone', normalizePhone(identities.phone));
  return out;
}
