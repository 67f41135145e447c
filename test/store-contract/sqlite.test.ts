// Runs the store contract on SQLite: a fresh file per test (in a folder that does not exist
// yet), and once more on ':memory:'; then what only SQLite has (file, WAL, several processes).
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { migrations } from '../../src/store/sql/schema/migrate.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { suppressionKey } from '../../src/store/suppression.js';
import { storeContract } from './contract.js';
import { DAY, HOUR, T0, TEST_INSTALL_KEY, placedEvent, testReducer } from './fixtures.js';

storeContract('sqlite (file)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aftercare-store-'));
  const store = await openSqliteStore(join(dir, 'nested', 'aftercare.db'), { installKey: TEST_INSTALL_KEY });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

storeContract('sqlite (:memory:)', async () => {
  const store = await openSqliteStore(':memory:', { installKey: TEST_INSTALL_KEY });
  return { store, cleanup: () => store.close() };
});

describe('sqlite specifics', () => {
  async function inTempDir(body: (dir: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-sqlite-'));
    try {
      await body(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  test('opens in WAL mode, creates the folder and records the schema version', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'a', 'b', 'aftercare.db');
      const store = await openSqliteStore(path);
      await store.migrate();
      await store.close();
      const db = new Database(path, { readonly: true });
      try {
        assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
        const applied = db.prepare('SELECT name FROM aftercare_migrations ORDER BY name').pluck().all();
        assert.deepEqual(applied, Object.keys(migrations('sqlite')).sort());
      } finally {
        db.close();
      }
      // Reopening an up-to-date file changes nothing.
      await (await openSqliteStore(path)).close();
    }));

  test('refuses a database whose schema is newer than this code', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'aftercare.db');
      await (await openSqliteStore(path)).close();
      const db = new Database(path);
      db.prepare('INSERT INTO aftercare_migrations (name, applied_at) VALUES (?, ?)').run(
        '9999-future',
        new Date(0).toISOString(),
      );
      db.close();
      await assert.rejects(openSqliteStore(path), {
        code: 'AFTERCARE_E_STORE',
        message: /newer than this Aftercare/,
      });
    }));

  test('0004-keys: keys made before it keep every scope; reads of a missing file create nothing', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'aftercare.db');
      await (await openSqliteStore(path)).close();
      // The file as Aftercare made it before 0004-keys, holding one key.
      const db = new Database(path);
      for (const column of ['scopes', 'expires_at', 'last_used_at'])
        db.exec(`ALTER TABLE api_keys DROP COLUMN ${column}`);
      db.prepare("DELETE FROM aftercare_migrations WHERE name = '0004-keys'").run();
      db.prepare('INSERT INTO api_keys (id, name, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?)').run(
        'oldkey000001',
        'shopify sync',
        'ab'.repeat(32),
        T0,
        null,
      );
      db.close();
      // Looked at without migrating, as `aftercare doctor` does: the migration is pending.
      const looked = await openSqliteStore(path, { create: false, migrate: false });
      assert.deepEqual(await looked.schemaState(), { exists: true, pending: ['0004-keys'], unknown: [] });
      await looked.close();
      const store = await openSqliteStore(path, { create: false });
      try {
        assert.deepEqual(await store.access.findApiKey('oldkey000001'), {
          id: 'oldkey000001',
          name: 'shopify sync',
          hash: 'ab'.repeat(32),
          scopes: ['read', 'write', 'tasks', 'privacy'],
          createdAt: T0,
          expiresAt: null,
          revokedAt: null,
          lastUsedAt: null,
        });
        assert.deepEqual(await store.schemaState(), { exists: true, pending: [], unknown: [] });
        // A column edited by hand into something that is no list of scopes grants nothing.
        for (const edited of ['admin', '["admin","read"]']) {
          store.database.prepare('UPDATE api_keys SET scopes = ?').run(edited);
          const scopes = (await store.access.findApiKey('oldkey000001'))?.scopes;
          assert.deepEqual(scopes, edited === 'admin' ? [] : ['read'], edited);
        }
      } finally {
        await store.close();
      }

      const missing = join(dir, 'typo', 'aftercre.db');
      await assert.rejects(openSqliteStore(missing, { create: false }), {
        code: 'AFTERCARE_E_STORE_NOT_FOUND',
        message: new RegExp(`no Aftercare database at ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      });
      assert.equal(existsSync(join(dir, 'typo')), false);
      // Someone else's SQLite file is refused untouched: not migrated, not switched to WAL.
      const foreign = join(dir, 'other.db');
      const other = new Database(foreign);
      other.exec('CREATE TABLE notes (body TEXT)');
      other.close();
      const before = await readFile(foreign);
      await assert.rejects(openSqliteStore(foreign, { create: false }), {
        code: 'AFTERCARE_E_STORE_NOT_FOUND',
        message: /holds no Aftercare schema/,
      });
      assert.deepEqual(await readFile(foreign), before);
    }));

  test('SQLite failures surface as AFTERCARE_E_STORE', () =>
    inTempDir(async (dir) => {
      // A folder cannot be opened as a database file.
      await assert.rejects(openSqliteStore(dir), { code: 'AFTERCARE_E_STORE' });
    }));

  test('the suppression list never holds the address itself', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'aftercare.db');
      const store = await openSqliteStore(path);
      await store.consent.suppress('Erased.Person@Example.com', 'erased', 0);
      await store.close();
      const db = new Database(path, { readonly: true });
      try {
        const rows = db.prepare('SELECT * FROM suppressions').all();
        assert.deepEqual(rows, [
          { email_hash: suppressionKey('erased.person@example.com'), reason: 'erased', created_at: 0 },
        ]);
      } finally {
        db.close();
      }
      const bytes = await readFile(path);
      assert.equal(bytes.includes('erased.person'), false);
      assert.equal(bytes.toString('latin1').toLowerCase().includes('erased.person'), false);
    }));

  test('after an erasure neither the file nor its WAL holds the person; another connection refuses them too', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'aftercare.db');
      const [a, b] = [await openSqliteStore(path), await openSqliteStore(path)];
      const { reduce } = testReducer();
      const others = Array.from({ length: 40 }, (_, i) =>
        placedEvent(`n${i}`, `n-o${i}`, { customerId: `n${i}`, email: `neighbour${i}@example.org` }),
      );
      await a.intake.apply(
        [
          placedEvent('e1', 'o1', {
            email: 'anna.schmidt@example.de',
            data: { note: 'Anna Schmidt, Hinterhaus' },
          }),
          ...others,
        ],
        reduce,
      );
      const claimed = (
        await a.queue.claimDue({ now: T0 + HOUR, limit: 100, leaseMs: HOUR, worker: 'w' })
      ).find((c) => c.customer.id === 'c1');
      await a.queue.recordOutcomes([
        {
          kind: 'failed',
          id: claimed!.touchPoint.id,
          attempt: 1,
          at: T0 + HOUR,
          reason: { code: 'send_failed', detail: '550 5.1.1 <anna.schmidt@example.de>: user unknown' },
        },
      ]);
      // Rows rewritten several times leave older copies in free space unless deleting zeroes them.
      for (let i = 0; i < 5; i++)
        await a.intake.apply(
          [placedEvent(`e-more${i}`, `o-more${i}`, { email: 'anna.schmidt@example.de' })],
          reduce,
        );

      const report = await a.privacy.eraseCustomer('c1', T0 + DAY);
      assert.ok(report);
      for (const file of [path, `${path}-wal`]) {
        const text = existsSync(file) ? (await readFile(file)).toString('latin1').toLowerCase() : '';
        for (const personal of ['anna.schmidt', 'schmidt', 'hinterhaus'])
          assert.equal(text.includes(personal), false, `"${personal}" is still in ${file}`);
      }
      // The other connection (another process) shares the install key: the person is refused there too.
      const [replayed] = await b.intake.apply(
        [placedEvent('e1-replayed', 'o2', { customerId: 'shop-9', email: 'Anna.Schmidt@example.de' })],
        reduce,
      );
      assert.equal(replayed?.rejected, 'erased');
      await Promise.all([a.close(), b.close()]);
    }));

  test('a touch point whose order row is gone is failed visibly instead of claimed forever', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'aftercare.db');
      const store = await openSqliteStore(path);
      await store.intake.apply([placedEvent('e1', 'o1'), placedEvent('e2', 'o2')], testReducer().reduce);
      const db = new Database(path);
      db.prepare("DELETE FROM orders WHERE id = 'o1'").run();
      db.close();
      const claimed = await store.queue.claimDue({ now: T0 + HOUR, limit: 10, leaseMs: HOUR, worker: 'w' });
      assert.deepEqual(
        claimed.map((c) => c.order.id),
        ['o2'],
      );
      const [lost] = await store.reads.listTouchPoints({ orderId: 'o1', status: 'failed' });
      assert.deepEqual(
        [lost?.stepKey, lost?.reason, lost?.outcomeAt],
        ['thanks', { code: 'orphaned', detail: 'missing order' }, T0 + HOUR],
      );
      await store.close();
    }));

  test('two connections to one file never claim the same touch point', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'aftercare.db');
      const [a, b] = await Promise.all([openSqliteStore(path), openSqliteStore(path)]);
      const events = Array.from({ length: 30 }, (_, i) => placedEvent(`e${i}`, `o${i}`));
      await a.intake.apply(events, testReducer().reduce);
      const options = { now: T0 + 30 * DAY, limit: 7, leaseMs: HOUR };
      const seen = new Set<string>();
      for (;;) {
        const [fromA, fromB] = await Promise.all([
          a.queue.claimDue({ ...options, worker: 'a' }),
          b.queue.claimDue({ ...options, worker: 'b' }),
        ]);
        if (fromA.length + fromB.length === 0) break;
        for (const c of [...fromA, ...fromB]) {
          assert.equal(seen.has(c.touchPoint.id), false, `${c.touchPoint.id} claimed twice`);
          seen.add(c.touchPoint.id);
        }
      }
      assert.equal(seen.size, 90);
      await Promise.all([a.close(), b.close()]);
    }));

  test('several processes opening a new file at once migrate it once and share the work', () =>
    inTempDir(async (dir) => {
      const path = join(dir, 'shared', 'aftercare.db');
      const child = fileURLToPath(new URL('./sqliteChild.ts', import.meta.url));
      const outputs = await Promise.all(
        ['p1', 'p2', 'p3', 'p4'].map(
          (prefix) =>
            new Promise<string[]>((resolve, reject) => {
              execFile(
                process.execPath,
                ['--import', 'tsx', child, path, prefix],
                (error, stdout, stderr) => {
                  if (error) reject(new Error(`${prefix} failed: ${stderr}`, { cause: error }));
                  else resolve(JSON.parse(stdout) as string[]);
                },
              );
            }),
        ),
      );
      const claimed = outputs.flat();
      assert.equal(new Set(claimed).size, claimed.length, 'a touch point was claimed by two processes');
      const store = await openSqliteStore(path);
      try {
        const counts = await store.reads.counts();
        assert.equal(counts.orders, 80);
        assert.equal(counts.touchPoints.claimed, claimed.length);
        assert.equal(counts.touchPoints.claimed + counts.touchPoints.scheduled, 240);
      } finally {
        await store.close();
      }
      const db = new Database(path, { readonly: true });
      try {
        assert.equal(
          db.prepare('SELECT count(*) FROM aftercare_migrations').pluck().get(),
          Object.keys(migrations('sqlite')).length,
        );
      } finally {
        db.close();
      }
    }));
});
