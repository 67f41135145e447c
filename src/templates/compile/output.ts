// Compiling a list of templates (what LiquidJS's parse returns, or a tag's body): text, `{{ }}`
// outputs and tags, run in order with LiquidJS's rule that break/continue stop a block after the
// node that set them. Also the entry point: a whole parse tree to one function, or Unsupported.
import { Output, Tag, TypeGuards, defaultOperators, type Liquid, type Template } from 'liquidjs';
import type { RenderBudget } from '../limits.js';
import { Unsupported, type Compiler, type Exec } from './compiler.js';
import { compileValue } from './filters.js';
import { Runtime, type RuntimeSettings } from './runtime.js';
import { compileTag, compileWrite } from './tags.js';

/** The parsed text between tags; its class is not exported, its `str` is what it writes. */
function htmlText(template: Template): string | undefined {
  if (template instanceof Tag || !TypeGuards.isHTMLToken(template.token)) return undefined;
  const text = (template as { str?: unknown }).str;
  return typeof text === 'string' ? text : undefined;
}

function compileNode(template: Template, cx: Compiler): Exec {
  if (template instanceof Tag) return compileTag(template, cx, compileBlock);
  if (template.constructor === Output)
    return compileWrite(compileValue((template as Output).value, false, cx));
  const text = htmlText(template);
  if (text !== undefined) return (rt) => rt.write(text);
  throw new Unsupported(`a ${template.constructor.name} node`);
}

/**
 * Every node is kept, comments too: LiquidJS checks the flags after each node, so a block entered
 * with a break already set (a second matching `when`) still renders its first node.
 */
export function compileBlock(templates: readonly Template[], cx: Compiler): Exec {
  const nodes = templates.map((template) => compileNode(template, cx));
  const [only] = nodes;
  if (only === undefined) return () => {};
  if (nodes.length === 1) return only;
  return (rt) => {
    for (const node of nodes) {
      node(rt);
      if (rt.brk || rt.cont) return;
    }
  };
}

/** Options that change what templates mean; the compiler reproduces LiquidJS's defaults only. */
function unsupportedOptions(liquid: Liquid): string | null {
  const o = liquid.options as typeof liquid.options & { orderedFilterParameters?: boolean };
  if (o.jsTruthy) return 'jsTruthy';
  if (o.outputEscape !== undefined) return 'outputEscape';
  if (o.keepOutputType) return 'keepOutputType';
  if (o.operators !== defaultOperators) return 'custom operators';
  if (!o.ownPropertyOnly) return 'ownPropertyOnly: false';
  if (o.catchAllErrors) return 'catchAllErrors';
  if (o.orderedFilterParameters) return 'orderedFilterParameters';
  if (o.groupedExpressions) return 'groupedExpressions';
  return null;
}

export type CompileResult = { ok: true; run: Exec } | { ok: false; reason: string };

/** A whole parse tree to one function, or why it cannot be compiled exactly. */
export function compileTemplates(templates: readonly Template[], liquid: Liquid): CompileResult {
  const options = unsupportedOptions(liquid);
  if (options !== null) return { ok: false, reason: `the Liquid option ${options}` };
  const cx: Compiler = {
    liquid,
    strictVariables: liquid.options.strictVariables,
    lenientIf: liquid.options.lenientIf,
    loops: [],
  };
  try {
    return { ok: true, run: compileBlock(templates, cx) };
  } catch (error) {
    if (error instanceof Unsupported) return { ok: false, reason: error.message };
    throw error;
  }
}

/** One render of a compiled template: its raw output, as LiquidJS's renderSync would return it. */
export function runCompiled(
  run: Exec,
  context: object,
  settings: RuntimeSettings,
  budget: RenderBudget,
): string {
  const rt = new Runtime(context, settings, budget);
  run(rt);
  return rt.out;
}
