// What every compile step shares: the shapes of compiled code, what is known at compile time
// (the Liquid instance, strictness, the loops around the node), and Unsupported, which a step
// throws for anything it cannot reproduce exactly, so the template falls back to LiquidJS.
import type { Liquid } from 'liquidjs';
import type { Runtime } from './runtime.js';

/** A compiled value: evaluates to what LiquidJS's evalToken / Value.value would return. */
export type Eval = (rt: Runtime) => unknown;

/** A compiled template node: writes to the runtime's output, or changes its state. */
export type Exec = (rt: Runtime) => void;

export interface Compiler {
  readonly liquid: Liquid;
  readonly strictVariables: boolean;
  readonly lenientIf: boolean;
  /** The `for` loops around the node being compiled, outermost first: their variables. */
  readonly loops: readonly string[];
}

export class Unsupported extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'Unsupported';
  }
}

export const NOTHING: Exec = () => {};
