// The suppression list, for both dialects: addresses are looked up and stored by hash only, and
// the first reason recorded for an address is kept.
import type { Millis } from '../../core/domain.js';
import type { ConsentStore } from '../ports/consent.js';
import { suppressedAmong, suppressionKey, suppressionKeys } from '../suppression.js';
import type { SqlHandle } from './db.js';

export class SqlConsent implements ConsentStore {
  constructor(private readonly sql: SqlHandle) {}

  async suppressed(emails: string[]): Promise<Set<string>> {
    if (emails.length === 0) return new Set();
    const keys = suppressionKeys(emails);
    const rows = await this.sql.db
      .selectFrom('suppressions')
      .select('email_hash')
      .where('email_hash', 'in', [...keys.keys()])
      .execute();
    return suppressedAmong(
      keys,
      rows.map((r) => r.email_hash),
    );
  }

  async suppress(email: string, reason: string, at: Millis): Promise<void> {
    await this.sql.db
      .insertInto('suppressions')
      .values({ email_hash: suppressionKey(email), reason, created_at: at })
      .onConflict((oc) => oc.column('email_hash').doNothing())
      .execute();
  }
}
