// Constructs the compiler does not take (tags such as cycle or increment, where_exp, the whole
// forloop object, offset: continue, a variable named by an expression...): the template falls
// back to LiquidJS, says why, and renders exactly as a renderer that never compiles.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomContext, randomExtras, seeded } from './contexts.test-helpers.js';
import { assertSame, outcome } from './differential.test-helpers.js';
import { AftercareError } from '../errors.js';
import { TemplateRenderer } from './render.js';

/** Constructs left to LiquidJS, and the part of the reason that names them. */
const UNSUPPORTED: Record<string, [string, string]> = {
  cycle: ['{% for x in nums %}{% cycle "a", "b" %}{% endfor %}', 'cycle'],
  increment: ['{% increment x %}{% increment x %}{{ x }}', 'increment'],
  tablerow: ['{% tablerow x in nums cols: 2 %}{{ x }}{% endtablerow %}', 'tablerow'],
  whereExp: ['{{ people | where_exp: "p", "p.age > n" | size }}', 'where_exp'],
  wholeForloop: ['{% for x in nums %}{{ forloop }}{% endfor %}', 'forloop'],
  offsetContinue: [
    '{% for x in nums limit: 2 %}{{ x }}{% endfor %}|{% for x in nums offset: continue %}{{ x }}{% endfor %}',
    'continue',
  ],
  dynamicRoot: ['{% assign key = "customer" %}{{ [key].first_name }}', 'expression'],
  twoOperands: ['{% if flag n %}y{% endif %}', 'expression'],
  include: ["a{% include 'thank-you' %}", 'include'],
};

describe('unsupported constructs fall back to LiquidJS and render the same', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-fallback-'));
  for (const [name, [source]] of Object.entries(UNSUPPORTED)) {
    writeFileSync(
      join(dir, `${name.toLowerCase()}.liquid`),
      `---\nsubject: {{ s }} ${name}\n---\n${source}\n`,
    );
  }
  for (const strictVariables of [false, true]) {
    test(`strictVariables: ${strictVariables}`, () => {
      const compiled = new TemplateRenderer({ dirs: [dir], strictVariables });
      const liquid = new TemplateRenderer({ dirs: [dir], strictVariables, compile: false });
      const rng = seeded(5);
      for (const [name, [, reason]] of Object.entries(UNSUPPORTED)) {
        const file = name.toLowerCase();
        const info = compiled.load(file);
        assert.equal(info.compiled, false, `${name} was compiled`);
        assert.match(info.fallback ?? '', new RegExp(reason), name);
        for (let i = 0; i < 30; i++) {
          const context = { ...randomContext(rng), ...randomExtras(rng) };
          assertSame(
            outcome(() => liquid.render(file, structuredClone(context))),
            outcome(() => compiled.render(file, structuredClone(context))),
            `${name}, context ${i}`,
          );
          assertSame(
            outcome(() => liquid.renderSubject(file, structuredClone(context))),
            outcome(() => compiled.renderSubject(file, structuredClone(context))),
            `${name} subject, context ${i}`,
          );
        }
      }
    });
  }
  test('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});

test('strictVariables: an unknown variable is AFTERCARE_E_TEMPLATE_RENDER naming the template, on both paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-strict-'));
  try {
    const typo = '---\nsubject: Hi {{ customer.frist_name }}\n---\n';
    writeFileSync(join(dir, 'typo.liquid'), `${typo}x\n`);
    writeFileSync(join(dir, 'typo-cycled.liquid'), `${typo}{% cycle "a" %}\n`);
    const renderer = new TemplateRenderer({ dirs: [dir], strictVariables: true });
    const context = { customer: { first_name: 'Ana' } };
    assert.equal(renderer.load('typo').compiled, true);
    assert.equal(renderer.load('typo-cycled').compiled, false);
    for (const name of ['typo', 'typo-cycled']) {
      for (const render of [
        () => renderer.render(name, context),
        () => renderer.renderSubject(name, context),
      ]) {
        assert.throws(
          render,
          (e: unknown) =>
            e instanceof AftercareError &&
            e.code === 'AFTERCARE_E_TEMPLATE_RENDER' &&
            e.details['template'] === name &&
            e.message.startsWith(`template ${name} (`) &&
            e.message.includes('undefined variable: customer.frist_name'),
          name,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
