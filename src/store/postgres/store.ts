// The PostgreSQL adapter of the Store port, for scale-out: any number of processes share one
// database; claims use SKIP LOCKED with leases, new due work is announced with NOTIFY, and
// periodic jobs run under advisory locks. Every table lives in one schema (default `aftercare`).
import type pg from 'pg';
import type { DomainEvent, EventType, Millis, Task } from '../../core/domain.js';
import type { ApiKey, IdempotencyClaim, StoredResponse, TaskPatch } from '../accessPort.js';
import type {
  AttemptOutcome,
  ClaimOptions,
  ExpiredLease,
  IntakeReducer,
  Store,
  TaskQuery,
  TouchPointQuery,
} from '../port.js';
import { fromLegacy } from '../legacy.js';
import type { Store as NewStore } from '../store.js';
import { PostgresAccess } from './access.js';
import { PostgresDispatch } from './dispatch.js';
import { runExclusive } from './exclusive.js';
import { PostgresIntake, ReducerFailure } from './intake.js';
import { DueWorkListener } from './listen.js';
import { migrate } from './migrations.js';
import { createPool, releaseClient, storeError } from './pool.js';
import { PostgresReads } from './reads.js';
import { DEFAULT_SCHEMA, schemaNames, type SchemaNames } from './schema.js';

export interface PostgresStoreOptions {
  /** The PostgreSQL schema holding the tables; default `aftercare` (or the URL's `?schema=`). */
  schema?: string;
  /** Pool size; default 10. */
  poolSize?: number;
  /** Intake announces new work due within this much real time; default 60 s. */
  notifyHorizonMs?: number;
  /** Told about connection errors the store absorbed (the process keeps running). */
  onError?: (error: Error) => void;
  applicationName?: string;
  /** Migrate on open (default true), as the SQLite adapter does; `aftercare migrate` can do it ahead. */
  migrate?: boolean;
}

