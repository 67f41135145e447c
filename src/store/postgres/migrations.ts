// The PostgreSQL schema as numbered migrations, applied inside one transaction that first takes
// a transaction-scoped advisory lock, so several processes starting at once apply each once.
import type { PoolClient } from 'pg';
import { AftercareError } from '../../errors.js';
import type { SchemaNames } from './schema.js';

export interface Migration {
  version: number;
  name: string;
  sql: (n: SchemaNames) => string;
}

// Times are bigint epoch milliseconds, exactly as in the domain and the SQLite adapter: the port
// stays identical, comparisons are integer comparisons, and no time zone conversion can creep in.
// JSON columns are jsonb. Keys are COLLATE "C": byte order is all an id needs, and it makes
// every index insert and lookup on them cheaper than a locale-aware comparison. Every table carries customer_id so the schema can later be distributed
// by customer (see docs/operations.md); no FOREIGN KEY clauses, as on SQLite: intake writes
// parents and children in one transaction, and per-row key checks would tax bulk ingest.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: (n) => `
      CREATE TABLE ${n.table('customers')} (
        id text COLLATE "C" PRIMARY KEY,
        email text,
        email_lower text COLLATE "C",
        first_name text,
        last_name text,
        phone text,
        timezone text,
        locale text,
        segment text NOT NULL,
        holdout boolean NOT NULL,
        temperature double precision NOT NULL,
        open_concerns integer NOT NULL,
        unsubscribed_at bigint,
        email_bounced_at bigint,
        attributes jsonb NOT NULL,
        created_at bigint NOT NULL
      );
      CREATE INDEX ${n.index('customers_email_lower')} ON ${n.table('customers')} (email_lower)
        WHERE email_lower IS NOT NULL;

      CREATE TABLE ${n.table('orders')} (
        id text COLLATE "C" PRIMARY KEY,
        customer_id text COLLATE "C" NOT NULL,
        placed_at bigint NOT NULL,
        currency text NOT NULL,
        total double precision NOT NULL,
        segment text NOT NULL,
        items jsonb NOT NULL,
        shipments jsonb NOT NULL,
        moments jsonb NOT NULL,
        attributes jsonb NOT NULL,
        updated_at bigint NOT NULL
      );
      CREATE INDEX ${n.index('orders_customer')} ON ${n.table('orders')} (customer_id, placed_at);

      CREATE TABLE ${n.table('events')} (
        id text COLLATE "C" PRIMARY KEY,
        customer_id text COLLATE "C" NOT NULL,
        order_id text COLLATE "C",
        type text NOT NULL,
        at bigint NOT NULL,
        data jsonb NOT NULL,
        received_at bigint NOT NULL
      );
      CREATE INDEX ${n.index('events_customer_at')} ON ${n.table('events')} (customer_id, at);

      CREATE TABLE ${n.table('enrollments')} (
        id text COLLATE "C" PRIMARY KEY,
        customer_id text COLLATE "C" NOT NULL,
        order_id text COLLATE "C" NOT NULL,
        playbook text NOT NULL,
        playbook_version integer NOT NULL,
        holdout boolean NOT NULL,
        status text NOT NULL,
        ended_reason text,
        enrolled_at bigint NOT NULL
      );
      CREATE INDEX ${n.index('enrollments_order')} ON ${n.table('enrollments')} (order_id);

      CREATE TABLE ${n.table('touch_points')} (
        id text COLLATE "C" PRIMARY KEY,
        enrollment_id text COLLATE "C" NOT NULL,
        customer_id text COLLATE "C" NOT NULL,
        order_id text COLLATE "C" NOT NULL,
        playbook text NOT NULL,
        playbook_version integer NOT NULL,
        step_key text NOT NULL,
        channel text NOT NULL,
        purpose text NOT NULL,
        priority smallint NOT NULL,
        holdout boolean NOT NULL,
        due_at bigint NOT NULL,
        status text NOT NULL,
        attempt integer NOT NULL,
        lease_until bigint,
        claimed_by text,
        reason text,
        outcome_at bigint,
        provider_id text,
        created_at bigint NOT NULL
      );
      CREATE INDEX ${n.index('touch_points_order')} ON ${n.table('touch_points')} (order_id);
      -- The claim query reads these two; partial so that finished rows cost nothing.
      CREATE INDEX ${n.index('touch_points_due')} ON ${n.table('touch_points')} (due_at, priority)
        WHERE status = 'scheduled';
      CREATE INDEX ${n.index('touch_points_lease')} ON ${n.table('touch_points')} (lease_until)
        WHERE status = 'claimed';
      -- Frequency caps look at recent sends per customer.
      CREATE INDEX ${n.index('touch_points_sent')} ON ${n.table('touch_points')} (customer_id, outcome_at)
        WHERE status = 'sent';

      CREATE TABLE ${n.table('tasks')} (
        id text COLLATE "C" PRIMARY KEY,
        touch_point_id text COLLATE "C" NOT NULL UNIQUE,
        customer_id text COLLATE "C" NOT NULL,
        order_id text COLLATE "C" NOT NULL,
        kind text NOT NULL,
        title text NOT NULL,
        script text NOT NULL,
        due_at bigint NOT NULL,
        owner text,
        status text NOT NULL,
        outcome text,
        notes text,
        created_at bigint NOT NULL,
        completed_at bigint
      );
      CREATE INDEX ${n.index('tasks_status_due')} ON ${n.table('tasks')} (status, due_at);
      CREATE INDEX ${n.index('tasks_customer')} ON ${n.table('tasks')} (customer_id);

      -- Keyed by sha256(lower(email)); the address itself is never stored.
      CREATE TABLE ${n.table('suppressions')} (
        email_hash text COLLATE "C" PRIMARY KEY,
        reason text NOT NULL,
        created_at bigint NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'api keys and idempotent requests',
    sql: (n) => `
      -- Only the SHA-256 of a key is kept; the id is the key's public part.
      CREATE TABLE ${n.table('api_keys')} (
        id text COLLATE "C" PRIMARY KEY,
        name text NOT NULL,
        hash text NOT NULL,
        created_at bigint NOT NULL,
        revoked_at bigint
      );

      -- One row per (API key, Idempotency-Key). status IS NULL while the request is processed;
      -- expires_at is then the lock's end, afterwards the end of the replay window.
      CREATE TABLE ${n.table('idempotency_keys')} (
        api_key_id text COLLATE "C" NOT NULL,
        key text COLLATE "C" NOT NULL,
        fingerprint text NOT NULL,
        token text NOT NULL,
        status integer,
        body text,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        PRIMARY KEY (api_key_id, key)
      );
      CREATE INDEX ${n.index('idempotency_keys_expires')} ON ${n.table('idempotency_keys')} (expires_at);
    `,
  },
];

/**
 * Apply every migration the schema lacks; returns how many were applied. Safe to run from many
 * processes at once: the advisory lock (keyed by schema) serializes them, and each one reads the
 * version only after it holds the lock.
 */
export async function migrate(
  client: PoolClient,
  names: SchemaNames,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `aftercare.migrate:${names.schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${names.quotedSchema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${names.table('schema_migrations')} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const { rows } = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${names.table('schema_migrations')}`,
    );
    const current = rows[0]?.v ?? 0;
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (current > latest) {
      throw new AftercareError(
        'AFTERCARE_E_STORE',
        `The database schema "${names.schema}" (version ${current}) is newer than this Aftercare (version ${latest})`,
        { current, latest, schema: names.schema },
      );
    }
    let applied = 0;
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      await client.query(migration.sql(names));
      await client.query(
        `INSERT INTO ${names.table('schema_migrations')} (version, name, applied_at) VALUES ($1, $2, $3)`,
        [migration.version, migration.name, Date.now()],
      );
      applied += 1;
    }
    await client.query('COMMIT');
    return applied;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
