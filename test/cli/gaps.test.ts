// `aftercare audit` and `aftercare actions` over a real SQLite file: an import is all or nothing
// and names file, line and field; a re-import replaces the team's audit; two teams are compared
// with Krippendorff's alpha; action items are added, listed and done with the playbook version
// that addressed them. Nothing runs without an existing database.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

const db = (): string => join(ws.dir, 'data', 'aftercare.db');

async function csv(name: string, text: string): Promise<string> {
  const path = join(ws.dir, name);
  await writeFile(path, text);
  return path;
}

describe('aftercare audit and actions', () => {
  test('without a database they name the path and create nothing', async () => {
    for (const args of [
      ['audit', 'list'],
      ['actions', 'list'],
      ['actions', 'add', '--interaction', 'delivery', '--title', 't', '--owner', 'o', '--due', '2027-01-01'],
    ]) {
      const refused = await ws.cli(...args);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, /AFTERCARE_E_STORE_NOT_FOUND/);
      assert.equal(existsSync(db()), false);
    }
  });

  test('a bad file imports nothing and names every line and field; a good one replaces the team audit', async () => {
    assert.equal((await ws.cli('migrate')).code, 0);
    const bad = await csv(
      'bad.csv',
      'interaction,importance,performance,note\n' +
        'delivery,5,2,late parcels\n' +
        'delivry,4,3,\n' +
        'renewal,6,3,\n' +
        '\n' +
        'support,4,,slow\n' +
        'delivery,3,3,again\n',
    );
    const refused = await ws.cli('audit', 'import', bad, '--team', 'support');
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /nothing was imported/);
    assert.match(
      refused.stderr,
      /bad\.csv:3: interaction: "delivry" is not in the interaction catalogue \(did you mean "delivery"\?\)/,
    );
    assert.match(refused.stderr, /bad\.csv:4: importance: "6"; must be a whole number from 1 to 5/);
    assert.match(refused.stderr, /bad\.csv:6: performance: is empty/);
    assert.match(refused.stderr, /bad\.csv:7: interaction: "delivery" is listed twice \(also line 2\)/);
    assert.match(refused.stderr, /AFTERCARE_E_CSV_INVALID/);
    assert.equal(
      (await ws.cli('audit', 'list')).stdout,
      'No audits yet: aftercare audit import FILE.csv --team NAME\n',
    );

    const first = await csv('support.csv', 'interaction,importance,performance\ndelivery,5,2\nrenewal,3,3\n');
    const imported = await ws.cli('audit', 'import', first, '--team', 'support');
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /team "support": 2 interactions/);
    const again = await csv(
      'support2.csv',
      'Interaction,Importance,Performance,Note\n' +
        'delivery,5,2,"late parcels, twice"\n' +
        'support,4,2,\n' +
        'first-use,4,4,\n' +
        'order-confirmation,3,5,\n' +
        'renewal,2,3,\n',
    );
    const replaced = await ws.cli('audit', 'import', again, '--team', 'support');
    assert.match(replaced.stdout, /5 interactions \(replacing its earlier audit of 2\)/);
    const sales = await csv(
      'sales.csv',
      'interaction,importance,performance,note\n' +
        'delivery,4,3,\n' +
        'support,2,4,\n' +
        'first-use,4,4,\n' +
        'order-confirmation,3,4,\n' +
        'offers,5,2,\n',
    );
    assert.equal((await ws.cli('audit', 'import', sales, '--team', 'sales')).code, 0);

    const listed = await ws.cli('audit', 'list', '--json');
    const { teams, entries } = JSON.parse(listed.stdout) as {
      teams: { team: string; interactions: number }[];
      entries: { team: string; interaction: string; note: string | null }[];
    };
    assert.deepEqual(
      teams.map((t) => [t.team, t.interactions]),
      [
        ['sales', 5],
        ['support', 5],
      ],
    );
    assert.equal(
      entries.find((e) => e.team === 'support' && e.interaction === 'delivery')?.note,
      'late parcels, twice',
    );
    assert.match(
      (await ws.cli('audit', 'list')).stdout,
      /^TEAM\s+INTERACTION\s+IMPORTANCE\s+PERFORMANCE\s+NOTE\n/,
    );
  });

  test('compare gives the ordinal alpha of both scores and the largest disagreements first', async () => {
    const compared = await ws.cli('audit', 'compare', 'support', 'sales', '--json');
    assert.equal(compared.code, 0, compared.stderr);
    const c = JSON.parse(compared.stdout) as {
      compared: number;
      alpha: { importance: number | null; performance: number | null };
      disagreements: { interaction: string; distance: number }[];
      onlyA: string[];
      onlyB: string[];
    };
    assert.equal(c.compared, 4);
    assert.deepEqual(
      c.disagreements.map((d) => [d.interaction, d.distance]),
      [
        ['support', 4],
        ['delivery', 2],
        ['order-confirmation', 1],
        ['first-use', 0],
      ],
    );
    assert.deepEqual(c.onlyA, ['renewal']);
    assert.deepEqual(c.onlyB, ['offers']);
    assert.equal(typeof c.alpha.importance, 'number');
    const text = await ws.cli('audit', 'compare', 'support', 'sales');
    assert.match(text.stdout, /support and sales both scored 4 interactions/);
    assert.match(text.stdout, /importance\s+-?\d\.\d{3}/);
    const unknown = await ws.cli('audit', 'compare', 'support', 'nobody');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /team "nobody" has no audit.*AFTERCARE_E_NOT_FOUND/);
  });

  test('action items are added, listed by status and done with the playbook version that addressed them', async () => {
    const add = (...more: string[]) =>
      ws.cli(
        'actions',
        'add',
        '--title',
        'Call when a parcel is late',
        '--owner',
        'Sam',
        '--due',
        '2027-03-01',
        ...more,
      );
    const added = await add('--interaction', 'delivery');
    assert.equal(added.code, 0, added.stderr);
    assert.equal(added.stdout, 'Added action 1 on delivery, due 2027-03-01.\n');
    const unknown = await add('--interaction', 'deliveries');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--interaction: "deliveries" is not one of order-confirmation, delivery/);
    const badDay = await ws.cli(
      'actions',
      'add',
      '--interaction',
      'renewal',
      '--title',
      't',
      '--owner',
      'o',
      '--due',
      '2027-02-30',
    );
    assert.match(badDay.stderr, /--due must be a day like 2026-03-02/);
    assert.equal((await add('--interaction', 'support')).code, 0);

    // Only a version that has run here can be named: one is recorded as serve would.
    const store = await openSqliteStore(db(), { create: false });
    await store.playbooks.registerPlaybookVersion({
      name: 'reassure',
      version: 4,
      fingerprint: 'f',
      definition: '{}',
      templates: {},
      registeredAt: 0,
    });
    await store.close();
    const never = await ws.cli('actions', 'done', '1', '--playbook-version', 'reassure@9');
    assert.equal(never.code, 2);
    assert.match(never.stderr, /reassure@9 has never run here/);
    const done = await ws.cli('actions', 'done', '1', '--playbook-version', 'reassure@4');
    assert.equal(done.code, 0, done.stderr);
    assert.equal(done.stdout, 'Action 1 is done, addressed by reassure@4.\n');
    const missing = await ws.cli('actions', 'done', '7');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no action 7.*AFTERCARE_E_NOT_FOUND/);

    const open = JSON.parse((await ws.cli('actions', 'list', '--status', 'open', '--json')).stdout) as {
      id: number;
    }[];
    assert.deepEqual(
      open.map((a) => a.id),
      [2],
    );
    const all = await ws.cli('actions', 'list');
    assert.match(all.stdout, /^ID\s+STATUS\s+INTERACTION/);
    assert.match(
      all.stdout,
      /\n1\s+done\s+delivery\s+Sam\s+2027-03-01\s+\d{4}-\d{2}-\d{2}\s+reassure@4\s+Call when a parcel is late\n/,
    );
    assert.match(
      (await ws.cli('actions', 'list', '--status', 'closed')).stderr,
      /--status must be one of open, done/,
    );
  });

  test('a catalogue naming an unknown step stops the gap commands with file, line and field', async () => {
    const file = join(ws.dir, 'interactions.yaml');
    await writeFile(
      file,
      'playbook: reassure\ninteractions:\n  - id: delivery\n    name: Delivery\n    steps: [order-shiped]\n',
    );
    const refused = await ws.cli('actions', 'list');
    assert.equal(refused.code, 0, 'the built-in catalogue is not read to list');
    const env = { AFTERCARE_DATA_DIR: join(ws.dir, 'data'), AFTERCARE_INTERACTIONS_FILE: file };
    const { runCli } = await import('./run.js');
    const bad = await runCli(['audit', 'import', join(ws.dir, 'sales.csv'), '--team', 'x'], {
      cwd: ws.dir,
      env,
    });
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /interactions\.yaml:5:13 interactions\[0\]\.steps\[0\]: playbook "reassure" has no step "order-shiped" \(did you mean "order-shipped"\?\).*/,
    );
    assert.match(bad.stderr, /AFTERCARE_E_CONFIG/);
  });
});
