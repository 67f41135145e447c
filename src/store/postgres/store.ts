// The PostgreSQL store, for scale-out: any number of processes share one database; claims use
// SKIP LOCKED with leases, new due work is announced with NOTIFY, and periodic jobs run under
// advisory locks. Every table lives in one schema (default `aftercare`). What is not a hot path
// is the shared query-builder code (store/sql/); intake and the dispatch queue are hand-written.
import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Millis } from '../../core/domain.js';
import type { ClusterPort } from '../ports/cluster.js';
import { SqlAccess } from '../sql/access.js';
import { SqlConsent } from '../sql/consent.js';
import { SqlDeals } from '../sql/deals.js';
import { SqlGaps } from '../sql/gaps.js';
import { SqlOffers } from '../sql/offers.js';
import { SqlCustomerSearch } from '../sql/customerSearch.js';
import { SqlUsers } from '../sql/users.js';
import { SqlRateWindows } from '../sql/rateWindows.js';
import { SqlMailingList } from '../sql/mailingList.js';
import { SqlStories } from '../sql/stories.js';
import type { SqlHandle } from '../sql/db.js';
import { SqlInbox } from '../sql/inbox.js';
import { SqlPlaybookVersions } from '../sql/playbookVersions.js';
import { SqlListening } from '../sql/listening.js';
import { SqlMeasuring } from '../sql/measuring.js';
import { SqlPrivacy } from '../sql/privacy.js';
import { SqlReads } from '../sql/reads.js';
import { SqlSchedule } from '../sql/schedule.js';
import { migrateSchema, schemaState } from '../sql/schema/migrate.js';
import { storeNotFound } from '../notFound.js';
import type { Tables } from '../sql/tables.js';
import { SqlTasks } from '../sql/tasks.js';
import type { Store } from '../store.js';
import { runExclusive } from './exclusive.js';
import { PostgresIntake, ReducerFailure } from './intake.js';
import { DueWorkListener } from './listen.js';
import { createPool, storeError } from './pool.js';
import { PostgresQueue } from './queue.js';
import { DEFAULT_SCHEMA, schemaNames, type SchemaNames } from './schema.js';

export interface PostgresStoreOptions {
  /** The PostgreSQL schema holding the tables; default `aftercare` (or the URL's `?schema=`). */
  schema?: string;
  /** Pool size; default 10. */
  poolSize?: number;
  /** Told about connection errors the store absorbed (the process keeps running). */
  onError?: (error: Error) => void;
  applicationName?: string;
  /** Migrate on open (default true), as the SQLite adapter does; `aftercare migrate` can do it ahead. */
  migrate?: boolean;
  /** The install key a new schema is made with (tests comparing two stores); default: random. */
  installKey?: string;
  /**
   * Create the schema when it is not there (default). With false, a schema without Aftercare's
   * tables refuses with AFTERCARE_E_STORE_NOT_FOUND and nothing is created.
   */
  create?: boolean;
  /**
   * The clock's time. With it, only work due within `notifyHorizonMs` is announced to other
   * processes (the rest is found by their polls); without it, all new work is announced.
   */
  now?: () => Millis;
  /** Default 60 s. */
  notifyHorizonMs?: Millis;
}

/** The PostgreSQL store, with what operations and tests need beyond the ports. */
export interface PostgresHandle extends Store {
  readonly dialect: 'postgres';
  readonly pool: pg.Pool;
  readonly names: SchemaNames;
  /** The URL this store connects to (without `?schema=`). */
  readonly connectionUrl: string;
  /** Drop the schema and everything in it (tests and benchmarks). */
  dropSchema(): Promise<void>;
}

/** Splits `?schema=` off a postgres:// URL (the driver would not know what to do with it). */
export function parsePostgresUrl(url: string): { url: string; schema: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema: schema === '' ? null : schema };
}

/** The same object, every failure leaving as AFTERCARE_E_STORE, but for an intake reducer's own. */
function guarded<T extends object>(target: T, part: string): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
        } catch (error) {
          if (error instanceof ReducerFailure) throw error.original;
          throw storeError(error, `${part}.${String(key)}`);
        }
      };
    },
  });
}

