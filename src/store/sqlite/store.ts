// The embedded Store: one SQLite file (WAL) through better-sqlite3. Work is synchronous inside
// the adapter; the port's promises only carry results and errors out.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type {
  Customer,
  DomainEvent,
  EventType,
  Millis,
  Order,
  StoredEvent,
  Task,
  TouchPoint,
} from '../../core/domain.js';
import { AftercareError } from '../../errors.js';
import type {
  ApiKey,
  CustomerExport,
  ErasureReport,
  IdempotencyBegin,
  IdempotencyClaim,
  StoredResponse,
  TaskPatch,
  TaskTransition,
} from '../accessPort.js';
import type {
  AttemptOutcome,
  ClaimOptions,
  ClaimedTouchPoint,
  IntakeReducer,
  IntakeResult,
  StatusCounts,
  Store,
  TaskQuery,
  TouchPointQuery,
} from '../port.js';
import { fromLegacy } from '../legacy.js';
import type { Store as NewStore } from '../store.js';
import { SqliteAccess } from './access.js';
import { SqliteDispatch } from './dispatch.js';
import { SqliteIntake } from './intake.js';
import { SqliteReads } from './reads.js';
import { migrate } from './schema/migrations.js';
import { SqliteSuppressions } from './suppressions.js';
import { SqliteTasks } from './tasks.js';

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5000;

/** Open (creating the file and its folder if needed) and migrate. `':memory:'` gives a private database. */
export async function openSqliteStore(path: string): Promise<NewStore> {
  return fromLegacy(await openLegacySqliteStore(path));
}

function openLegacySqliteStore(path: string): Promise<Store> {
  return attempt(() => {
    const inMemory = path === ':memory:' || path === '';
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      if (!inMemory) db.pragma('journal_mode = WAL');
      // WAL + NORMAL: a commit is durable against process crashes; a power cut can lose the
      // last transactions but never corrupts the file.
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      // Claims and outcomes rewrite the same pages batch after batch: checkpointing every ~40 MB
      // instead of every 4 MB copies each page once for several batches (dispatch ~1.5x faster).
      db.pragma('wal_autocheckpoint = 10000');
      db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
      migrate(db);
      return new SqliteStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  });
}

