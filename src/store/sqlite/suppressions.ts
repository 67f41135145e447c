// The suppression list on SQLite: addresses are looked up and stored by hash only.
import type Database from 'better-sqlite3';
import type { Millis } from '../../core/domain.js';
import { suppressedAmong, suppressionKey, suppressionKeys } from '../suppression.js';

export class SqliteSuppressions {
  private readonly insert: Database.Statement<[string, string, number]>;
  private readonly found: Database.Statement<[string], string>;

  constructor(db: Database.Database) {
    // The first reason recorded for an address is kept.
    this.insert = db.prepare(
      'INSERT INTO suppressions (email_hash, reason, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    );
    this.found = db
      .prepare<[string], string>(
        'SELECT email_hash FROM suppressions WHERE email_hash IN (SELECT value FROM json_each(?))',
      )
      .pluck();
  }

  add(email: string, reason: string, at: Millis): void {
    this.insert.run(suppressionKey(email), reason, at);
  }

  suppressed(emails: string[]): Set<string> {
    if (emails.length === 0) return new Set();
    const keys = suppressionKeys(emails);
    return suppressedAmong(keys, this.found.all(JSON.stringify([...keys.keys()])));
  }
}
