// The SQLite schema as numbered migrations, applied in order inside one BEGIN IMMEDIATE
// transaction so that several processes opening the same file at once serialize cleanly.
import type Database from 'better-sqlite3';
import { AftercareError } from '../../../errors.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

// Times are INTEGER epoch milliseconds. JSON columns hold text. No FOREIGN KEY clauses: intake
// writes a customer, its order, enrollments and touch points in one transaction, and per-row
// key checks would tax the ingest hot path for no extra safety.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        email TEXT,
        email_lower TEXT,
        first_name TEXT,
        last_name TEXT,
        phone TEXT,
        timezone TEXT,
        locale TEXT,
        segment TEXT NOT NULL,
        holdout INTEGER NOT NULL,
        temperature REAL NOT NULL,
        open_concerns INTEGER NOT NULL,
        unsubscribed_at INTEGER,
        email_bounced_at INTEGER,
        attributes TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX customers_email_lower ON customers (email_lower) WHERE email_lower IS NOT NULL;

      CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        placed_at INTEGER NOT NULL,
        currency TEXT NOT NULL,
        total REAL NOT NULL,
        segment TEXT NOT NULL,
        items TEXT NOT NULL,
        shipments TEXT NOT NULL,
        moments TEXT NOT NULL,
        attributes TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX orders_customer ON orders (customer_id, placed_at);

      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        order_id TEXT,
        type TEXT NOT NULL,
        at INTEGER NOT NULL,
        data TEXT NOT NULL,
        received_at INTEGER NOT NULL
      );
      CREATE INDEX events_customer_at ON events (customer_id, at);

      CREATE TABLE enrollments (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        playbook TEXT NOT NULL,
        playbook_version INTEGER NOT NULL,
        holdout INTEGER NOT NULL,
        status TEXT NOT NULL,
        ended_reason TEXT,
        enrolled_at INTEGER NOT NULL
      );
      CREATE INDEX enrollments_order ON enrollments (order_id);

      CREATE TABLE touch_points (
        id TEXT PRIMARY KEY,
        enrollment_id TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        playbook TEXT NOT NULL,
        playbook_version INTEGER NOT NULL,
        step_key TEXT NOT NULL,
        channel TEXT NOT NULL,
        purpose TEXT NOT NULL,
        priority INTEGER NOT NULL,
        holdout INTEGER NOT NULL,
        due_at INTEGER NOT NULL,
        status TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        lease_until INTEGER,
        claimed_by TEXT,
        reason TEXT,
        outcome_at INTEGER,
        provider_id TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX touch_points_order ON touch_points (order_id);
      -- The claim query reads these two; partial so that finished rows cost nothing.
      CREATE INDEX touch_points_due ON touch_points (due_at, priority) WHERE status = 'scheduled';
      CREATE INDEX touch_points_lease ON touch_points (lease_until) WHERE status = 'claimed';
      -- Frequency caps look at recent sends per customer.
      CREATE INDEX touch_points_sent ON touch_points (customer_id, outcome_at) WHERE status = 'sent';

      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        touch_point_id TEXT NOT NULL UNIQUE,
        customer_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        script TEXT NOT NULL,
        due_at INTEGER NOT NULL,
        owner TEXT,
        status TEXT NOT NULL,
        outcome TEXT,
        notes TEXT,
        created_at INTEGER NOT NULL,
        completed_at INTEGER
      );
      CREATE INDEX tasks_status_due ON tasks (status, due_at);
      CREATE INDEX tasks_customer ON tasks (customer_id);

      -- Keyed by sha256(lower(email)); the address itself is never stored.
      CREATE TABLE suppressions (
        email_hash TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'api keys and idempotent requests',
    sql: `
      -- Only the SHA-256 of a key is kept; the id is the key's public part.
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );

      -- One row per (API key, Idempotency-Key). status IS NULL while the request is processed;
      -- expires_at is then the lock's end, afterwards the end of the replay window.
      CREATE TABLE idempotency_keys (
        api_key_id TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        token TEXT NOT NULL,
        status INTEGER,
        body TEXT,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (api_key_id, key)
      );
      CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
    `,
  },
];

/** Apply every migration this database lacks; a no-op when it is current. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const apply = db.transaction((): number => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
    const current = row?.v ?? 0;
    const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
    if (current > latest) {
      throw new AftercareError(
        'AFTERCARE_E_STORE',
        `The database schema (version ${current}) is newer than this Aftercare (version ${latest})`,
        { current, latest },
      );
    }
    const record = db.prepare<[number, string, number]>(
      'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
    );
    let applied = 0;
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
      applied += 1;
    }
    return applied;
  });
  // IMMEDIATE takes the write lock before reading the version, so a second process waits
  // (busy_timeout) and then finds the work done instead of racing to create the same tables.
  return apply.immediate();
}
