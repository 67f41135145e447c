// `aftercare playbook validate|list|show`: positions for every problem and honest exit codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

const VALID = `name: tiny
version: 2
steps:
  - key: hello
    timing: { after: 1d, from: placed, at: "10:00" }
    channel: email
    template: thank-you
    purpose: reassurance
`;

describe('aftercare playbook', () => {
  test('validate: a good file exits 0', async () => {
    await writeFile(join(ws.dir, 'tiny.yaml'), VALID);
    const result = await ws.cli('playbook', 'validate', 'tiny.yaml');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /tiny\.yaml: ok \(playbook "tiny" version 2, 1 step\)/);
  });

  test('validate: each problem as FILE:LINE:COL: field: message, exit 1', async () => {
    await writeFile(
      join(ws.dir, 'bad.yaml'),
      VALID.replace('after: 1d', 'after: 1q').replace('channel: email', 'channel: pigeon'),
    );
    const result = await ws.cli('playbook', 'validate', 'bad.yaml');
    assert.equal(result.code, 1);
    const lines = result.stdout.trim().split('\n');
    assert.ok(lines.length >= 2, result.stdout);
    for (const line of lines) assert.match(line, /^bad\.yaml:\d+:\d+: \S+: .+/);
    assert.ok(
      lines.some((l) => l.startsWith('bad.yaml:5:') && l.includes('timing.after')),
      result.stdout,
    );
    assert.ok(
      lines.some((l) => l.startsWith('bad.yaml:6:') && l.includes('channel')),
      result.stdout,
    );
  });

  test('validate: a template that does not exist is reported at its line', async () => {
    await writeFile(
      join(ws.dir, 'notemplate.yaml'),
      VALID.replace('template: thank-you', 'template: no-such-template'),
    );
    const result = await ws.cli('playbook', 'validate', 'notemplate.yaml');
    assert.equal(result.code, 1);
    assert.match(
      result.stdout,
      /^notemplate\.yaml:7:\d+: steps\[0\]\.template: no template "no-such-template"/m,
    );
  });

  test('validate: a missing file exits 2', async () => {
    const result = await ws.cli('playbook', 'validate', 'nowhere.yaml');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /AFTERCARE_E_PLAYBOOK_NOT_FOUND/);
  });

  test('list shows the built-in playbook, show prints its steps', async () => {
    const list = await ws.cli('playbook', 'list');
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^\* reassure\s+v\d+\s+\d+ steps/m);
    const show = await ws.cli('playbook', 'show', 'reassure');
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^ {2}thank-you\n {6}when {6}placed \+ 1d at 10:00 local/m);
    const unknown = await ws.cli('playbook', 'show', 'no-such-playbook');
    assert.equal(unknown.code, 2);
  });
});
