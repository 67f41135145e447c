// API key tokens: `ak_<id>_<secret>`. The id is public (listings, logs); the secret is 256 random
// bits. Only the SHA-256 of the whole key is stored, and a presented key is checked by comparing
// that hash in constant time, so neither the store nor the timing of a check gives the key away.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Millis } from '../../core/domain.js';
import { API_SCOPES, type ApiKey, type ApiScope } from '../../store/ports/access.js';

const KEY_PATTERN = /^ak_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Compared against when there is no stored key, so a miss costs what a hit costs. */
const NO_HASH = Buffer.alloc(32);

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function randomId(): string {
  // 36^12 ids; the modulo bias of 256 % 36 is irrelevant for a public identifier.
  return Array.from(randomBytes(12), (byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('');
}

export interface NewApiKey {
  /** Shown once, to the person who created it; never stored. */
  key: string;
  record: ApiKey;
}

/** A new key; without `options` it has every scope and no expiry (the commands pass their own). */
export function newApiKey(
  name: string,
  now: Millis,
  options: { scopes?: readonly ApiScope[]; expiresAt?: Millis | null } = {},
): NewApiKey {
  const id = randomId();
  const key = `ak_${id}_${randomBytes(32).toString('base64url')}`;
  const scopes = API_SCOPES.filter((scope) => (options.scopes ?? API_SCOPES).includes(scope));
  return {
    key,
    record: {
      id,
      name,
      hash: hashApiKey(key),
      scopes,
      createdAt: now,
      expiresAt: options.expiresAt ?? null,
      revokedAt: null,
      lastUsedAt: null,
    },
  };
}

/** The key's public id, or null when it does not look like an Aftercare key. */
export function apiKeyId(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** Whether `presented` is the key `record` was made from, compared in constant time; null never is. */
export function matchesApiKey(record: ApiKey | null, presented: string): boolean {
  const expected = record ? Buffer.from(record.hash, 'hex') : NO_HASH;
  const actual = createHash('sha256').update(presented, 'utf8').digest();
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  return same && record !== null;
}
