// Runs the store contract on the real PostgreSQL server: a fresh schema per test, dropped in
// cleanup; then what only PostgreSQL has (several processes migrating at once, NOTIFY wake-ups,
// cluster-wide exclusive jobs, the lease sweep). Fails rather than skips under
// AFTERCARE_REQUIRE_POSTGRES=1 (CI).
import { after, before, describe } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { TEST_PG_URL, holdServer, postgresSkipReason, uniqueSchema } from '../reliability/server.js';
import { storeContract } from './contract.js';
import { TEST_INSTALL_KEY } from './fixtures.js';
import { postgresSpecifics } from './postgresSpecifics.js';

const skip = await postgresSkipReason();

if (skip !== null) {
  void describe('postgres', { skip }, () => undefined);
} else {
  let release: (() => Promise<void>) | null = null;
  before(async () => {
    release = await holdServer('shared');
  });
  after(async () => {
    await release?.();
  });

  storeContract('postgres', async () => {
    const store = await openPostgresStore(TEST_PG_URL, {
      schema: uniqueSchema('contract'),
      poolSize: 4,
      installKey: TEST_INSTALL_KEY,
    });
    return {
      store,
      cleanup: async () => {
        await store.dropSchema();
        await store.close();
      },
    };
  });

  postgresSpecifics();
}