export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresHandle> {
  const parsed = parsePostgresUrl(url);
  const names = schemaNames(options.schema ?? parsed.schema ?? DEFAULT_SCHEMA); // validates first
  const pool = createPool(parsed.url, {
    max: options.poolSize,
    onError: options.onError,
    applicationName: options.applicationName,
  });
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  const handle: SqlHandle = {
    db: kysely.withSchema(names.schema),
    dialect: 'postgres',
    schema: names.schema,
  };
  const migrate = async (): Promise<void> => {
    try {
      await migrateSchema({
        db: kysely as Kysely<unknown>,
        dialect: 'postgres',
        schema: names.schema,
        installKey: options.installKey,
      });
    } catch (error) {
      throw storeError(error, 'migrate');
    }
  };
  if (options.create === false) {
    const state = await schemaState({
      db: kysely as Kysely<unknown>,
      dialect: 'postgres',
      schema: names.schema,
    })
      .catch((error: unknown) => {
        throw storeError(error, 'open');
      })
      .catch(async (error: unknown) => {
        await pool.end().catch(() => undefined);
        throw error;
      });
    if (!state.exists) {
      await pool.end().catch(() => undefined);
      const at = new URL(parsed.url);
      // Named without user or password.
      const where = `postgres://${at.host}${at.pathname} (schema ${names.schema})`;
      throw storeNotFound(where, 'the schema holds no Aftercare tables');
    }
  }
  if (options.migrate !== false) {
    try {
      await migrate();
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }
  const listener = new DueWorkListener({
    url: parsed.url,
    channel: names.dueChannel,
    onError: options.onError,
  });
  const horizon = options.notifyHorizonMs ?? 60_000;
  const now = options.now;
  const announce = (dueAt: Millis): boolean => now === undefined || dueAt <= now() + horizon;
  const notify = async (dueAt: Millis): Promise<void> => {
    if (announce(dueAt)) await pool.query('SELECT pg_notify($1, $2)', [names.dueChannel, String(dueAt)]);
  };
  const cluster: ClusterPort = {
    onDueWork: (listen) => listener.subscribe(listen),
    runExclusive: (job, fn) => runExclusive(pool, names.schema, job, fn),
  };
  let closed = false;
  return {
    dialect: 'postgres',
    pool,
    names,
    connectionUrl: parsed.url,
    intake: guarded(new PostgresIntake(pool, names, announce), 'intake'),
    queue: guarded(new PostgresQueue(pool, names), 'queue'),
    schedule: guarded(new SqlSchedule(handle, notify), 'schedule'),
    consent: guarded(new SqlConsent(handle), 'consent'),
    tasks: guarded(new SqlTasks(handle), 'tasks'),
    reads: guarded(new SqlReads(handle), 'reads'),
    access: guarded(new SqlAccess(handle), 'access'),
    privacy: guarded(new SqlPrivacy(handle), 'privacy'),
    playbooks: guarded(new SqlPlaybookVersions(handle), 'playbooks'),
    inbox: guarded(new SqlInbox(handle), 'inbox'),
    listening: guarded(new SqlListening(handle, notify), 'listening'),
    measuring: guarded(new SqlMeasuring(handle), 'measuring'),
    gaps: guarded(new SqlGaps(handle), 'gaps'),
    offers: guarded(new SqlOffers(handle), 'offers'),
    users: guarded(new SqlUsers(handle), 'users'),
    customerSearch: guarded(new SqlCustomerSearch(handle), 'customerSearch'),
    mailingList: guarded(new SqlMailingList(handle), 'mailingList'),
    deals: guarded(new SqlDeals(handle), 'deals'),
    stories: guarded(new SqlStories(handle), 'stories'),
    rateWindows: guarded(new SqlRateWindows(handle), 'rateWindows'),
    cluster,
    migrate,
    schemaState: async () => {
      try {
        return await schemaState({
          db: kysely as Kysely<unknown>,
          dialect: 'postgres',
          schema: names.schema,
        });
      } catch (error) {
        throw storeError(error, 'schemaState');
      }
    },
    dropSchema: async () => {
      try {
        await pool.query(`DROP SCHEMA IF EXISTS ${names.quotedSchema} CASCADE`);
      } catch (error) {
        throw storeError(error, 'dropSchema');
      }
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await listener.close();
      await kysely.destroy();
    },
  };
}
