// The PostgreSQL server the tests share: where it is, whether it is reachable (CI requires it),
// a fresh schema per test, and a server-wide advisory lock so that the one test that restarts
// the server waits for every other PostgreSQL test file to finish, and they wait for it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_PG_URL = process.env.AFTERCARE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REQUIRE_POSTGRES = process.env.AFTERCARE_REQUIRE_POSTGRES === '1';

/** Key of the advisory lock the restart test takes exclusively and every other file shares. */
const SERVER_LOCK = 0x41667472; // 'Aftr'

/**
 * Resolves to a reason to skip when the server is unreachable, or null when it is there.
 * Throws instead when AFTERCARE_REQUIRE_POSTGRES=1 (CI): a missing server must fail the run.
 */
export async function postgresSkipReason(url = TEST_PG_URL): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${url}: ${error instanceof Error ? error.message : String(error)}`;
    if (REQUIRE_POSTGRES) throw new Error(`${message} (AFTERCARE_REQUIRE_POSTGRES=1)`, { cause: error });
    console.error(`# skipping PostgreSQL tests: ${message}; set AFTERCARE_TEST_PG_URL to run them`);
    return message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function uniqueSchema(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string, url = TEST_PG_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Hold the server lock (shared, or exclusive for the restart test) until the returned function
 * is called. Retries while the server is restarting.
 */
export async function holdServer(
  mode: 'shared' | 'exclusive',
  url = TEST_PG_URL,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, application_name: `aftercare-test-lock-${mode}` });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query(
        mode === 'shared' ? 'SELECT pg_advisory_lock_shared($1)' : 'SELECT pg_advisory_lock($1)',
        [SERVER_LOCK],
      );
      return async () => {
        await client.end().catch(() => undefined);
      };
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
