// The compiled templates are held to LiquidJS byte for byte: every default template (and so every
// default partial) is compiled (no silent fallback) and rendered both ways over many seeded random
// contexts, in the default and the strictVariables mode; raw output, subject-only output and the
// renderer's RenderedTemplate must be identical, and failures must fail the same way.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomContext, reassureSteps, seeded } from './contexts.test-helpers.js';
import { assertSame, bothWays, outcome, referenceLiquid } from './differential.test-helpers.js';
import {
  PartialFolders,
  localeFiles,
  pickLocale,
  readPartials,
  readTemplate,
  templateNamesIn,
} from './load.js';
import { defaultTemplatesDir } from './paths.js';
import { prepareTemplate } from './prepared.js';
import { TemplateRenderer } from './render.js';

const CONTEXTS = 150;
const SEPARATOR = '\u0000differential\u0000';

const names = templateNamesIn(defaultTemplatesDir());
/** Every file of every default template: each locale variant is compiled and compared too. */
const variants = names.flatMap((name) =>
  [...(localeFiles([defaultTemplatesDir()], name)[0] ?? new Map<string, string>()).keys()].map((locale) => ({
    name,
    locale,
  })),
);

function stepFor(name: string) {
  return reassureSteps.find((step) => step.template === name) ?? reassureSteps[0]!;
}

test('there are default templates to compare, and every default partial is used by one', () => {
  assert.ok(names.length >= 15, `only ${names.length} default templates`);
  const partials = [...readPartials([defaultTemplatesDir()]).keys()];
  const renderer = new TemplateRenderer({ dirs: [] });
  const inlined = Object.values(renderer.sources(names)).join('\n');
  for (const partial of partials) {
    const opening = readPartials([defaultTemplatesDir()]).get(partial)!.split('\n')[0]!.slice(0, 30);
    assert.ok(inlined.includes(opening), `${partial} is not used by any default template`);
  }
});

for (const strictVariables of [false, true]) {
  describe(`default templates, raw output, strictVariables: ${strictVariables}`, () => {
    const liquid = referenceLiquid(strictVariables);
    const partials = new PartialFolders([defaultTemplatesDir()]);
    for (const { name, locale } of variants) {
      test(locale === '' ? name : `${name}.${locale}`, () => {
        const file = pickLocale(localeFiles([defaultTemplatesDir()], name), locale)!.file;
        const prepared = prepareTemplate(readTemplate(file, name), {
          liquid,
          partials: partials.forLocale(locale),
          separator: SEPARATOR,
          compile: true,
        });
        assert.equal(prepared.fallback, null, `${name} falls back: ${prepared.fallback}`);
        assert.ok(prepared.compiled && prepared.program);
        const rng = seeded(strictVariables ? 7 : 3);
        let rendered = 0;
        for (let i = 0; i < CONTEXTS; i++) {
          const context = randomContext(rng, stepFor(name));
          const full = bothWays(liquid, prepared.joined, prepared.program.full, context);
          assertSame(full.liquid, full.compiled, `${name}, context ${i}`);
          const subject = bothWays(liquid, prepared.subjectOnly, prepared.program.subject, context);
          assertSame(subject.liquid, subject.compiled, `${name} subject, context ${i}`);
          if (full.liquid.ok) rendered++;
        }
        // The comparison means little if every context failed (strict mode fails on gaps).
        assert.ok(rendered >= CONTEXTS / 5, `${name}: only ${rendered} contexts rendered`);
      });
    }
  });
}

describe('TemplateRenderer: compiled and LiquidJS renders are the same', () => {
  for (const strictVariables of [false, true]) {
    test(`render and renderSubject, strictVariables: ${strictVariables}`, () => {
      // No time limit to speak of: this compares meaning, and the machine may be busy.
      const limits = { renderMs: 60_000 };
      const compiled = new TemplateRenderer({ dirs: [], strictVariables, limits });
      const liquid = new TemplateRenderer({ dirs: [], strictVariables, limits, compile: false });
      const rng = seeded(11);
      for (const name of names) {
        assert.equal(compiled.load(name).compiled, true, name);
        assert.equal(liquid.load(name).compiled, false, name);
        for (let i = 0; i < CONTEXTS / 3; i++) {
          const context = randomContext(rng, stepFor(name));
          assertSame(
            outcome(() => liquid.render(name, structuredClone(context))),
            outcome(() => compiled.render(name, structuredClone(context))),
            `${name}, context ${i}`,
          );
          assertSame(
            outcome(() => liquid.renderSubject(name, structuredClone(context))),
            outcome(() => compiled.renderSubject(name, structuredClone(context))),
            `${name} subject, context ${i}`,
          );
        }
      }
    });
  }
});