/** Splits `?schema=` off a postgres:// URL (the driver would not know what to do with it). */
export function parsePostgresUrl(url: string): { url: string; schema: string | null } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema: schema === '' ? null : schema };
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly names: SchemaNames;
  private readonly intakeRunner: PostgresIntake;
  private readonly dispatch: PostgresDispatch;
  private readonly reads: PostgresReads;
  private readonly listener: DueWorkListener;
  private readonly access: PostgresAccess;
  private closed = false;

  constructor(
    readonly pool: pg.Pool,
    private readonly url: string,
    options: PostgresStoreOptions = {},
  ) {
    this.names = schemaNames(options.schema ?? DEFAULT_SCHEMA);
    const notifyHorizonMs = options.notifyHorizonMs ?? 60_000;
    this.intakeRunner = new PostgresIntake(pool, this.names, { notifyHorizonMs });
    this.dispatch = new PostgresDispatch(pool, this.names);
    this.reads = new PostgresReads(pool, this.names, async (dueAt) => {
      if (dueAt <= Date.now() + notifyHorizonMs) {
        await pool.query('SELECT pg_notify($1, $2)', [this.names.dueChannel, String(dueAt)]);
      }
    });
    this.listener = new DueWorkListener({ url, channel: this.names.dueChannel, onError: options.onError });
    this.access = new PostgresAccess(pool, this.names);
  }

  async migrate(): Promise<void> {
    const client = await this.guard('connect', () => this.pool.connect());
    let broken: unknown = undefined;
    try {
      await migrate(client, this.names);
    } catch (error) {
      broken = error;
      throw storeError(error, 'migrate');
    } finally {
      releaseClient(client, broken);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.listener.close();
    await this.pool.end();
  }

  async intake(events: DomainEvent[], reduce: IntakeReducer) {
    try {
      return await this.intakeRunner.run(events, reduce);
    } catch (error) {
      // The reducer's own errors pass through unchanged; the batch was rolled back.
      if (error instanceof ReducerFailure) throw error.original;
      throw storeError(error, 'intake');
    }
  }

  claimDue(options: ClaimOptions) {
    return this.guard('claimDue', () => this.dispatch.claimDue(options));
  }

  recordOutcomes(outcomes: AttemptOutcome[]) {
    return this.guard('recordOutcomes', () => this.dispatch.recordOutcomes(outcomes));
  }

  recentNonTransactional(customerIds: string[], since: Millis) {
    return this.guard('recentNonTransactional', () =>
      this.dispatch.recentNonTransactional(customerIds, since),
    );
  }

  suppressedEmails(emails: string[]) {
    return this.guard('suppressedEmails', () => this.reads.suppressedEmails(emails));
  }

  addSuppression(email: string, reason: string, at: Millis) {
    return this.guard('addSuppression', () => this.reads.addSuppression(email, reason, at));
  }

  nextDueAt() {
    return this.guard('nextDueAt', () => this.dispatch.nextDueAt());
  }

  createTask(task: Task) {
    return this.guard('createTask', () => this.reads.createTask(task));
  }

  listTasks(query: TaskQuery) {
    return this.guard('listTasks', () => this.reads.listTasks(query));
  }

  updateTask(
    id: string,
    patch: Partial<Pick<Task, 'status' | 'owner' | 'outcome' | 'notes' | 'completedAt'>>,
  ) {
    return this.guard('updateTask', () => this.reads.updateTask(id, patch));
  }

  getCustomer(id: string) {
    return this.guard('getCustomer', () => this.reads.getCustomer(id));
  }

  findCustomerByEmail(email: string) {
    return this.guard('findCustomerByEmail', () => this.reads.findCustomerByEmail(email));
  }

  getOrder(id: string) {
    return this.guard('getOrder', () => this.reads.getOrder(id));
  }

  listOrders(customerId: string) {
    return this.guard('listOrders', () => this.reads.listOrders(customerId));
  }

  listEvents(customerId: string, types?: EventType[]) {
    return this.guard('listEvents', () => this.reads.listEvents(customerId, types));
  }

  listTouchPoints(query: TouchPointQuery) {
    return this.guard('listTouchPoints', () => this.reads.listTouchPoints(query));
  }

  moveTouchPoint(id: string, dueAt: Millis) {
    return this.guard('moveTouchPoint', () => this.reads.moveTouchPoint(id, dueAt));
  }

  cancelTouchPoint(id: string, reason: string, at: Millis) {
    return this.guard('cancelTouchPoint', () => this.reads.cancelTouchPoint(id, reason, at));
  }

  counts() {
    return this.guard('counts', () => this.reads.counts());
  }

  // --- access (accessPort.ts) ---
  createApiKey(key: ApiKey) {
    return this.guard('createApiKey', () => this.access.createApiKey(key));
  }

  findApiKey(id: string) {
    return this.guard('findApiKey', () => this.access.findApiKey(id));
  }

  listApiKeys() {
    return this.guard('listApiKeys', () => this.access.listApiKeys());
  }

  revokeApiKey(id: string, at: Millis) {
    return this.guard('revokeApiKey', () => this.access.revokeApiKey(id, at));
  }

  beginIdempotent(claim: IdempotencyClaim) {
    return this.guard('beginIdempotent', () => this.access.beginIdempotent(claim));
  }

  finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ) {
    return this.guard('finishIdempotent', () =>
      this.access.finishIdempotent(apiKeyId, key, token, response, expiresAt),
    );
  }

  abandonIdempotent(apiKeyId: string, key: string, token: string) {
    return this.guard('abandonIdempotent', () => this.access.abandonIdempotent(apiKeyId, key, token));
  }

  purgeIdempotency(before: Millis) {
    return this.guard('purgeIdempotency', () => this.access.purgeIdempotency(before));
  }

  getTouchPoint(id: string) {
    return this.guard('getTouchPoint', () => this.access.getTouchPoint(id));
  }

  getTask(id: string) {
    return this.guard('getTask', () => this.access.getTask(id));
  }

  transitionTask(id: string, from: readonly Task['status'][], patch: TaskPatch) {
    return this.guard('transitionTask', () => this.access.transitionTask(id, from, patch));
  }

  exportCustomer(id: string) {
    return this.guard('exportCustomer', () => this.access.exportCustomer(id));
  }

  eraseCustomer(id: string, at: Millis) {
    return this.guard('eraseCustomer', () => this.access.eraseCustomer(id, at));
  }

  // --- scale-out ---
  onDueWork(listener: () => void): Promise<() => Promise<void>> {
    return this.listener.subscribe(listener);
  }

  runExclusive<T>(job: string, fn: () => Promise<T>): Promise<T | null> {
    return runExclusive(this.pool, this.names.schema, job, fn);
  }

  requeueExpiredLeases(before: Millis): Promise<ExpiredLease[]> {
    return this.guard('requeueExpiredLeases', async () => {
      const swept = await this.dispatch.requeueExpiredLeases(before);
      // They are due at once: wake every worker, not only the one that swept.
      if (swept.length > 0)
        await this.pool.query('SELECT pg_notify($1, $2)', [this.names.dueChannel, 'swept']);
      return swept;
    });
  }

  /** Drop the whole schema (tests and benchmarks clean up with it). */
  async dropSchema(): Promise<void> {
    await this.guard('dropSchema', () =>
      this.pool.query(`DROP SCHEMA IF EXISTS ${this.names.quotedSchema} CASCADE`),
    );
  }

  /** The URL this store connects to (without `?schema=`). */
  get connectionUrl(): string {
    return this.url;
  }

  private async guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw storeError(error, operation);
    }
  }
}

/** Open and migrate a PostgreSQL store; `?schema=` in the URL picks the schema unless options say. */
/** The PostgreSQL store, with what operations and tests need beyond the ports. */
export interface PostgresHandle extends NewStore {
  readonly pool: pg.Pool;
  readonly names: SchemaNames;
  readonly connectionUrl: string;
  /** Drop the schema and everything in it (tests and benchmarks). */
  dropSchema(): Promise<void>;
}

export async function openPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresHandle> {
  const legacy = await openLegacyPostgresStore(url, options);
  return Object.assign(fromLegacy(legacy), {
    pool: legacy.pool,
    names: legacy.names,
    connectionUrl: legacy.connectionUrl,
    dropSchema: () => legacy.dropSchema(),
  });
}

async function openLegacyPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<PostgresStore> {
  const parsed = parsePostgresUrl(url);
  const schema = options.schema ?? parsed.schema ?? DEFAULT_SCHEMA;
  schemaNames(schema); // validate before any connection is made
  const pool = createPool(parsed.url, {
    max: options.poolSize,
    onError: options.onError,
    applicationName: options.applicationName,
  });
  const store = new PostgresStore(pool, parsed.url, { ...options, schema });
  if (options.migrate !== false) {
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}
