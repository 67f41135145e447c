// 0004-keys: API keys get scopes, an expiry and the time they were last used. Keys made before
// this migration had full power; they keep it (every scope), so an upgrade breaks no running
// integration. `aftercare keys list` shows them with all four scopes, to narrow by replacing them.
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

/** Every scope, as the column stores it (a JSON array in API_SCOPES order). */
export const ALL_SCOPES_JSON = '["read","write","tasks","privacy"]';

export function keysSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // The column's default is no scope at all, so a row written without scopes can do nothing;
      // only the keys that exist now are given every scope.
      await db.schema
        .alterTable('api_keys')
        .addColumn('scopes', t.text, (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema.alterTable('api_keys').addColumn('expires_at', t.millis).execute();
      await db.schema.alterTable('api_keys').addColumn('last_used_at', t.millis).execute();
      // Through the builder, so it lands in the schema `db` is bound to (PostgreSQL).
      await (db as Kysely<{ api_keys: { scopes: string } }>)
        .updateTable('api_keys')
        .set({ scopes: ALL_SCOPES_JSON })
        .execute();
    },
  };
}
