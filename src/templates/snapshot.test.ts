// Pinning templates: `sources` gives each template as one text with partials inlined, and
// TemplateRenderer.fromSources renders those texts, without the file system, exactly as the
// renderer they came from did. Also renderSubject, which renders the subject and nothing else.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AftercareError } from '../errors.js';
import { randomContext, reassureSteps, seeded } from './contexts.test-helpers.js';
import { assertSame, outcome } from './differential.test-helpers.js';
import { templateNamesIn } from './load.js';
import { defaultTemplatesDir } from './paths.js';
import { TemplateRenderer } from './render.js';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-snapshot-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const defaults = templateNamesIn(defaultTemplatesDir());

const isRenderError = (e: unknown) => e instanceof AftercareError && e.code === 'AFTERCARE_E_TEMPLATE_RENDER';

describe('sources and fromSources', () => {
  test('a snapshot of the defaults renders like the defaults, compiled, over random contexts', () => {
    const original = new TemplateRenderer({ dirs: [] });
    const sources = original.sources(defaults);
    // Every default comes in German, Spanish and French too, pinned under `name.<locale>`.
    assert.deepEqual(
      Object.keys(sources).sort(),
      defaults.flatMap((name) => [name, `${name}.de`, `${name}.es`, `${name}.fr`]).sort(),
    );
    for (const text of Object.values(sources)) {
      assert.match(text, /^---\n/);
      assert.doesNotMatch(text, /\{%-?\s*include/, 'partials are inlined');
    }
    const pinned = TemplateRenderer.fromSources(sources);
    const rng = seeded(23);
    for (const name of defaults) {
      assert.equal(pinned.load(name).compiled, true, name);
      assert.equal(pinned.load(name).file, `snapshot:${name}`);
      const step = reassureSteps.find((s) => s.template === name);
      for (let i = 0; i < 25; i++) {
        const context = randomContext(rng, step);
        assertSame(
          outcome(() => original.render(name, structuredClone(context))),
          outcome(() => pinned.render(name, structuredClone(context))),
          `${name}, context ${i}`,
        );
      }
    }
    assert.deepEqual(pinned.sources(defaults), sources, 'a snapshot of a snapshot is the same text');
  });

  test('a pinned template keeps rendering as planned when the files change or go', () => {
    const folder = mkdtempSync(join(dir, 'files-'));
    writeFileSync(
      join(folder, 'note.liquid'),
      '---\nsubject: Note for {{ customer.first_name }}\n---\n{% include "_sig" %}\n',
    );
    writeFileSync(join(folder, '_sig.liquid'), 'Version one\n');
    const context = { customer: { first_name: 'Ana' } };
    const pinned = TemplateRenderer.fromSources(new TemplateRenderer({ dirs: [folder] }).sources(['note']));
    writeFileSync(join(folder, '_sig.liquid'), 'Version two\n');
    rmSync(join(folder, 'note.liquid'));
    assert.equal(pinned.render('note', context).text, 'Version one');
    assert.equal(pinned.renderSubject('note', context), 'Note for Ana');
    assert.equal(pinned.has('note'), true);
    assert.equal(pinned.has('thank-you'), false, 'no defaults behind a snapshot');
    assert.throws(
      () => pinned.render('thank-you', context),
      (e: unknown) => e instanceof AftercareError && e.code === 'AFTERCARE_E_TEMPLATE_NOT_FOUND',
    );
  });

  test('subjects that span lines, odd quotes and line endings survive the round trip', () => {
    const folder = mkdtempSync(join(dir, 'odd-'));
    writeFileSync(join(folder, '_two.liquid'), 'first {{ customer.first_name }}\r\n  ---\r\nsecond\r\n');
    writeFileSync(
      join(folder, 'lines.liquid'),
      '---\r\nsubject: A {% include "_two" %} Z\r\ntitle: \'"quoted"\'\r\n---\r\nBody\rmore\r\n',
    );
    const original = new TemplateRenderer({ dirs: [folder] });
    const [text] = Object.values(original.sources(['lines']));
    assert.ok(text !== undefined && !text.includes('\r'), 'one line ending');
    assert.match(text, /^---\nsubject: \|\n {2}A first/);
    const pinned = TemplateRenderer.fromSources({ lines: text });
    const context = { customer: { first_name: 'Zoë' } };
    assert.deepEqual(pinned.render('lines', context), original.render('lines', context));
    assert.equal(pinned.render('lines', context).title, '"quoted"');
  });

  test('bad snapshots are refused when the renderer is made', () => {
    const bad: Record<string, string>[] = [
      { 'Not A Name': 'x' },
      { ok: 'a {% include "_footer" %}' },
      { ok: '{% if x %}' },
    ];
    for (const sources of bad) {
      assert.throws(() => TemplateRenderer.fromSources(sources), isRenderError, JSON.stringify(sources));
    }
    assert.throws(() => new TemplateRenderer({ dirs: [] }).sources(['nope']), /no template "nope"/);
  });
});

describe('renderSubject', () => {
  const folder = mkdtempSync(join(dir, 'subject-'));
  writeFileSync(
    join(folder, 'broken-body.liquid'),
    '---\nsubject: Hello {{ customer.first_name }}\n---\n{{ no.such.thing }}\n',
  );
  writeFileSync(join(folder, 'task.liquid'), '---\ntitle: A task\n---\nbody\n');

  test('is the subject render() gives, for every default template', () => {
    const renderer = new TemplateRenderer({ dirs: [] });
    const rng = seeded(31);
    for (const name of defaults) {
      const context = randomContext(
        rng,
        reassureSteps.find((s) => s.template === name),
      );
      assert.equal(renderer.renderSubject(name, context), renderer.render(name, context).subject, name);
    }
  });

  test('does not render the body, on either path', () => {
    for (const compile of [true, false]) {
      const strict = new TemplateRenderer({ dirs: [folder], strictVariables: true, compile });
      const context = { customer: { first_name: 'Ana' } };
      assert.equal(strict.renderSubject('broken-body', context), 'Hello Ana');
      assert.throws(() => strict.render('broken-body', context), isRenderError);
      assert.equal(strict.renderSubject('task', context), '', 'no subject');
    }
  });
});
