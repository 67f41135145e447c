// The Store port's entry points: which adapter a URL opens.
// node:test registers tests synchronously; the promises test() and describe() return need no awaiting.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { AftercareError } from '../errors.js';
import { openStore, sqlitePath } from './open.js';

describe('openStore', () => {
  test('PostgreSQL URLs open the PostgreSQL adapter; a failure hides the password', async () => {
    for (const url of [
      'postgres://app:secret@127.0.0.1:1/aftercare',
      'postgresql://127.0.0.1:1/aftercare?schema=x',
    ]) {
      await assert.rejects(openStore(url), (error: unknown) => {
        assert.ok(error instanceof AftercareError);
        assert.equal(error.code, 'AFTERCARE_E_STORE');
        assert.equal(JSON.stringify(error.details).includes('secret'), false);
        assert.equal(error.message.includes('secret'), false);
        return true;
      });
    }
  });

  test('anything else is a SQLite file, with or without a sqlite: prefix', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-open-'));
    try {
      for (const url of [join(dir, 'plain.db'), `sqlite://${join(dir, 'prefixed.db')}`]) {
        const store = await openStore(url);
        assert.equal(store.dialect, 'sqlite');
        await store.close();
      }
      await stat(join(dir, 'plain.db'));
      await stat(join(dir, 'prefixed.db'));
      const memory = await openStore(':memory:');
      assert.deepEqual(await memory.tasks.list({}), []);
      await memory.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('sqlitePath strips the scheme', () => {
    assert.equal(sqlitePath('sqlite:///var/lib/aftercare.db'), '/var/lib/aftercare.db');
    assert.equal(sqlitePath('sqlite://data/aftercare.db'), 'data/aftercare.db');
    assert.equal(sqlitePath('sqlite:data/aftercare.db'), 'data/aftercare.db');
    assert.equal(sqlitePath('file:data/aftercare.db'), 'data/aftercare.db');
    assert.equal(sqlitePath('sqlite::memory:'), ':memory:');
    assert.equal(sqlitePath('./data/aftercare.db'), './data/aftercare.db');
  });
});
