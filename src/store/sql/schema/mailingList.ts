// 0013-mailing-list: the news digest's double opt-in list. `list_subscribers`: one row per address
// (unique by its lower-cased form), its state and the proof of consent (JSON); `list_news`: the
// items the business writes for the digest; `list_digests`: one row per subscriber and digest
// period, the claim that makes a digest go out once across workers (the primary key refuses a
// second), its lease and how it ended.
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function mailingListSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('list_subscribers')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('email', t.text, (c) => c.notNull())
        .addColumn('email_key', t.key, (c) => c.notNull().unique())
        .addColumn('customer_id', t.key)
        .addColumn('locale', t.text)
        .addColumn('timezone', t.text)
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('requested_at', t.millis, (c) => c.notNull())
        .addColumn('request_source', t.text, (c) => c.notNull())
        .addColumn('request_ip', t.text)
        .addColumn('confirmations_sent', t.int, (c) => c.notNull())
        .addColumn('last_confirmation_at', t.millis)
        .addColumn('consent', t.text)
        .addColumn('unsubscribed_at', t.millis)
        .addColumn('unsubscribe_source', t.text)
        .addColumn('last_digest_at', t.millis)
        .addColumn('last_digest_period', t.millis)
        .execute();
      await db.schema
        .createIndex('list_subscribers_status')
        .on('list_subscribers')
        .columns(['status', 'id'])
        .execute();
      await db.schema
        .createIndex('list_subscribers_customer')
        .on('list_subscribers')
        .column('customer_id')
        .execute();
      await db.schema
        .createTable('list_news')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('title', t.text, (c) => c.notNull())
        .addColumn('body', t.text, (c) => c.notNull())
        .addColumn('locale', t.text)
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('list_news_created')
        .on('list_news')
        .columns(['created_at', 'id'])
        .execute();
      await db.schema
        .createTable('list_digests')
        .addColumn('subscriber_id', t.key, (c) => c.notNull())
        .addColumn('period', t.millis, (c) => c.notNull())
        .addColumn('status', t.text, (c) => c.notNull())
        .addColumn('lease_until', t.millis, (c) => c.notNull())
        .addColumn('done_at', t.millis)
        .addPrimaryKeyConstraint('list_digests_pk', ['subscriber_id', 'period'])
        .execute();
    },
  };
}
