// Playbook commands: the running playbooks, and the check of a playbook under edit, which points
// at every problem and tells a remote caller nothing about this machine's folders.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { TemplateRenderer } from '../../templates/render.js';
import { playbookCommands } from './playbooks.js';
import { commandWorld, type CommandWorld } from './world.test-helpers.js';

let w: CommandWorld;
beforeEach(async () => {
  w = await commandWorld();
});
afterEach(() => w.close());

const GOOD = [
  'name: check',
  'version: 1',
  'steps:',
  '  - key: thanks',
  '    template: thank-you',
  '    channel: email',
  '    purpose: reassurance',
  '    timing: { after: 1d, from: placed }',
  '',
].join('\n');

describe('playbook commands', () => {
  test('list and get the running playbooks', () => {
    assert.deepEqual(
      w.commands.playbooks.list().map((p) => p.name),
      ['reassure'],
    );
    assert.equal(w.commands.playbooks.get('reassure')?.name, 'reassure');
    assert.equal(w.commands.playbooks.get('nope'), null);
  });

  test('a valid playbook is valid, and comes back parsed', () => {
    const checked = w.commands.playbooks.validate(GOOD, 'request');
    assert.deepEqual(checked.issues, []);
    assert.equal(checked.valid, true);
    assert.equal(checked.playbook?.name, 'check');
  });

  test('invalid YAML: every issue with line and field, and no playbook', () => {
    const checked = w.commands.playbooks.validate(GOOD.replace('after: 1d', 'after: soon'), 'request');
    assert.equal(checked.valid, false);
    assert.equal(checked.playbook, null);
    assert.deepEqual(
      checked.issues.map((i) => [i.file, i.line, i.field]),
      [['request', 8, 'steps[0].timing.after']],
    );
  });

  test('a missing or ill-fitting template is an issue at the step, naming no folder or file', () => {
    const text = GOOD.replace('template: thank-you', 'template: no-such-template').concat(
      '  - key: call\n    template: thank-you\n    channel: task:call\n    purpose: reassurance\n    timing: { after: 2d }\n',
    );
    const checked = w.commands.playbooks.validate(text, 'request');
    assert.equal(checked.valid, false);
    assert.equal(checked.playbook?.name, 'check', 'the YAML itself is fine');
    assert.deepEqual(
      checked.issues.map((i) => [i.field, i.line]),
      [
        ['steps[0].template', 5],
        ['steps[1].template', 10],
      ],
    );
    assert.equal(checked.issues[0]!.message, 'no template "no-such-template" on this server');
    assert.match(checked.issues[1]!.message, /has no title, and tasks need one$/);
    assert.ok(
      checked.issues.every((i) => !i.message.includes('/')),
      'no path is shown',
    );
  });

  test('templates are looked up among those given, not the defaults alone', () => {
    const bare = playbookCommands({
      playbooks: [],
      templates: new TemplateRenderer({ dirs: [], includeDefaults: false }),
    });
    assert.deepEqual(bare.list(), []);
    const checked = bare.validate(GOOD, 'draft.yaml');
    assert.deepEqual(
      checked.issues.map((i) => [i.file, i.field]),
      [['draft.yaml', 'steps[0].template']],
    );
  });
});
