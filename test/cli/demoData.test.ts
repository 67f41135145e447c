// `aftercare demo-data`: deterministic files that the importer takes without a complaint.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

const START = ['--start', '2026-03-01T00:00:00Z'];

describe('aftercare demo-data', () => {
  test('same seed, same files; the importer accepts every row', async () => {
    const a = await ws.cli(
      'demo-data',
      '--orders',
      '120',
      '--out',
      'a.csv',
      '--events',
      'a-events.csv',
      '--seed',
      's1',
      ...START,
    );
    const b = await ws.cli(
      'demo-data',
      '--orders',
      '120',
      '--out',
      'b.csv',
      '--events',
      'b-events.csv',
      '--seed',
      's1',
      ...START,
    );
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stdout, /^Wrote 120 orders \(\d+ rows\) to a\.csv and \d+ events to a-events\.csv/);
    const read = (name: string): Promise<string> => readFile(join(ws.dir, name), 'utf8');
    assert.equal(b.code, 0, b.stderr);
    assert.equal(await read('a.csv'), await read('b.csv'));
    assert.equal(await read('a-events.csv'), await read('b-events.csv'));

    const imported = await ws.cli('import', 'a.csv', '--events', 'a-events.csv');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /orders imported\s+120\n/);
    assert.match(imported.stdout, /rows rejected\s+0\n/);
  });

  test('without --events the lifecycle goes into the orders columns', async () => {
    const result = await ws.cli('demo-data', '--orders', '30', '--out', 'one.csv', '--seed', 's2', ...START);
    assert.equal(result.code, 0, result.stderr);
    const header = (await readFile(join(ws.dir, 'one.csv'), 'utf8')).split('\n')[0] ?? '';
    for (const column of [
      'order_id',
      'placed_at',
      'email',
      'segment',
      'shipped_at',
      'delivered_at',
      'returned_at',
      'cancelled_at',
    ]) {
      assert.ok(header.split(',').includes(column), column);
    }
  });

  test('bad flags are usage errors', async () => {
    assert.equal((await ws.cli('demo-data', '--orders', 'many')).code, 2);
    assert.equal((await ws.cli('demo-data')).code, 2);
    assert.equal(
      (await ws.cli('demo-data', '--orders', '3', '--out', join('no', 'such', 'dir', 'x.csv'))).code,
      2,
    );
  });
});
