// Creates or upgrades the schema with the query builder's Migrator, the same migrations on both
// dialects. Safe from several processes at once: on PostgreSQL the Migrator holds an advisory
// lock, on SQLite its transaction begins IMMEDIATE (the file's write lock). A database made by
// a newer Aftercare, or by the one before the store was rewritten, is refused with a clear error.
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { AftercareError } from '../../../errors.js';
import { initialSchema } from './initial.js';
import type { SqlDialectName } from './types.js';

const MIGRATION_TABLE = 'aftercare_migrations';
const MIGRATION_LOCK_TABLE = 'aftercare_migrations_lock';

/** Every migration by name; names sort in the order they apply. */
export function migrations(dialect: SqlDialectName): Record<string, Migration> {
  return { '0001-initial': initialSchema(dialect) };
}

export interface MigrateTarget {
  db: Kysely<unknown>;
  dialect: SqlDialectName;
  /** PostgreSQL schema holding the tables; the database's default on SQLite. */
  schema?: string;
}

export async function migrateSchema(target: MigrateTarget): Promise<void> {
  const known = migrations(target.dialect);
  await refuseForeignSchemas(target, Object.keys(known));
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(known) };
  const db = target.schema === undefined ? target.db : target.db.withSchema(target.schema);
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(target.schema === undefined ? {} : { migrationTableSchema: target.schema }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new AftercareError(
      'AFTERCARE_E_STORE',
      `could not migrate the database${failed ? ` (${failed})` : ''}: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      failed ? { migration: failed } : {},
      { cause: error },
    );
  }
}

/** The names of the tables the schema holds. */
async function tableNames(target: MigrateTarget): Promise<Set<string>> {
  if (target.dialect === 'sqlite') {
    const { rows } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(
      target.db,
    );
    return new Set(rows.map((r) => r.name));
  }
  const { rows } = await sql<{ name: string }>`
    SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ${target.schema ?? 'public'}`.execute(
    target.db,
  );
  return new Set(rows.map((r) => r.name));
}

async function refuseForeignSchemas(target: MigrateTarget, known: string[]): Promise<void> {
  const tables = await tableNames(target);
  if (tables.has('schema_migrations')) {
    throw new AftercareError(
      'AFTERCARE_E_STORE',
      'This database was made by Aftercare 0.1, whose store layout this version no longer reads. ' +
        'Export what you need, then point AFTERCARE_DB at a new file or schema and import your orders again.',
      { legacy: true },
    );
  }
  if (!tables.has(MIGRATION_TABLE)) return;
  const qualified =
    target.schema === undefined
      ? sql.table(MIGRATION_TABLE)
      : sql.table(`${target.schema}.${MIGRATION_TABLE}`);
  const { rows } = await sql<{ name: string }>`SELECT name FROM ${qualified}`.execute(target.db);
  const unknown = rows.map((r) => r.name).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new AftercareError(
      'AFTERCARE_E_STORE',
      `The database schema is newer than this Aftercare (it has ${unknown.join(', ')}); upgrade Aftercare to use it.`,
      { unknown },
    );
  }
}
