// Running one render both ways (LiquidJS, compiled) and saying how it ended, so the differential
// tests can compare outcomes: the same output, or the same failure.
import assert from 'node:assert/strict';
import { Liquid, type Template } from 'liquidjs';
import { runCompiled } from './compile/output.js';
import type { Exec } from './compile/compiler.js';
import { registerFilters } from './filters.js';
import { liquidOptions } from './liquid.js';
import { DEFAULT_LIMITS, limitErrorIn, startBudget, type RenderBudget } from './limits.js';

export type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

/** The error's innermost message without LiquidJS's ", file:..., line:..." suffix. */
function describe(error: unknown): string {
  const limit = limitErrorIn(error);
  if (limit !== null) return `limit:${limit.limit}`;
  let current: unknown = error;
  for (let depth = 0; depth < 8; depth++) {
    const next =
      (current as { originalError?: unknown; cause?: unknown } | null)?.originalError ??
      (current as { cause?: unknown } | null)?.cause;
    if (next === undefined || next === null) break;
    current = next;
  }
  const message = current instanceof Error ? current.message : String(current);
  return message.replace(/, (file|line):.*$/s, '');
}

export function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

export function assertSame(expected: Outcome, actual: Outcome, label: string): void {
  assert.deepEqual(actual, expected, label);
}

/** Generous limits: the differential tests compare meaning, limits.test.ts tests the limits. */
export function budget(): RenderBudget {
  return startBudget({ ...DEFAULT_LIMITS, renderMs: 10_000 }, 0);
}

/** Plain LiquidJS with our options and filters: the reference the compiler is held to. */
export function referenceLiquid(strictVariables: boolean): Liquid {
  const liquid = new Liquid(liquidOptions(strictVariables));
  registerFilters(liquid);
  return liquid;
}

/** LiquidJS's own renderSync, and the compiled function, on copies of one context. */
export function bothWays(
  liquid: Liquid,
  templates: Template[],
  run: Exec,
  context: Record<string, unknown>,
): { liquid: Outcome; compiled: Outcome } {
  return {
    liquid: outcome(() => liquid.renderSync(templates, structuredClone(context))),
    compiled: outcome(() =>
      runCompiled(
        run,
        structuredClone(context),
        { liquid, strictVariables: liquid.options.strictVariables },
        budget(),
      ),
    ),
  };
}
