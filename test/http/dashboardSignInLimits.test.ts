// The sign-in limits are the cluster's, not a process's: two app instances (two `serve`
// processes' worth of wiring: own store connection, own HTTP server) on one database share the
// failed sign-ins of an account and the attempts of a client address, over real HTTP on loopback.
// On SQLite (one file) and on PostgreSQL (one schema).
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { compose } from '../../src/app/compose.js';
import { loadConfig } from '../../src/config.js';
import { VirtualClock } from '../../src/engine/clock.js';
import { Metrics } from '../../src/http/metrics.js';
import { openPostgresStore } from '../../src/store/postgres/store.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { Store } from '../../src/store/store.js';
import { TEST_PG_URL, postgresSkipReason, uniqueSchema } from '../reliability/server.js';
import { Client, PASSWORD } from './dashboardWorld.js';
import { T0 } from './harness.js';

const OWNER = 'olivia@shop.test';

interface Instance {
  base: string;
  close(): Promise<void>;
}

/** One process's worth: the app composed on its own store connection, listening on loopback. */
async function instance(store: Store, dir: string): Promise<Instance> {
  const config = loadConfig({
    AFTERCARE_DATA_DIR: dir,
    AFTERCARE_HOLDOUT: '0',
    AFTERCARE_LOG_LEVEL: 'silent',
    AFTERCARE_LOGIN_RATE_LIMIT: '3/15m',
    AFTERCARE_LOGIN_IP_RATE_LIMIT: '6/15m',
  });
  const composed = await compose(config, { store, clock: new VirtualClock(T0), onWake: () => undefined });
  const app = await composed.buildHttp({ logger: false, metrics: new Metrics({ processMetrics: false }) });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    base,
    close: async () => {
      await app.close();
      await composed.close();
    },
  };
}

async function sharedLimits(open: () => Promise<Store>, dir: string): Promise<void> {
  const stores = [await open(), await open()];
  const [a, b] = [await instance(stores[0]!, dir), await instance(stores[1]!, dir)];
  try {
    const admin = await compose(loadConfig({ AFTERCARE_DATA_DIR: dir, AFTERCARE_LOG_LEVEL: 'silent' }), {
      store: stores[0]!,
      clock: new VirtualClock(T0),
      onWake: () => undefined,
    });
    const created = await admin.commands.users.create({
      email: OWNER,
      role: 'owner',
      name: 'Olivia',
      password: PASSWORD,
    });
    await admin.close();
    assert.ok(created.ok);
    const atA = new Client(a.base);
    const atB = new Client(b.base);
    // Account: three failures, spread over both processes, use up the account's three.
    assert.equal((await atA.signIn(OWNER, 'wrong password 1')).status, 401);
    assert.equal((await atB.signIn(OWNER, 'wrong password 2')).status, 401);
    assert.equal((await atA.signIn(OWNER, 'wrong password 3')).status, 401);
    for (const client of [atA, atB]) {
      const limited = await client.signIn(OWNER);
      assert.equal(limited.status, 429, 'the right password, too late, on either process');
      assert.match(await limited.text(), /Too many attempts\. Try again in 15 minute\(s\)\./);
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
    }
    // Address: those five attempts and one more from 127.0.0.1 are its six; the seventh waits,
    // whichever process it reaches, for whichever account.
    assert.equal((await atB.signIn('nobody@shop.test', 'x')).status, 401);
    assert.equal((await atA.signIn('someone@shop.test', 'x')).status, 429);
    assert.equal((await atB.signIn('someone@shop.test', 'x')).status, 429);
  } finally {
    await a.close();
    await b.close();
    for (const store of stores) await store.close();
  }
}

describe('sign-in limits shared by two app instances on one database', () => {
  test('on SQLite (one file)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-limits-'));
    try {
      await sharedLimits(() => openSqliteStore(join(dir, 'aftercare.db')), dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('on PostgreSQL (one schema)', async (t) => {
    const skip = await postgresSkipReason();
    if (skip !== null) {
      t.skip(skip);
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-limits-'));
    const schema = uniqueSchema('limits');
    try {
      await sharedLimits(() => openPostgresStore(TEST_PG_URL, { schema, poolSize: 4 }), dir);
    } finally {
      const dropper = await openPostgresStore(TEST_PG_URL, { schema, poolSize: 1, migrate: false });
      await dropper.dropSchema();
      await dropper.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
