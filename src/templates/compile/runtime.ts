// The state of one compiled render: the context, the scope `assign` and `capture` write to, the
// `for` loops in progress, the output, the break/continue flags and the budget. It stands in for
// LiquidJS's Context, and keeps its scope order: loops (innermost first), assigns, the context.
import { Context, type Liquid, type Token } from 'liquidjs';
import type { ContextReader } from '../filters.js';
import { TemplateLimitError, type RenderBudget } from '../limits.js';
import type { LiquidLimiter } from '../liquid.js';
import { readProperty, settle, type Scope } from './semantics.js';

/** A `for` loop's counters, read by `forloop.index` and friends. */
export interface LoopState {
  i: number;
  readonly length: number;
  /** `<variable>-<collection>`, as LiquidJS names it. */
  readonly name: string;
}

/** A running loop: its scope holds `forloop` and the loop variable, like LiquidJS's pushed scope. */
export interface Frame {
  readonly scope: Scope;
  readonly loop: LoopState;
}

export interface RuntimeSettings {
  readonly liquid: Liquid;
  readonly strictVariables: boolean;
}

/** strictVariables: a variable that is not there. Raised where LiquidJS raises UndefinedVariableError. */
export class UndefinedVariableError extends Error {
  constructor(variable: string, token?: Token) {
    const [line, col] = token?.getPosition() ?? [];
    super(`undefined variable: ${variable}${line === undefined ? '' : `, line:${line}, col:${col ?? 0}`}`);
    this.name = 'UndefinedVariableError';
  }
}

export class Runtime {
  out = '';
  /** The longest `out` may grow: the output limit, or the capture limit inside a capture. */
  max: number;
  brk = false;
  cont = false;
  readonly bottom: Scope = Object.create(null) as Scope;
  readonly frames: Frame[] = [];
  readonly env: Scope;
  private readonly globals: Scope;
  private ticks = 0;
  private filterContext: Context | null = null;
  private readFn: ContextReader | null = null;

  constructor(
    env: object,
    readonly settings: RuntimeSettings,
    readonly budget: RenderBudget,
  ) {
    this.env = env as Scope;
    this.globals = settings.liquid.options.globals as Scope;
    this.max = budget.outputMax;
  }

  write(text: string): void {
    this.out += text;
    if (this.out.length > this.max) throw new TemplateLimitError('output', this.budget.outputLimit);
  }

  /** Called as a loop starts: the first one starts the clock (see limits.ts, Deadline). */
  clock(): void {
    if (!this.budget.time.started) this.budget.time.check(performance.now());
  }

  /** Called once per loop turn: a clock read every 16 turns keeps the time limit cheap. */
  tick(): void {
    if ((++this.ticks & 15) === 0) this.budget.time.check(performance.now());
  }

  /**
   * A LiquidJS Context for LiquidJS's own filters, made on first use: they read its options and
   * charge its memory limiter (this render's), and none of those compiled reads its scopes.
   */
  context(): Context {
    if (this.filterContext === null) {
      const { liquid } = this.settings;
      this.filterContext = new Context(
        {},
        liquid.options,
        { sync: true },
        {
          liquid,
          memoryLimit: this.budget.memory as unknown as LiquidLimiter,
          renderLimit: this.budget.time as unknown as LiquidLimiter,
        },
      );
    }
    return this.filterContext;
  }

  /** Where a variable that no enclosing loop binds lives: assigns first, then the context. */
  rootScope(key: string): Scope {
    if (key in this.bottom) return this.bottom;
    return key in this.env ? this.env : this.globals;
  }

  /** LiquidJS's findScope, loops included, for paths only known when a filter runs. */
  private findScope(key: string): Scope {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const scope = this.frames[i]?.scope;
      if (scope !== undefined && key in scope) return scope;
    }
    return this.rootScope(key);
  }

  /** `context.getSync(path)`, as a function for our filters (money, local_date...), made on first use. */
  reader(): ContextReader {
    this.readFn ??= (path) => this.read(path);
    return this.readFn;
  }

  private read(path: readonly string[]): unknown {
    let value: unknown = this.findScope(path[0] ?? '');
    for (let i = 0; i < path.length; i++) {
      value = settle(readProperty(value, path[i], this));
      if (value === undefined && this.settings.strictVariables) {
        throw new UndefinedVariableError(path.slice(0, i + 1).join('.'));
      }
    }
    return value;
  }
}
