// `aftercare news add|list` over a real SQLite file: an item from options or from a file, for one
// language or everyone, listed back; bad input names the option and adds nothing.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

describe('aftercare news', () => {
  test('adds items from options and files, lists them, refuses bad input by option', async () => {
    assert.equal((await ws.cli('migrate')).code, 0);
    const added = await ws.cli(
      'news',
      'add',
      '--title',
      'Die Nova ist da',
      '--body',
      'Ab heute.',
      '--locale',
      'de',
    );
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /Added news item news_\S+ \(de only\)/);
    const file = join(ws.dir, 'body.txt');
    await writeFile(file, 'A longer text\nover two lines.\n');
    const fromFile = await ws.cli('news', 'add', '--title', 'Spring', '--body-file', file, '--json');
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.equal(JSON.parse(fromFile.stdout).body, 'A longer text\nover two lines.');

    const badLocale = await ws.cli('news', 'add', '--title', 'x', '--body', 'y', '--locale', 'it');
    assert.equal(badLocale.code, 2);
    assert.match(badLocale.stderr, /--locale: must be one of en, de, fr, es/);
    const both = await ws.cli('news', 'add', '--title', 'x', '--body', 'y', '--body-file', file);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--body or --body-file/);

    const listed = await ws.cli('news', 'list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { title: string; locale: string | null }[]).map((n) => [
        n.title,
        n.locale,
      ]),
      [
        ['Die Nova ist da', 'de'],
        ['Spring', null],
      ],
    );
  });
});
