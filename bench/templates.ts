// Rendering the default templates with LiquidJS and compiled, in microseconds per render:
// `eval` is the template alone (raw output), `render` what the dispatcher calls (subject, title,
// tidied text and HTML), `subject` what the simulator calls. Prints one JSON object.
// Run: node --import tsx bench/templates.ts (AFTERCARE_BENCH_TEMPLATE_RENDERS=N per measurement);
// `npm run bench` runs it as the `templates` group.
import { cpus } from 'node:os';
import { envInt, peakRssMb } from './common.js';
import { runCompiled } from '../src/templates/compile/output.js';
import { randomContext, reassureSteps, seeded } from '../src/templates/contexts.test-helpers.js';
import { createLiquid, renderWithLiquid } from '../src/templates/liquid.js';
import { DEFAULT_LIMITS, startBudget } from '../src/templates/limits.js';
import { findTemplateFile, readPartials, readTemplate, templateNamesIn } from '../src/templates/load.js';
import { defaultTemplatesDir } from '../src/templates/paths.js';
import { prepareTemplate } from '../src/templates/prepared.js';
import { TemplateRenderer, type TemplateContext } from '../src/templates/render.js';

const RENDERS = envInt('AFTERCARE_BENCH_TEMPLATE_RENDERS', 4000);
const ROUNDS = 5;
const CONTEXTS = 64;

const names = templateNamesIn(defaultTemplatesDir());

type Run = (context: TemplateContext) => unknown;

/**
 * µs per call for each run, the best of ROUNDS rounds of RENDERS calls (the least disturbed by
 * GC and other processes). Rounds alternate between the runs, so a noisy moment hits all alike.
 */
function measure(runs: Record<string, Run>, contexts: TemplateContext[]): Record<string, number> {
  const entries = Object.entries(runs);
  for (const [, run] of entries) for (let i = 0; i < RENDERS; i++) run(contexts[i % contexts.length]!);
  const best: Record<string, number> = Object.fromEntries(entries.map(([key]) => [key, Infinity]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, run] of entries) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < RENDERS; i++) run(contexts[i % contexts.length]!);
      const us = Number(process.hrtime.bigint() - started) / 1000 / RENDERS;
      best[key] = Math.min(best[key] ?? Infinity, us);
    }
  }
  return Object.fromEntries(entries.map(([key]) => [key, Math.round((best[key] ?? 0) * 100) / 100]));
}

const liquidRenderer = new TemplateRenderer({ dirs: [], compile: false });
const compiledRenderer = new TemplateRenderer({ dirs: [], compile: true });
const liquid = createLiquid({ strictVariables: false, outputLimit: DEFAULT_LIMITS.output });
const partials = readPartials([defaultTemplatesDir()]);
const settings = { liquid, strictVariables: false };

type Timing = Record<'eval' | 'render' | 'subject', number>;
const results: Record<string, { liquid: Timing; compiled: Timing; speedup: Timing }> = {};
const rng = seeded(2026);

for (const name of names) {
  const step = reassureSteps.find((s) => s.template === name);
  // Varied, as the dispatcher sees them (no keys deleted), and renderable.
  const contexts: TemplateContext[] = [];
  while (contexts.length < CONTEXTS) {
    const context = randomContext(rng, step, { perturb: false });
    try {
      liquidRenderer.render(name, context);
      contexts.push(context);
    } catch {
      // not one the dispatcher would ever pass
    }
  }
  const file = findTemplateFile([defaultTemplatesDir()], name)!;
  const prepared = prepareTemplate(readTemplate(file, name), {
    liquid,
    partials,
    separator: '\u0000sep\u0000',
    compile: true,
  });
  const program = prepared.program;
  if (program === null) throw new Error(`${name} is not compiled: ${prepared.fallback}`);
  const budget = () => startBudget(DEFAULT_LIMITS, 10);
  const t = measure(
    {
      liquidEval: (c) => renderWithLiquid(liquid, prepared.joined, c, budget()),
      compiledEval: (c) => runCompiled(program.full, c, settings, budget()),
      liquidRender: (c) => liquidRenderer.render(name, c),
      compiledRender: (c) => compiledRenderer.render(name, c),
      liquidSubject: (c) => liquidRenderer.renderSubject(name, c),
      compiledSubject: (c) => compiledRenderer.renderSubject(name, c),
    },
    contexts,
  );
  const liquidTiming: Timing = {
    eval: t['liquidEval']!,
    render: t['liquidRender']!,
    subject: t['liquidSubject']!,
  };
  const compiledTiming: Timing = {
    eval: t['compiledEval']!,
    render: t['compiledRender']!,
    subject: t['compiledSubject']!,
  };
  const ratio = (key: keyof Timing) => Math.round((liquidTiming[key] / compiledTiming[key]) * 10) / 10;
  results[name] = {
    liquid: liquidTiming,
    compiled: compiledTiming,
    speedup: { eval: ratio('eval'), render: ratio('render'), subject: ratio('subject') },
  };
  process.stderr.write(`bench templates: ${name}\n`);
}

const mean = (pick: (r: (typeof results)[string]) => number) =>
  Math.round((Object.values(results).reduce((sum, r) => sum + pick(r), 0) / names.length) * 100) / 100;
const summary = {
  liquid: {
    eval: mean((r) => r.liquid.eval),
    render: mean((r) => r.liquid.render),
    subject: mean((r) => r.liquid.subject),
  },
  compiled: {
    eval: mean((r) => r.compiled.eval),
    render: mean((r) => r.compiled.render),
    subject: mean((r) => r.compiled.subject),
  },
};

console.log(
  JSON.stringify(
    {
      machine: { cpu: cpus()[0]?.model ?? 'unknown', node: process.version },
      rendersPerMeasurement: RENDERS,
      contextsPerTemplate: CONTEXTS,
      unit: 'µs per render (best of 5 rounds)',
      meanOverTemplates: {
        ...summary,
        speedup: {
          eval: Math.round((summary.liquid.eval / summary.compiled.eval) * 10) / 10,
          render: Math.round((summary.liquid.render / summary.compiled.render) * 10) / 10,
          subject: Math.round((summary.liquid.subject / summary.compiled.subject) * 10) / 10,
        },
      },
      templates: results,
      peakRssMb: peakRssMb(),
      goals: { peakRssMb: 500 },
      met: { peakRssMb: peakRssMb() < 500 },
    },
    null,
    2,
  ),
);
