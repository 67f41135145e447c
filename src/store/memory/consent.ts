// The suppression list in memory: looked up and kept by hash only (store/suppression.ts); the
// first reason recorded for an address is kept.
import type { Millis } from '../../core/domain.js';
import type { ConsentStore } from '../ports/consent.js';
import { suppressedAmong, suppressionKey, suppressionKeys } from '../suppression.js';
import { settle } from './settle.js';
import type { MemoryTables } from './tables.js';

export class MemoryConsent implements ConsentStore {
  constructor(private readonly tables: MemoryTables) {}

  suppressed(emails: string[]): Promise<Set<string>> {
    return settle(() => {
      // Most runs suppress nobody: then no address needs hashing (the dispatcher asks every batch).
      if (this.tables.suppressions.size === 0) return new Set<string>();
      const keys = suppressionKeys(emails);
      return suppressedAmong(
        keys,
        [...keys.keys()].filter((key) => this.tables.suppressions.has(key)),
      );
    });
  }

  suppress(email: string, reason: string, at: Millis): Promise<void> {
    return settle(() => {
      suppressInto(this.tables, email, reason, at);
    });
  }
}

/** Adds the address's hash unless it is listed already (erasure uses it too). */
export function suppressInto(tables: MemoryTables, email: string, reason: string, at: Millis): void {
  const key = suppressionKey(email);
  if (!tables.suppressions.has(key)) tables.suppressions.set(key, Object.freeze({ reason, createdAt: at }));
}
