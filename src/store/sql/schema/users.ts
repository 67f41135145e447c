// 0016-dashboard: the people who sign in to the dashboard and their sessions. Not keyed by
// customer: they are about the business. Sessions are found by the hash of their token, and by
// user (sign out everywhere, disabling a user) through an index.
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function usersSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('email', t.text, (c) => c.notNull())
        .addColumn('email_lower', t.key, (c) => c.notNull().unique())
        .addColumn('name', t.text)
        .addColumn('role', t.text, (c) => c.notNull())
        .addColumn('password_hash', t.text, (c) => c.notNull())
        .addColumn('time_zone', t.text, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('disabled_at', t.millis)
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('user_id', t.key, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('last_seen_at', t.millis, (c) => c.notNull())
        .addColumn('expires_at', t.millis, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    },
  };
}
