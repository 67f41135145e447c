// The embedded store: one SQLite file (WAL) through better-sqlite3. Everything that is not a hot
// path is the shared query-builder code (store/sql/); intake and the dispatch queue are
// hand-written here. One connection, used by one caller at a time (dialect.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { Millis } from '../../core/domain.js';
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
import { SqlListening } from '../sql/listening.js';
import { SqlMeasuring } from '../sql/measuring.js';
import { SqlPlaybookVersions } from '../sql/playbookVersions.js';
import { SqlPrivacy } from '../sql/privacy.js';
import { SqlReads } from '../sql/reads.js';
import { SqlSchedule } from '../sql/schedule.js';
import { MIGRATION_TABLE, migrateSchema, schemaState } from '../sql/schema/migrate.js';
import { storeNotFound } from '../notFound.js';
import type { Tables } from '../sql/tables.js';
import { SqlTasks } from '../sql/tasks.js';
import type { Store } from '../store.js';
import { ConnectionLane, LaneDialect } from './dialect.js';
import { asStoreError, guarded } from './errors.js';
import { SqliteIntake } from './intake.js';
import { SqliteQueue } from './queue.js';

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5000;

export interface SqliteStore extends Store {
  readonly dialect: 'sqlite';
  /** The connection, for tests and benchmarks that look at the file directly. */
  readonly database: Database.Database;
}

export interface SqliteOpenOptions {
  /**
   * Create the file (and its folder) when there is none (default). With false, a path where no
   * Aftercare database is refuses with AFTERCARE_E_STORE_NOT_FOUND and creates nothing.
   */
  create?: boolean;
  /** Migrate on open (default true). */
  migrate?: boolean;
  /** The install key a new file is made with (tests comparing two stores); default: random. */
  installKey?: string;
}

/** Open (creating the file and its folder if needed) and migrate. `':memory:'` gives a private database. */
export async function openSqliteStore(path: string, options: SqliteOpenOptions = {}): Promise<SqliteStore> {
  const inMemory = path === ':memory:' || path === '';
  const create = options.create !== false || inMemory;
  if (!create && !existsSync(path)) throw storeNotFound(path, 'there is no such file');
  let db: Database.Database;
  try {
    if (create) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS, fileMustExist: !create });
  } catch (error) {
    throw asStoreError(error);
  }
  // Before any pragma: WAL mode would be written into someone else's file.
  if (!create && !isAftercareFile(db)) {
    db.close();
    throw storeNotFound(path, 'the file holds no Aftercare schema');
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!inMemory) db.pragma('journal_mode = WAL');
    // WAL + NORMAL: a commit is durable against process crashes; a power cut can lose the
    // last transactions but never corrupts the file.
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.pragma('temp_store = MEMORY');
    // Claims and outcomes rewrite the same pages batch after batch: checkpointing every ~40 MB
    // instead of every 4 MB copies each page once for several batches.
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    // Deleted and overwritten content is zeroed, not left in free space and free pages, so an
    // erased person's words do not survive in the file (docs/privacy.md).
    db.pragma('secure_delete = ON');
  } catch (error) {
    db.close();
    throw asStoreError(error);
  }
  const lane = new ConnectionLane(db, inMemory ? null : resolve(path));
  const kysely = new Kysely<Tables>({ dialect: new LaneDialect(lane) });
  if (options.migrate !== false) {
    try {
      await migrateSchema({
        db: kysely as Kysely<unknown>,
        dialect: 'sqlite',
        installKey: options.installKey,
      });
    } catch (error) {
      db.close();
      throw asStoreError(error);
    }
  }
  return buildStore(db, lane, kysely);
}

function isAftercareFile(db: Database.Database): boolean {
  try {
    const found = db
      .prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, 'schema_migrations')")
      .pluck()
      .get(MIGRATION_TABLE);
    return Number(found) > 0;
  } catch {
    // Not a database at all ("file is not a database"): not ours either.
    return false;
  }
}

function buildStore(db: Database.Database, lane: ConnectionLane, kysely: Kysely<Tables>): SqliteStore {
  const handle: SqlHandle = { db: kysely, dialect: 'sqlite', schema: null };
  const noWake = (_at: Millis): Promise<void> => Promise.resolve();
  return {
    dialect: 'sqlite',
    database: db,
    intake: guarded(new SqliteIntake(lane)),
    queue: guarded(new SqliteQueue(lane)),
    schedule: guarded(new SqlSchedule(handle, noWake)),
    consent: guarded(new SqlConsent(handle)),
    tasks: guarded(new SqlTasks(handle)),
    reads: guarded(new SqlReads(handle)),
    access: guarded(new SqlAccess(handle)),
    // After an erasure the WAL still holds the pages as they were: checkpoint and truncate it.
    // Should a reader hold an old snapshot, the checkpoint does what it can; the next erasure or
    // the next automatic checkpoint does the rest.
    privacy: guarded(
      new SqlPrivacy(handle, () =>
        lane.run((connection) => {
          connection.pragma('wal_checkpoint(TRUNCATE)');
        }),
      ),
    ),
    playbooks: guarded(new SqlPlaybookVersions(handle)),
    inbox: guarded(new SqlInbox(handle)),
    listening: guarded(new SqlListening(handle)),
    measuring: guarded(new SqlMeasuring(handle)),
    gaps: guarded(new SqlGaps(handle)),
    offers: guarded(new SqlOffers(handle)),
    users: guarded(new SqlUsers(handle)),
    customerSearch: guarded(new SqlCustomerSearch(handle)),
    mailingList: guarded(new SqlMailingList(handle)),
    deals: guarded(new SqlDeals(handle)),
    stories: guarded(new SqlStories(handle)),
    rateWindows: guarded(new SqlRateWindows(handle)),
    cluster: null,
    migrate: async () => {
      try {
        await migrateSchema({ db: kysely as Kysely<unknown>, dialect: 'sqlite' });
      } catch (error) {
        throw asStoreError(error);
      }
    },
    schemaState: async () => {
      try {
        return await schemaState({ db: kysely as Kysely<unknown>, dialect: 'sqlite' });
      } catch (error) {
        throw asStoreError(error);
      }
    },
    close: () => lane.close(),
  };
}
