// Hostile templates are stopped, compiled or not: nested loops by the time limit, ranges and a
// string doubled in a loop by the memory limit, a flood of text or a capture doubled in a loop
// by the output limit. Each stop is AFTERCARE_E_TEMPLATE_RENDER naming the template and limit.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AftercareError } from '../errors.js';
import { DEFAULT_LIMITS, TemplateRenderer, type TemplateLimits } from './render.js';

const items = Array.from({ length: 1000 }, (_, i) => `i${i}`).join(',');

const HOSTILE: Record<string, { source: string; limit: 'time' | 'memory' | 'output' }> = {
  'nested-loops': {
    source: `{% assign xs = "${items}" | split: "," %}{% for a in xs %}{% for b in xs %}{% for c in xs %}{% endfor %}{% endfor %}{% endfor %}done`,
    limit: 'time',
  },
  'nested-ranges': {
    source: '{% for a in (1..600000) %}{% for b in (1..600000) %}{% endfor %}{% endfor %}',
    limit: 'memory',
  },
  'huge-range': { source: '{{ (1..100000000) | size }}', limit: 'memory' },
  'doubled-string': {
    source:
      '{% assign s = "ab" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}',
    limit: 'memory',
  },
  'doubled-capture': {
    source:
      '{% assign s = "ab" %}{% for i in (1..64) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}',
    limit: 'output',
  },
  flood: { source: '{% for i in (1..100000) %}0123456789{% endfor %}', limit: 'output' },
};

const dir = mkdtempSync(join(tmpdir(), 'aftercare-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));
for (const [name, { source }] of Object.entries(HOSTILE)) {
  writeFileSync(join(dir, `${name}.liquid`), `---\nsubject: Hi\n---\n${source}\n`);
  writeFileSync(join(dir, `${name}-subject.liquid`), `---\nsubject: ${source}\n---\nbody\n`);
}

function assertStopped(run: () => unknown, name: string, limit: string): void {
  const started = performance.now();
  assert.throws(
    run,
    (e: unknown) =>
      e instanceof AftercareError &&
      e.code === 'AFTERCARE_E_TEMPLATE_RENDER' &&
      e.details['template'] === name &&
      e.details['limit'] === limit &&
      e.message.includes(name) &&
      e.message.includes(`${limit === 'time' ? 'render time' : limit}`),
    `${name}: expected the ${limit} limit`,
  );
  assert.ok(
    performance.now() - started < 2000,
    `${name} took ${Math.round(performance.now() - started)} ms to stop`,
  );
}

for (const compile of [true, false]) {
  describe(`hostile templates are stopped (${compile ? 'compiled' : 'LiquidJS'})`, () => {
    // A short time limit for the loops; a long one elsewhere, so a busy machine cannot make the
    // clock stop a template that the memory or output limit must stop.
    const withTime = (renderMs: number) =>
      new TemplateRenderer({ dirs: [dir], includeDefaults: false, compile, limits: { renderMs } });
    const quick = withTime(50);
    const patient = withTime(10_000);
    for (const [name, { limit }] of Object.entries(HOSTILE)) {
      test(name, () => {
        const renderer = limit === 'time' ? quick : patient;
        assert.equal(renderer.load(name).compiled, compile);
        assertStopped(() => renderer.render(name, {}), name, limit);
        assertStopped(() => renderer.renderSubject(`${name}-subject`, {}), `${name}-subject`, limit);
      });
    }
  });
}

describe('limits are options', () => {
  const folder = mkdtempSync(join(dir, 'exact-'));
  writeFileSync(join(folder, 'ten.liquid'), '{{ "0123456789" }}');
  writeFileSync(join(folder, 'eleven.liquid'), '{{ "0123456789" }}!');
  writeFileSync(
    join(folder, 'captured.liquid'),
    '{% capture c %}{{ "0123456789" }}!{% endcapture %}{{ c | size }}',
  );

  test('the output limit holds to the character on both paths, and covers captures', () => {
    for (const compile of [true, false]) {
      const r = new TemplateRenderer({
        dirs: [folder],
        includeDefaults: false,
        compile,
        limits: { output: 10 },
      });
      assert.equal(r.render('ten', {}).text, '0123456789');
      assert.throws(() => r.render('eleven', {}), /output size limit exceeded \(10 characters\)/);
      assert.throws(() => r.render('captured', {}), /output size limit exceeded/);
    }
  });

  test('the defaults are sane, and bad limits are refused', () => {
    assert.deepEqual({ ...DEFAULT_LIMITS }, { renderMs: 1000, memory: 1_000_000, output: 262_144 });
    const bad: Partial<TemplateLimits>[] = [{ renderMs: 0 }, { output: -1 }, { memory: Number.NaN }];
    for (const limits of bad) assert.throws(() => new TemplateRenderer({ dirs: [], limits }), RangeError);
  });

  test('a memory limit too small for a default template stops it; the default one does not', () => {
    const context = { order: { items: [] }, customer: {}, business: {}, links: {}, step: {} };
    assert.doesNotThrow(() => new TemplateRenderer({ dirs: [] }).render('arrival-call', context));
    const tight = new TemplateRenderer({ dirs: [folder], limits: { memory: 5 } });
    writeFileSync(join(folder, 'upcase.liquid'), '{{ "0123456789" | upcase }}');
    assert.throws(() => tight.render('upcase', {}), /memory limit exceeded \(5 units\)/);
  });
});
