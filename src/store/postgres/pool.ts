// The connection pool and how its failures are read: bigint and numeric come back as numbers,
// an idle connection dropped by the server never crashes the process, and a lost race between
// two transactions (unique violation, deadlock, serialization failure) is told apart by SQLSTATE.
import pg from 'pg';
import type { PoolClient } from 'pg';
import { AftercareError } from '../../errors.js';

const INT8 = 20;
const NUMERIC = 1700;

/** Type parsers for this pool only: benchmarks run other libraries in the same process. */
const toNumber = (value: string): number => Number(value);
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown => {
    if (oid === INT8 || oid === NUMERIC) return toNumber;
    return pg.types.getTypeParser(oid, format) as unknown;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export interface PoolOptions {
  max?: number;
  /** Told about connection errors the pool absorbed (server restart, network drop). */
  onError?: (error: Error) => void;
  applicationName?: string;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    types,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: options.applicationName ?? 'aftercare',
    // Detect a vanished server on idle connections quickly.
    keepAlive: true,
  });
  // An idle client that loses its connection emits here; without a listener Node would crash.
  pool.on('error', (error) => options.onError?.(error));
  // So does a checked-out one between two queries (a transaction, a job holding its lock): the
  // next query on it fails instead, and its holder releases it as broken.
  pool.on('connect', (client) => client.on('error', (error) => options.onError?.(error)));
  return pool;
}

export function clientOptions(url: string, applicationName: string): pg.ClientConfig {
  return { connectionString: url, types, application_name: applicationName, keepAlive: true };
}

/** Return a client to the pool, destroying it when it is no longer usable. */
export function releaseClient(client: PoolClient, broken: unknown): void {
  client.release(broken instanceof Error ? broken : broken === undefined ? undefined : true);
}

function sqlState(error: unknown): string | null {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const { code } = error;
    return typeof code === 'string' ? code : null;
  }
  return null;
}

/** unique_violation, deadlock_detected, serialization_failure: the transaction may simply be redone. */
export function isRetryableConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === '23505' || state === '40P01' || state === '40001';
}

/** Errors leaving the adapter carry AFTERCARE_E_STORE (the SQLSTATE, if any, in details). */
export function storeError(error: unknown, operation: string): AftercareError {
  if (error instanceof AftercareError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AftercareError(
    'AFTERCARE_E_STORE',
    `PostgreSQL ${operation} failed: ${message}`,
    { operation, sqlState: sqlState(error) },
    { cause: error },
  );
}
