// Cluster-wide mutual exclusion for periodic jobs: a session advisory lock, tried (never waited
// for) on a connection held for the whole job. If that connection dies the server drops the
// lock, so a crashed process never blocks the job for the others.
import type { Pool } from 'pg';
import { releaseClient } from './pool.js';

export async function runExclusive<T>(
  pool: Pool,
  namespace: string,
  job: string,
  fn: () => Promise<T>,
): Promise<T | null> {
  const client = await pool.connect();
  const key = `aftercare.job:${namespace}:${job}`;
  let broken: unknown = undefined;
  try {
    let locked: boolean;
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [key],
      );
      locked = rows[0]?.locked === true;
    } catch (error) {
      broken = error;
      throw error;
    }
    if (!locked) return null;
    try {
      return await fn();
    } finally {
      await client
        .query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key])
        .catch((error: unknown) => {
          // The connection is gone, and the lock with it; do not hand this client out again.
          broken = error;
        });
    }
  } finally {
    releaseClient(client, broken);
  }
}
