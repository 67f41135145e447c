// `aftercare lint` end to end: FILE:LINE: rule severity: message lines, every locale file of a
// template, and the exit codes (1 with an error, 0 with warnings only).
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
  await mkdir(join(ws.dir, 'templates'));
  await writeFile(
    join(ws.dir, 'shop.yaml'),
    [
      'name: shop',
      'version: 1',
      'templates: ./templates',
      'steps:',
      '  - key: hello',
      '    timing: { after: 1d, from: placed }',
      '    channel: email',
      '    template: hello',
      '    purpose: reassurance',
      '',
    ].join('\n'),
  );
});
after(() => ws.cleanup());

const LINE = /^(\S+):(\d+): ([a-z-]+) (error|warning): \[([a-z-]+)\] (\S+): (.+)$/;

async function hello(text: string, locale = ''): Promise<void> {
  const file = locale === '' ? 'hello.liquid' : `hello.${locale}.liquid`;
  await writeFile(join(ws.dir, 'templates', file), text);
}

const GOOD = [
  '---',
  'subject: How is your lamp, {{ customer.first_name }}?',
  '---',
  'Hi {{ customer.first_name }},',
  '',
  'Your lamp should be with you now. We hope you like it.',
  '',
  '{% include "_help" %}',
  '',
  '{% include "_footer" %}',
  '',
].join('\n');

describe('aftercare lint', () => {
  test('a clean template: no lines, exit 0', async () => {
    await hello(GOOD);
    const out = await ws.cli('lint', 'shop.yaml');
    assert.equal(out.code, 0, out.stdout + out.stderr);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /lint shop: 0 error\(s\), 0 warning\(s\)/);
  });

  test('warnings only: printed, exit 0; an error: exit 1, at the line of the template that has it', async () => {
    await hello(GOOD.replace('We hope you like it.', 'We hope you like it VERY much.'));
    const warned = await ws.cli('lint', 'shop.yaml');
    assert.equal(warned.code, 0, warned.stderr);
    const [line] = warned.stdout.trim().split('\n');
    const m = LINE.exec(line ?? '');
    assert.ok(m, line);
    assert.deepEqual(m.slice(2, 7), ['6', 'all-caps', 'warning', 'en', 'hello']);
    assert.match(m[1] ?? '', /templates\/hello\.liquid$/);

    await hello(GOOD.replace('We hope you like it.', 'Love it? Upgrade to the Pro model, last chance!'));
    const failed = await ws.cli('lint', 'shop.yaml');
    assert.equal(failed.code, 1);
    const rules = failed.stdout
      .trim()
      .split('\n')
      .map((l) => LINE.exec(l)?.slice(2, 4));
    assert.deepEqual(rules, [
      ['6', 'pushy-language'],
      ['6', 'urgency'],
    ]);
  });

  test('every locale file is linted with its own words; its partials fall back to the base ones', async () => {
    await hello(GOOD);
    await hello(
      GOOD.replace('How is your lamp', 'Wie gefällt Ihnen Ihre Lampe').replace(
        'Your lamp should be with you now. We hope you like it.',
        'Ihre Lampe ist da. Nur heute: Gutschein für Zubehör!',
      ),
      'de',
    );
    const out = await ws.cli('lint', 'shop.yaml', '--json');
    assert.equal(out.code, 1);
    const { findings, errors } = JSON.parse(out.stdout) as {
      findings: { file: string; line: number; rule: string; locale: string }[];
      errors: number;
    };
    assert.equal(errors, 2);
    for (const f of findings) {
      assert.equal(f.locale, 'de');
      assert.match(f.file, /hello\.de\.liquid$/);
      assert.equal(f.line, 6);
    }
    assert.deepEqual(findings.map((f) => f.rule).sort(), ['offer-outside-offer-step', 'urgency']);
  });

  test('a message without footer or help: the missing-* rules, at line 1', async () => {
    await hello('---\nsubject: Hi\n---\nHi {{ customer.first_name }}, how is it going?\n', '');
    await writeFile(join(ws.dir, 'templates', 'hello.de.liquid'), GOOD);
    const out = await ws.cli('lint', 'shop.yaml');
    assert.equal(out.code, 1);
    const found = out.stdout
      .trim()
      .split('\n')
      .map((l) => LINE.exec(l))
      .filter((m) => m?.[5] === 'en')
      .map((m) => `${m?.[2]} ${m?.[3]}`);
    assert.deepEqual(found, ['1 missing-postal-address', '1 missing-support-path', '1 missing-unsubscribe']);
  });

  test('the default playbook: its findings in the defaults folder; an unknown playbook is a usage error', async () => {
    const out = await ws.cli('lint', 'reassure');
    for (const line of out.stdout.trim().split('\n').filter(Boolean)) {
      assert.match(line, LINE);
      assert.match(line, /src\/templates\/defaults\/[a-z_-]+(\.[a-z-]+)?\.liquid:\d+: /);
    }
    assert.equal(out.code, out.stdout.includes(' error: ') ? 1 : 0);
    const missing = await ws.cli('lint', 'nope');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope/);
  });
});
