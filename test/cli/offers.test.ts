// `aftercare offers` over a real SQLite file: importing the shop's codes is all or nothing and
// names file, line and field; a good file fills the offer's pool, and codes already known are
// named, not added twice; `offers list` shows the pools.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from './run.js';

const OFFERS = `
offers:
  - id: spring-preview
    title: { en: The spring range, de: Die Frühjahrskollektion }
    text: { en: New colours first., de: Neue Farben zuerst. }
    insiders_from: 2026-04-01T00:00:00Z
    public_from: 2026-04-15T00:00:00Z
    codes: { source: imported }
  - id: made-here
    title: { en: Made here }
    text: { en: Ours. }
    insiders_from: 2026-05-01T00:00:00Z
    public_from: 2026-05-15T00:00:00Z
    codes: { source: generated, prefix: MADE- }
`;

let dir: string;
let env: Record<string, string>;
const cli = (...args: string[]) => runCli(args, { cwd: dir, env });

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aftercare-offers-cli-'));
  env = { AFTERCARE_DATA_DIR: join(dir, 'data'), AFTERCARE_OFFERS_FILE: await file('offers.yaml', OFFERS) };
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aftercare offers', () => {
  test('a bad codes file imports nothing and names every line and field; a good one fills the pool', async () => {
    assert.equal((await cli('migrate')).code, 0);
    const bad = await file('bad.csv', 'Code,Usage\nSPRING-1,0\n,0\nspring 2,0\nspring-1,0\n');
    const refused = await cli('offers', 'codes', 'import', bad, '--offer', 'spring-preview');
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /AFTERCARE_E_CSV_INVALID/);
    assert.match(refused.stderr, /bad\.csv has 3 problems; nothing was imported/);
    assert.match(refused.stderr, new RegExp(`${bad}:3: code: is empty`));
    assert.match(
      refused.stderr,
      new RegExp(`${bad}:4: code: "spring 2" may hold only letters, digits, - and _`),
    );
    assert.match(refused.stderr, new RegExp(`${bad}:5: code: "SPRING-1" is listed twice \\(also line 2\\)`));
    const listed = await cli('offers', 'list', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const before = JSON.parse(listed.stdout) as { offers: { id: string; available: number }[] };
    assert.deepEqual(
      before.offers.map((o) => [o.id, o.available]),
      [
        ['spring-preview', 0],
        ['made-here', 0],
      ],
    );

    const noHeader = await file('noheader.csv', 'Title\nx\n');
    const missing = await cli('offers', 'codes', 'import', noHeader, '--offer', 'spring-preview');
    assert.match(missing.stderr, new RegExp(`${noHeader}:1: \\(header\\): no "code" column`));

    const good = await file('good.csv', '\uFEFFCode,Usage\nspring-1,0\nSPRING-2,0\n SPRING-3 ,0\n');
    const imported = await cli('offers', 'codes', 'import', good, '--offer', 'spring-preview');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Imported 3 code\(s\) into offer spring-preview\./);
    const again = await cli('offers', 'codes', 'import', good, '--offer', 'spring-preview');
    assert.match(
      again.stdout,
      /Imported 0 code\(s\).*3 already known, not added again: SPRING-1, SPRING-2, SPRING-3/,
    );

    const text = await cli('offers', 'list');
    assert.match(text.stdout, /spring-preview: 3 available, 0 given, 0 redeemed/);

    const generated = await cli('offers', 'codes', 'import', good, '--offer', 'made-here');
    assert.equal(generated.code, 2);
    assert.match(generated.stderr, /made-here generates its own codes/);
    const unknown = await cli('offers', 'codes', 'import', good, '--offer', 'nope');
    assert.match(unknown.stderr, /--offer nope is not an offer \(known: spring-preview, made-here\)/);
  });

  test('a bad offers file stops the command with FILE:LINE:COL: field', async () => {
    const broken = await file(
      'broken.yaml',
      'offers:\n  - id: x\n    title: { de: Nur Deutsch }\n    text: { en: t }\n    insiders_from: 2026-05-01\n    public_from: 2026-04-01T00:00:00Z\n    codes: { source: printed }\n',
    );
    const run = await runCli(['offers', 'list'], {
      cwd: dir,
      env: { ...env, AFTERCARE_OFFERS_FILE: broken },
    });
    assert.notEqual(run.code, 0);
    assert.match(
      run.stderr,
      /AFTERCARE_OFFERS_FILE: .*broken\.yaml:3:\d+ offers\[0\]\.title: must have the English text/,
    );
    assert.match(run.stderr, /broken\.yaml:7:\d+ offers\[0\]\.codes(\.source)?: /);
  });
});