class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly intakeWriter: SqliteIntake;
  private readonly dispatch: SqliteDispatch;
  private readonly reads: SqliteReads;
  private readonly tasks: SqliteTasks;
  private readonly suppressions: SqliteSuppressions;
  private readonly access: SqliteAccess;

  constructor(private readonly db: Database.Database) {
    this.intakeWriter = new SqliteIntake(db);
    this.dispatch = new SqliteDispatch(db);
    this.reads = new SqliteReads(db);
    this.tasks = new SqliteTasks(db);
    this.suppressions = new SqliteSuppressions(db);
    this.access = new SqliteAccess(db);
  }

  migrate(): Promise<void> {
    return attempt(() => void migrate(this.db));
  }

  close(): Promise<void> {
    return attempt(() => void (this.db.open && this.db.close()));
  }

  intake(events: DomainEvent[], reduce: IntakeReducer): Promise<IntakeResult[]> {
    return attempt(() => (events.length === 0 ? [] : this.intakeWriter.run(events, reduce)));
  }

  claimDue(options: ClaimOptions): Promise<ClaimedTouchPoint[]> {
    return attempt(() => this.dispatch.claimDue(options));
  }

  recordOutcomes(outcomes: AttemptOutcome[]): Promise<number> {
    return attempt(() => (outcomes.length === 0 ? 0 : this.dispatch.recordOutcomes(outcomes)));
  }

  recentNonTransactional(customerIds: string[], since: Millis): Promise<Map<string, Millis[]>> {
    return attempt(() => this.dispatch.recentNonTransactional(customerIds, since));
  }

  suppressedEmails(emails: string[]): Promise<Set<string>> {
    return attempt(() => this.suppressions.suppressed(emails));
  }

  addSuppression(email: string, reason: string, at: Millis): Promise<void> {
    return attempt(() => this.suppressions.add(email, reason, at));
  }

  nextDueAt(): Promise<Millis | null> {
    return attempt(() => this.dispatch.nextDueAt());
  }

  createTask(task: Task): Promise<boolean> {
    return attempt(() => this.tasks.createTask(task));
  }

  listTasks(query: TaskQuery): Promise<Task[]> {
    return attempt(() => this.tasks.listTasks(query));
  }

  updateTask(
    id: string,
    patch: Partial<Pick<Task, 'status' | 'owner' | 'outcome' | 'notes' | 'completedAt'>>,
  ): Promise<Task | null> {
    return attempt(() => this.tasks.updateTask(id, patch));
  }

  getCustomer(id: string): Promise<Customer | null> {
    return attempt(() => this.reads.getCustomer(id));
  }

  findCustomerByEmail(email: string): Promise<Customer | null> {
    return attempt(() => this.reads.findCustomerByEmail(email));
  }

  getOrder(id: string): Promise<Order | null> {
    return attempt(() => this.reads.getOrder(id));
  }

  listOrders(customerId: string): Promise<Order[]> {
    return attempt(() => this.reads.listOrders(customerId));
  }

  listEvents(customerId: string, types?: EventType[]): Promise<StoredEvent[]> {
    return attempt(() => this.reads.listEvents(customerId, types));
  }

  listTouchPoints(query: TouchPointQuery): Promise<TouchPoint[]> {
    return attempt(() => this.reads.listTouchPoints(query));
  }

  moveTouchPoint(id: string, dueAt: Millis): Promise<TouchPoint | null> {
    return attempt(() => this.reads.moveTouchPoint(id, dueAt));
  }

  cancelTouchPoint(id: string, reason: string, at: Millis): Promise<TouchPoint | null> {
    return attempt(() => this.reads.cancelTouchPoint(id, reason, at));
  }

  counts(): Promise<StatusCounts> {
    return attempt(() => this.reads.counts());
  }

  // --- access (accessPort.ts) ---
  createApiKey(key: ApiKey): Promise<void> {
    return attempt(() => this.access.createApiKey(key));
  }

  findApiKey(id: string): Promise<ApiKey | null> {
    return attempt(() => this.access.findApiKey(id));
  }

  listApiKeys(): Promise<ApiKey[]> {
    return attempt(() => this.access.listApiKeys());
  }

  revokeApiKey(id: string, at: Millis): Promise<ApiKey | null> {
    return attempt(() => this.access.revokeApiKey(id, at));
  }

  beginIdempotent(claim: IdempotencyClaim): Promise<IdempotencyBegin> {
    return attempt(() => this.access.beginIdempotent(claim));
  }

  finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ): Promise<void> {
    return attempt(() => this.access.finishIdempotent(apiKeyId, key, token, response, expiresAt));
  }

  abandonIdempotent(apiKeyId: string, key: string, token: string): Promise<void> {
    return attempt(() => this.access.abandonIdempotent(apiKeyId, key, token));
  }

  purgeIdempotency(before: Millis): Promise<number> {
    return attempt(() => this.access.purgeIdempotency(before));
  }

  getTouchPoint(id: string): Promise<TouchPoint | null> {
    return attempt(() => this.access.getTouchPoint(id));
  }

  getTask(id: string): Promise<Task | null> {
    return attempt(() => this.access.getTask(id));
  }

  transitionTask(id: string, from: readonly Task['status'][], patch: TaskPatch): Promise<TaskTransition> {
    return attempt(() => this.access.transitionTask(id, from, patch));
  }

  exportCustomer(id: string): Promise<CustomerExport | null> {
    return attempt(() => this.access.exportCustomer(id));
  }

  eraseCustomer(id: string, at: Millis): Promise<ErasureReport | null> {
    return attempt(() => this.access.eraseCustomer(id, at));
  }
}

/**
 * Runs synchronous database work and settles a promise with its result. SQLite's own errors
 * (busy, full disk, corrupt file...) become AFTERCARE_E_STORE; anything else, such as an error
 * thrown by an intake reducer, passes through unchanged.
 */
function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(asStoreError(error));
  }
}

function asStoreError(error: unknown): Error {
  if (error instanceof Database.SqliteError) {
    return new AftercareError(
      'AFTERCARE_E_STORE',
      `SQLite: ${error.message}`,
      { sqliteCode: error.code },
      { cause: error },
    );
  }
  if (error instanceof Error) return error;
  return new AftercareError('AFTERCARE_E_INTERNAL', String(error));
}
