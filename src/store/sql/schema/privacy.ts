// 0002-privacy: the install's secret key (made once, here, under the migration lock, so every
// process of one store shares it) and the tombstones of erased people: keyed hashes of each
// identity they had, which intake refuses. Customers erased before this migration get the
// tombstone of their id (their address and phone were already gone).
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Migration } from 'kysely';
import { tombstonesOf } from '../../../core/identity.js';
import { INSTALL_KEY_SETTING } from '../../erasure.js';
import type { Tables } from '../tables.js';
import { columnTypes, type SqlDialectName } from './types.js';

export function privacySchema(dialect: SqlDialectName, installKey?: string): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('settings')
        .addColumn('name', t.key, (c) => c.primaryKey())
        .addColumn('value', t.text, (c) => c.notNull())
        .execute();
      // Keyed hashes only (core/identity.ts tombstonesOf): no address, id or number is kept.
      await db.schema
        .createTable('erased_identities')
        .addColumn('hash', t.key, (c) => c.primaryKey())
        .addColumn('erased_at', t.millis, (c) => c.notNull())
        .execute();
      // The builder, not raw SQL: it qualifies the tables with the PostgreSQL schema.
      const tables = db as Kysely<Pick<Tables, 'settings' | 'erased_identities' | 'customers'>>;
      const key = installKey ?? randomBytes(32).toString('base64url');
      await tables.insertInto('settings').values({ name: INSTALL_KEY_SETTING, value: key }).execute();
      const erasedAt =
        dialect === 'postgres'
          ? sql<string | null>`attributes->>'erased_at'`
          : sql<string | null>`json_extract(attributes, '$.erased_at')`;
      const erased = await tables
        .selectFrom('customers')
        .select(['id', erasedAt.as('erased_at')])
        .where(erasedAt, 'is not', null)
        .execute();
      for (const row of erased) {
        const [hash] = tombstonesOf({ customerId: row.id }, key);
        await tables
          .insertInto('erased_identities')
          .values({ hash: hash!, erased_at: Number(row.erased_at) })
          .execute();
      }
    },
  };
}
