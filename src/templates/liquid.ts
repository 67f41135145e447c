// The LiquidJS side of rendering: one sandboxed instance per renderer (no files, own properties
// only, unknown filters are errors) with our filters, and renders held to the same limits as
// compiled templates. It parses every template, and renders those the compiler does not take.
import {
  CaptureTag,
  Context,
  Liquid,
  toValueSync,
  type Emitter,
  type FS,
  type LiquidOptions,
  type Template,
} from 'liquidjs';
import { stringify } from './compile/semantics.js';
import { registerFilters } from './filters.js';
import { TemplateLimitError, type RenderBudget } from './limits.js';

/** LiquidJS's Limiter type, which it does not export; limits.ts's Budget and Deadline have its shape. */
export type LiquidLimiter = NonNullable<NonNullable<ConstructorParameters<typeof Context>[3]>['memoryLimit']>;

/** A file system with no files: whatever a template tries to include at render time is not there. */
const NO_FILES: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: (file) => Promise.reject(new Error(`templates cannot read files (${file})`)),
  readFileSync: (file) => {
    throw new Error(`templates cannot read files (${file})`);
  },
  resolve: (_dir, file, ext) => file + ext,
  contains: () => Promise.resolve(false),
  containsSync: () => false,
};

export interface LiquidSettings {
  strictVariables: boolean;
  /** The output limit, which also bounds what a `{% capture %}` may hold. */
  outputLimit: number;
}

/** The sandbox: no files, own properties only, unknown filters are errors, lenient `if`. */
export function liquidOptions(strictVariables: boolean): LiquidOptions {
  return {
    fs: NO_FILES,
    root: ['.'],
    partials: ['.'],
    layouts: ['.'],
    extname: '.liquid',
    relativeReference: false,
    cache: true,
    ownPropertyOnly: true,
    strictFilters: true,
    strictVariables,
    lenientIf: true,
  };
}

export function createLiquid(settings: LiquidSettings): Liquid {
  const liquid = new Liquid(liquidOptions(settings.strictVariables));
  registerFilters(liquid);
  liquid.registerTag('capture', limitedCapture(settings.outputLimit));
  return liquid;
}

/**
 * `{% capture %}` that refuses text longer than the output limit: captured text does not pass
 * through the output, so without this a capture doubling itself in a loop would grow unchecked.
 * compile/tags.ts applies the same check to compiled captures.
 */
function limitedCapture(max: number): typeof CaptureTag {
  return class LimitedCapture extends CaptureTag {
    override *render(ctx: Context): Generator<unknown, void, string> {
      yield* super.render(ctx);
      const text: unknown = ctx.bottom()[this.variable];
      if (typeof text === 'string' && text.length > max) throw new TemplateLimitError('output', max);
    }
  };
}

/** LiquidJS's SimpleEmitter, counting: the output stops growing at the limit, not after. */
class LimitedEmitter implements Emitter {
  buffer = '';

  constructor(private readonly budget: RenderBudget) {}

  write(html: unknown): void {
    this.buffer += stringify(html);
    if (this.buffer.length > this.budget.outputMax) {
      throw new TemplateLimitError('output', this.budget.outputLimit);
    }
  }
}

/**
 * What `liquid.renderSync(templates, context)` does, with this render's budget: its memory and
 * time limiters in the Context, and a counting emitter.
 */
export function renderWithLiquid(
  liquid: Liquid,
  templates: Template[],
  context: Record<string, unknown>,
  budget: RenderBudget,
): string {
  const ctx = new Context(
    context,
    liquid.options,
    { sync: true },
    {
      liquid,
      memoryLimit: budget.memory as unknown as LiquidLimiter,
      renderLimit: budget.time as unknown as LiquidLimiter,
    },
  );
  const emitter = new LimitedEmitter(budget);
  toValueSync(liquid.renderer.renderTemplates(templates, ctx, emitter));
  return emitter.buffer;
}
