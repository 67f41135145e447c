// Limits on one render, kept the same way by compiled templates and by LiquidJS: render time,
// memory (LiquidJS's own count of what filters and ranges allocate) and output size.
// Exceeding one throws a TemplateLimitError, which render.ts reports as AFTERCARE_E_TEMPLATE_RENDER.

export interface TemplateLimits {
  /** Wall-clock time one render may take, in milliseconds. */
  renderMs: number;
  /** LiquidJS memory units: characters that filters process, items that ranges and array filters make. */
  memory: number;
  /** Characters one rendered template (subject, title and body together), or one capture, may hold. */
  output: number;
}

/**
 * A default template renders in well under a millisecond, uses a few thousand units and ~2 KB.
 * The time limit stops runaway loops, not slow renders: a cold start (Intl loading a locale) on
 * a busy machine can take tens of milliseconds, and must not fail a touch point.
 */
export const DEFAULT_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  renderMs: 1000,
  memory: 1_000_000,
  output: 256 * 1024,
});

export type LimitKind = 'time' | 'memory' | 'output';

const DESCRIPTIONS: Record<LimitKind, (max: number) => string> = {
  time: (max) => `render time limit exceeded (${max} ms)`,
  memory: (max) => `memory limit exceeded (${max} units)`,
  output: (max) => `output size limit exceeded (${max} characters)`,
};

export class TemplateLimitError extends Error {
  constructor(
    readonly limit: LimitKind,
    readonly max: number,
  ) {
    super(DESCRIPTIONS[limit](max));
    this.name = 'TemplateLimitError';
  }
}

/**
 * LiquidJS's Limiter (which it does not export), for memory: `use` adds to a running total,
 * `check` compares one value. Counts are coerced with `+` as LiquidJS does, because filters
 * pass it whatever they were given. One object serves both paths.
 */
export class Budget {
  private used = 0;

  constructor(private readonly max: number) {}

  use(count: number): void {
    const n = +count;
    if (n > 0) {
      if (this.used + n > this.max) throw new TemplateLimitError('memory', this.max);
      this.used += n;
    }
  }

  check(count: number): void {
    const n = +count;
    if (n > 0 && n > this.max) throw new TemplateLimitError('memory', this.max);
  }
}

/**
 * The render-time limiter: LiquidJS calls `check(performance.now())` before every node. The
 * clock starts at the first check, so a render that never loops never reads the clock (reading
 * it costs more than rendering a plain subject): LiquidJS checks as it starts, compiled code as
 * it enters a loop, and what a compiled template does before its first loop is bounded anyway.
 */
export class Deadline {
  private end: number | null = null;

  constructor(private readonly ms: number) {}

  get started(): boolean {
    return this.end !== null;
  }

  check(now: number): void {
    this.end ??= now + this.ms;
    if (now > this.end) throw new TemplateLimitError('time', this.ms);
  }

  use(_count: number): void {}
}

/** Everything one render may spend. */
export interface RenderBudget {
  readonly memory: Budget;
  readonly time: Deadline;
  /** Largest raw output, separators between subject, title and body included. */
  readonly outputMax: number;
  /** The configured output limit: also the largest capture (captured text skips the output). */
  readonly outputLimit: number;
}

export function startBudget(limits: TemplateLimits, separators: number): RenderBudget {
  return {
    memory: new Budget(limits.memory),
    time: new Deadline(limits.renderMs),
    outputMax: limits.output + separators,
    outputLimit: limits.output,
  };
}

export function resolveLimits(partial: Partial<TemplateLimits> | undefined): TemplateLimits {
  const limits = { ...DEFAULT_LIMITS, ...partial };
  for (const [key, value] of Object.entries(limits)) {
    if (!(typeof value === 'number' && value > 0)) {
      throw new RangeError(`template limit ${key} must be a positive number, got ${String(value)}`);
    }
  }
  return limits;
}

/** The limit error behind `error`, however LiquidJS wrapped it (RenderError keeps `originalError`). */
export function limitErrorIn(error: unknown): TemplateLimitError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof TemplateLimitError) return current;
    const wrapped = current as { originalError?: unknown; cause?: unknown };
    current = wrapped.originalError ?? wrapped.cause;
  }
  return null;
}
