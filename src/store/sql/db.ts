// The query builder handle every shared store part takes: bound to the adapter's schema, and
// told which dialect it speaks for the few things that differ (row locks exist only on
// PostgreSQL; SQLite's write transactions already hold the whole file).
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Tables } from './tables.js';

export interface SqlHandle {
  readonly db: Kysely<Tables>;
  readonly dialect: 'sqlite' | 'postgres';
  /** The PostgreSQL schema holding the tables (raw SQL must name it); null on SQLite. */
  readonly schema: string | null;
}

/** A table name for raw SQL, qualified with the schema where there is one. */
export function tableRef(handle: SqlHandle, name: keyof Tables): RawBuilder<unknown> {
  return sql.table(handle.schema === null ? name : `${handle.schema}.${name}`);
}

/** `FOR UPDATE` on PostgreSQL; nothing on SQLite (its transaction already holds the write lock). */
export function forUpdate<DB, TB extends keyof DB, O>(
  handle: SqlHandle,
  query: SelectQueryBuilder<DB, TB, O>,
): SelectQueryBuilder<DB, TB, O> {
  return handle.dialect === 'postgres' ? query.forUpdate() : query;
}
