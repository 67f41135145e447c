// Reading playbook files for a process: parse, validate, check templates, refuse two of one name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaybookIssue } from '../core/playbook/parse.js';
import { AftercareError } from '../errors.js';
import { TemplateRenderer } from '../templates/render.js';
import { builtinPlaybookPath, loadPlaybookFile, loadPlaybooks, playbookPath } from './playbooks.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'aftercare-playbooks-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<AftercareError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AftercareError, String(error));
    return error;
  }
  assert.fail('expected a rejection');
}

function issuesOf(error: AftercareError): PlaybookIssue[] {
  return error.details['issues'] as PlaybookIssue[];
}

describe('loadPlaybookFile', () => {
  test('loads the built-in playbook with the default templates', async () => {
    const playbook = await loadPlaybookFile(builtinPlaybookPath('reassure'));
    assert.equal(playbook.name, 'reassure');
    assert.equal(playbook.source, builtinPlaybookPath('reassure'));
    assert.ok(playbook.steps.length >= 19);
  });

  test('a missing template fails naming the step template field, line and column', async () => {
    const path = write(
      'missing.yaml',
      'name: t\nversion: 1\nsteps:\n' +
        '  - key: thank-you\n    timing: { after: 1d }\n    channel: email\n    purpose: reassurance\n' +
        '  - key: hello\n    timing: { after: 2d }\n    channel: email\n    template: no-such-template\n    purpose: reassurance\n',
    );
    const error = await rejection(loadPlaybookFile(path));
    assert.equal(error.code, 'AFTERCARE_E_PLAYBOOK_INVALID');
    const issues = issuesOf(error);
    assert.equal(issues.length, 1);
    assert.deepEqual(
      { file: issues[0]!.file, field: issues[0]!.field, line: issues[0]!.line, column: issues[0]!.column },
      { file: path, field: 'steps[1].template', line: 11, column: 15 },
    );
    assert.match(issues[0]!.message, /no template "no-such-template"/);
    assert.match(error.message, /steps\[1\]\.template/);
  });

  test('a template that does not fit the channel, from the playbook templates folder', async () => {
    mkdirSync(join(dir, 'own'), { recursive: true });
    writeFileSync(join(dir, 'own', 'bare.liquid'), 'no front matter\n');
    writeFileSync(join(dir, 'own', 'thank-you.liquid'), '---\nsubject: Mine\n---\nmine\n');
    const path = write(
      'own.yaml',
      'name: t\nversion: 1\ntemplates: own\nsteps:\n' +
        '  - key: thank-you\n    timing: { after: 1d }\n    channel: email\n    purpose: reassurance\n' +
        '  - key: call\n    timing: { after: 2d }\n    channel: task:call\n    template: bare\n    purpose: reassurance\n' +
        '  - key: mail\n    timing: { after: 2d }\n    channel: email\n    template: bare\n    purpose: reassurance\n',
    );
    const error = await rejection(loadPlaybookFile(path));
    const issues = issuesOf(error);
    assert.deepEqual(
      issues.map((i) => i.field),
      ['steps[1].template', 'steps[2].template'],
    );
    assert.match(issues[0]!.message, /no title:/);
    assert.match(issues[1]!.message, /no subject:/);
  });

  test('the playbook folder comes before the defaults; a given renderer is used as is', async () => {
    const path = write(
      'ok.yaml',
      'name: t\nversion: 1\ntemplates: own\nsteps:\n  - key: thank-you\n    timing: { after: 1d }\n    channel: email\n    purpose: reassurance\n',
    );
    mkdirSync(join(dir, 'own'), { recursive: true });
    writeFileSync(join(dir, 'own', 'thank-you.liquid'), '---\nsubject: Mine\n---\nmine\n');
    const playbook = await loadPlaybookFile(path);
    assert.equal(playbook.templatesDir, join(dir, 'own'));
    const empty = new TemplateRenderer({ dirs: [], includeDefaults: false });
    const error = await rejection(loadPlaybookFile(path, empty));
    assert.equal(issuesOf(error)[0]!.field, 'steps[0].template');
  });

  test('an invalid playbook lists every issue', async () => {
    const path = write('bad.yaml', 'name: t\nversion: one\nsteps:\n  - key: a\n    timing: { after: 1x }\n');
    const error = await rejection(loadPlaybookFile(path));
    assert.equal(error.code, 'AFTERCARE_E_PLAYBOOK_INVALID');
    assert.deepEqual(
      issuesOf(error)
        .map((i) => i.field)
        .sort(),
      ['steps[0].channel', 'steps[0].purpose', 'steps[0].timing.after', 'version'],
    );
  });

  test('a missing file is AFTERCARE_E_PLAYBOOK_NOT_FOUND', async () => {
    const error = await rejection(loadPlaybookFile(join(dir, 'nope.yaml')));
    assert.equal(error.code, 'AFTERCARE_E_PLAYBOOK_NOT_FOUND');
    assert.equal(error.details['code'], 'ENOENT');
  });

  test('builtinPlaybookPath only takes names', () => {
    assert.match(builtinPlaybookPath('reassure'), /playbooks[\\/]reassure\.yaml$/);
    assert.throws(
      () => builtinPlaybookPath('../etc/passwd'),
      (e: unknown) => e instanceof AftercareError,
    );
  });
});

describe('loadPlaybooks', () => {
  test('built-in names and paths, one renderer for their templates', async () => {
    const path = write(
      'second.yaml',
      'name: second\nversion: 2\nsteps:\n  - key: thank-you\n    timing: { after: 1d }\n    channel: email\n    purpose: reassurance\n',
    );
    const { playbooks, renderer } = await loadPlaybooks(['reassure', path]);
    assert.deepEqual(
      playbooks.map((p) => `${p.name}@${p.version}`),
      ['reassure@' + String(playbooks[0]!.version), 'second@2'],
    );
    assert.ok(renderer.has('thank-you'));
    assert.equal(playbookPath(path), path);
    assert.equal(playbookPath('reassure'), builtinPlaybookPath('reassure'));
  });

  test('two playbooks of one name are refused, naming both files', async () => {
    const path = write(
      'twin.yaml',
      'name: reassure\nversion: 9\nsteps:\n  - key: thank-you\n    timing: { after: 1d }\n    channel: email\n    purpose: reassurance\n',
    );
    const error = await rejection(loadPlaybooks(['reassure', path]));
    assert.equal(error.code, 'AFTERCARE_E_PLAYBOOK_INVALID');
    assert.match(error.message, /two playbooks are named "reassure"/);
    assert.match(error.message, /twin\.yaml/);
  });
});
