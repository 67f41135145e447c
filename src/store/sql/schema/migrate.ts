// Creates or upgrades the schema: the same query-builder migrations on both dialects, applied in
// name order inside one transaction that holds the schema's lock (PostgreSQL: an advisory lock
// keyed by the schema; SQLite: the IMMEDIATE transaction's write lock), so processes starting at
// once take turns and the later ones find the work done. Kysely's own Migrator was tried: it
// introspects every schema of the database before each run, which fails when another schema is
// dropped at the same moment, so the bookkeeping here is our own, and small.
import { sql, type Kysely, type Migration } from 'kysely';
import { AftercareError } from '../../../errors.js';
import { initialSchema } from './initial.js';
import { keysSchema } from './keys.js';
import { lettersSchema } from './letters.js';
import { lifecycleSchema } from './lifecycle.js';
import { measuringSchema } from './measuring.js';
import { measurePairsSchema } from './measurePairs.js';
import { measureTriggerPlansSchema } from './measureTriggerPlans.js';
import { mailingListSchema } from './mailingList.js';
import { orderDetailsSchema } from './orderDetails.js';
import { outboxSchema } from './outbox.js';
import { privacySchema } from './privacy.js';
import { repeatSchema } from './repeat.js';
import { gapsSchema } from './gaps.js';
import { offersSchema } from './offers.js';
import { usersSchema } from './users.js';
import { dealsSchema } from './deals.js';
import { storiesSchema } from './stories.js';
import { dashboardScaleSchema } from './dashboardScale.js';
import type { SqlDialectName } from './types.js';

export const MIGRATION_TABLE = 'aftercare_migrations';

interface Bookkeeping {
  aftercare_migrations: { name: string; applied_at: string };
}

/** Every migration by name; names sort in the order they apply. */
export function migrations(
  dialect: SqlDialectName,
  installKey?: string,
  schema?: string,
): Record<string, Migration> {
  return {
    '0001-initial': initialSchema(dialect),
    '0002-privacy': privacySchema(dialect, installKey),
    '0004-keys': keysSchema(dialect),
    '0005-lifecycle': lifecycleSchema(dialect),
    '0006-orders': orderDetailsSchema(dialect),
    '0007-repeat': repeatSchema(dialect),
    '0008-measuring': measuringSchema(dialect, schema ?? null),
    '0009-gaps': gapsSchema(dialect),
    '0010-letters': lettersSchema(dialect),
    '0014-offers': offersSchema(dialect),
    '0016-dashboard': usersSchema(dialect),
    '0018-outbox': outboxSchema(),
    '0013-mailing-list': mailingListSchema(dialect),
    '0015-deals': dealsSchema(dialect),
    '0011-stories': storiesSchema(dialect),
    '0017-dashboard-scale': dashboardScaleSchema(dialect),
    '0019-measure-pairs': measurePairsSchema(schema ?? null),
    '0020-measure-trigger-plans': measureTriggerPlansSchema(dialect, schema ?? null),
  };
}

export interface MigrateTarget {
  db: Kysely<unknown>;
  dialect: SqlDialectName;
  /** PostgreSQL schema holding the tables; the database's default on SQLite. */
  schema?: string;
  /** The install key a new store is made with (tests comparing two stores); default: random. */
  installKey?: string;
}

/** A duplicate schema or table: another process created it first (PostgreSQL). */
function raced(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null;
  return code === '42P06' || code === '42P07' || code === '23505';
}

export async function migrateSchema(target: MigrateTarget): Promise<void> {
  const known = migrations(target.dialect, target.installKey, target.schema);
  const names = Object.keys(known).sort();
  try {
    if (target.schema !== undefined) {
      await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(target.schema)}`
        .execute(target.db)
        .catch((error: unknown) => {
          if (!raced(error)) throw error;
        });
    }
    await target.db.transaction().execute(async (trx) => {
      if (target.dialect === 'postgres') {
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`aftercare.migrate:${target.schema ?? ''}`}, 0))`.execute(
          trx,
        );
      }
      const tables = await tableNames(trx, target);
      if (tables.has('schema_migrations')) {
        throw new AftercareError(
          'AFTERCARE_E_STORE',
          'This database was made by Aftercare 0.1, whose store layout this version no longer reads. ' +
            'Export what you need, then point AFTERCARE_DB at a new file or schema and import your orders again.',
          { legacy: true },
        );
      }
      const db = (target.schema === undefined ? trx : trx.withSchema(target.schema)) as Kysely<Bookkeeping>;
      await db.schema
        .createTable(MIGRATION_TABLE)
        .ifNotExists()
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('applied_at', 'text', (c) => c.notNull())
        .execute();
      const applied = new Set(
        (await db.selectFrom(MIGRATION_TABLE).select('name').execute()).map((r) => r.name),
      );
      const unknown = [...applied].filter((name) => !names.includes(name));
      if (unknown.length > 0) {
        throw new AftercareError(
          'AFTERCARE_E_STORE',
          `The database schema is newer than this Aftercare (it has ${unknown.join(', ')}); upgrade Aftercare to use it.`,
          { unknown },
        );
      }
      for (const name of names) {
        if (applied.has(name)) continue;
        await known[name]!.up(db);
        await db
          .insertInto(MIGRATION_TABLE)
          // The database's own clock: bookkeeping, not something the engine decides on.
          .values({ name, applied_at: sql<string>`CAST(CURRENT_TIMESTAMP AS text)` })
          .execute();
      }
    });
  } catch (error) {
    if (error instanceof AftercareError) throw error;
    throw new AftercareError(
      'AFTERCARE_E_STORE',
      `could not migrate the database: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      {},
      { cause: error },
    );
  }
}

/** What a database holds of our schema, read without changing anything. */
export interface SchemaState {
  /** Whether it is an Aftercare database at all (it has our bookkeeping, or 0.1's). */
  exists: boolean;
  /** Migrations this code has that the database has not applied yet, in apply order. */
  pending: string[];
  /** Migrations the database has applied that this code does not know (it is newer). */
  unknown: string[];
}

export async function schemaState(target: MigrateTarget): Promise<SchemaState> {
  const names = Object.keys(migrations(target.dialect)).sort();
  const tables = await tableNames(target.db, target);
  if (tables.has('schema_migrations')) return { exists: true, pending: names, unknown: [] };
  if (!tables.has(MIGRATION_TABLE)) return { exists: false, pending: names, unknown: [] };
  const db = (
    target.schema === undefined ? target.db : target.db.withSchema(target.schema)
  ) as Kysely<Bookkeeping>;
  const applied = new Set((await db.selectFrom(MIGRATION_TABLE).select('name').execute()).map((r) => r.name));
  return {
    exists: true,
    pending: names.filter((name) => !applied.has(name)),
    unknown: [...applied].filter((name) => !names.includes(name)).sort(),
  };
}

/** The names of the tables the schema holds. */
async function tableNames(db: Kysely<unknown>, target: MigrateTarget): Promise<Set<string>> {
  if (target.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(
      db,
    );
    return new Set(rows.map((r) => r.name));
  }
  const { rows } = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = ${target.schema ?? 'public'}`.execute(db);
  return new Set(rows.map((r) => r.name));
}
