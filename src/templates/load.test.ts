// Template files: front matter (one-line and block values), one line ending for everything, and
// joinFrontMatter, which writes parts back as a text that splits into the same parts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AftercareError } from '../errors.js';
import { seeded, STRINGS } from './contexts.test-helpers.js';
import { FRONT_MATTER_KEYS, inlinePartials, joinFrontMatter, splitFrontMatter } from './load.js';

describe('front matter', () => {
  test('CRLF and lone CR become LF, in templates and in what partials bring in', () => {
    const split = splitFrontMatter('---\r\nsubject: "Hi"\r\n---\r\none\r\ntwo\rthree\r\n', 'x.liquid');
    assert.equal(split.subject?.text, 'Hi');
    assert.equal(split.body.text, 'one\ntwo\nthree\n');
    assert.equal(split.body.line, 4);
  });

  test('a block value: `key: |` and lines indented by two spaces, which may look like anything', () => {
    const split = splitFrontMatter(
      '---\nsubject: |\n  one\n  ---\n  \n  # two\ntitle: t\n---\nbody',
      'x.liquid',
    );
    assert.deepEqual(split.subject, { text: 'one\n---\n\n# two', line: 3 });
    assert.deepEqual(split.title, { text: 't', line: 7 });
    assert.deepEqual(split.body, { text: 'body', line: 9 });
    // Without indented lines after it, `|` is just the value, as it always was.
    assert.equal(splitFrontMatter('---\nsubject: |\n---\nb', 'x.liquid').subject?.text, '|');
  });

  test('broken front matter is AFTERCARE_E_TEMPLATE_RENDER with the line', () => {
    const cases: Record<string, number> = {
      '---\nsubject: x\n': 1,
      '---\nsubject: |\n  x\n': 1,
      '---\n  indented: x\n---\n': 2,
      '---\nsubject: a\nsubject: b\n---\n': 3,
    };
    for (const [text, line] of Object.entries(cases)) {
      assert.throws(
        () => splitFrontMatter(text, 'x.liquid'),
        (e: unknown) => e instanceof AftercareError && e.details['line'] === line,
        JSON.stringify(text),
      );
    }
  });

  test('a partial is inlined without its final newline, through its own includes', () => {
    const partials = new Map([
      ['_a.liquid', 'A {% include "_b" %}\n'],
      ['_b.liquid', 'B\n'],
    ]);
    assert.equal(inlinePartials('<{% include "_a" %}>', partials, 'x.liquid'), '<A B>');
  });
});

describe('joinFrontMatter', () => {
  test('joinFrontMatter and splitFrontMatter are inverses for any values', () => {
    const rng = seeded(41);
    const pieces = [...STRINGS, '|', '"', "'x'", '---', '  ---', '\u2028', 'a\n\nb', '\n', '# not a comment'];
    for (let i = 0; i < 300; i++) {
      const value = () =>
        rng.chance(0.2) ? null : Array.from({ length: 1 + rng.int(3) }, () => rng.pick(pieces)).join('');
      const parts = {
        subject: value(),
        title: value(),
        body: Array.from({ length: rng.int(4) }, () => rng.pick(pieces)).join('\n'),
      };
      const split = splitFrontMatter(joinFrontMatter(parts), 'x.liquid');
      for (const key of FRONT_MATTER_KEYS)
        assert.equal(split[key]?.text ?? null, parts[key], JSON.stringify(parts));
      assert.equal(split.body.text, parts.body, JSON.stringify(parts));
    }
  });
});
