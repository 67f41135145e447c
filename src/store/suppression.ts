// Suppression keys: the list holds a SHA-256 of the lower-cased address, never the address, so
// an erased customer leaves nothing readable behind. Shared by every store adapter.
import { createHash } from 'node:crypto';

export function suppressionKey(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/** Keys for a lookup: each distinct key once, mapped back to every address that produced it. */
export function suppressionKeys(emails: readonly string[]): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  for (const email of emails) {
    const key = suppressionKey(email);
    const same = keys.get(key);
    if (same) same.push(email);
    else keys.set(key, [email]);
  }
  return keys;
}

/** The addresses (as given) whose key is among `found`. */
export function suppressedAmong(keys: Map<string, string[]>, found: Iterable<string>): Set<string> {
  const result = new Set<string>();
  for (const key of found) for (const email of keys.get(key) ?? []) result.add(email);
  return result;
}
