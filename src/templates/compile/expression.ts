// Compiling Liquid values and expressions: literals, variable paths (`order.items[0].sku`),
// ranges, and the operators of `if`/`unless` conditions, from LiquidJS's tokens and the postfix
// order its Expression already holds. Variables bound by an enclosing `for` are resolved here,
// at compile time; everything else is looked up the way LiquidJS's Context does.
import { TypeGuards, type Expression, type PropertyAccessToken, type RangeToken, type Token } from 'liquidjs';
import { Unsupported, type Compiler, type Eval } from './compiler.js';
import { UndefinedVariableError, type LoopState, type Runtime } from './runtime.js';
import {
  compare,
  contains,
  equals,
  isFalsy,
  isTruthy,
  range,
  readProperty,
  settle,
  toValue,
} from './semantics.js';

/** LiquidJS's evalToken: the value of one operand, drops (`nil`, `empty`) kept as they are. */
export function compileOperand(token: Token | undefined, lenient: boolean, cx: Compiler): Eval {
  if (token === undefined) return () => undefined;
  if (TypeGuards.isPropertyAccessToken(token)) return compileProperty(token, lenient, cx);
  if (TypeGuards.isRangeToken(token)) return compileRange(token, cx);
  if ('content' in token && !TypeGuards.isDelimitedToken(token)) {
    const content: unknown = token.content;
    return () => content;
  }
  throw new Unsupported(`the value ${JSON.stringify(token.getText())}`);
}

/** evalTokenValue: an operand as filters and keys consume it (drops turned into their values). */
function compileOperandValue(token: Token, cx: Compiler): Eval {
  const operand = compileOperand(token, false, cx);
  return (rt) => toValue(operand(rt));
}

function compileRange(token: RangeToken, cx: Compiler): Eval {
  const lhs = compileOperandValue(token.lhs, cx);
  const rhs = compileOperandValue(token.rhs, cx);
  return (rt) => {
    // Liquid leaves the arithmetic to JavaScript ('3' works, 'x' makes NaN and an empty range).
    const low = lhs(rt) as number;
    const high = rhs(rt) as number;
    rt.budget.memory.use(high - low + 1);
    return range(+low, +high + 1);
  };
}

type Key = { fixed: true; value: unknown } | { fixed: false; value: Eval };

function compileKey(prop: Token, cx: Compiler): Key {
  if (TypeGuards.isWordToken(prop) || TypeGuards.isQuotedToken(prop) || TypeGuards.isNumberToken(prop)) {
    return { fixed: true, value: prop.content };
  }
  if (TypeGuards.isLiteralToken(prop)) return { fixed: true, value: toValue(prop.content) };
  return { fixed: false, value: compileOperandValue(prop, cx) };
}

const FORLOOP: Record<string, (loop: LoopState) => unknown> = {
  index: (l) => l.i + 1,
  index0: (l) => l.i,
  rindex: (l) => l.length - l.i,
  rindex0: (l) => l.length - l.i - 1,
  first: (l) => l.i === 0,
  last: (l) => l.i === l.length - 1,
  length: (l) => l.length,
  name: (l) => l.name,
};

/** Where a path starts: a loop's scope, the `forloop` of the innermost loop, or the usual scopes. */
type Root =
  | { kind: 'value'; value: Eval }
  | { kind: 'loop'; depth: number }
  | { kind: 'forloop'; depth: number; read: (loop: LoopState) => unknown }
  | { kind: 'scope'; name: string };

function rootOf(token: PropertyAccessToken, keys: Key[], lenient: boolean, cx: Compiler): Root {
  if (token.variable !== undefined)
    return { kind: 'value', value: compileOperand(token.variable, lenient, cx) };
  const first = keys[0];
  if (first === undefined || !first.fixed || typeof first.value !== 'string') {
    throw new Unsupported(`a variable named by an expression (${token.getText()})`);
  }
  const name = first.value;
  const depth = cx.loops.length - 1;
  if (name === 'forloop' && depth >= 0) {
    const second = keys[1];
    const counter = second?.fixed && typeof second.value === 'string' ? second.value : '';
    const read = Object.hasOwn(FORLOOP, counter) ? FORLOOP[counter] : undefined;
    if (read === undefined) {
      throw new Unsupported(`forloop used other than as forloop.index, .first, ... (${token.getText()})`);
    }
    return { kind: 'forloop', depth, read };
  }
  const loop = cx.loops.lastIndexOf(name);
  return loop >= 0 ? { kind: 'loop', depth: loop } : { kind: 'scope', name };
}

/** `a.b[c]`: evalPropertyAccessToken, then Context._getFromScope, step by step. */
function compileProperty(token: PropertyAccessToken, lenient: boolean, cx: Compiler): Eval {
  const keys = token.props.map((prop) => compileKey(prop, cx));
  const root = rootOf(token, keys, lenient, cx);
  const strict = cx.strictVariables;
  const dynamic = keys.some((key) => !key.fixed);
  const fixed = keys.map((key) => (key.fixed ? key.value : undefined));
  // forloop.<counter> is read directly: LiquidJS would call the drop's method of that name.
  const skip = root.kind === 'forloop' ? 2 : 0;

  function start(rt: Runtime): unknown {
    switch (root.kind) {
      case 'value':
        return root.value(rt);
      case 'loop':
        return rt.frames[root.depth]?.scope;
      case 'forloop': {
        const frame = rt.frames[root.depth];
        return frame === undefined ? undefined : root.read(frame.loop);
      }
      case 'scope':
        return rt.rootScope(root.name);
    }
  }

  function walk(rt: Runtime, path: readonly unknown[]): unknown {
    let value = start(rt);
    for (let i = skip; i < path.length; i++) {
      value = settle(readProperty(value, path[i], rt));
      if (value === undefined && strict) {
        if (lenient) return null;
        throw new UndefinedVariableError(path.slice(0, i + 1).join('.'), token);
      }
    }
    return value;
  }

  if (!dynamic) return (rt) => walk(rt, fixed);
  return (rt) => {
    // LiquidJS evaluates every key before it reads anything.
    const path = keys.map((key) => (key.fixed ? key.value : key.value(rt)));
    return walk(rt, path);
  };
}

type Binary = (l: unknown, r: unknown) => unknown;

const BINARY: Record<string, Binary> = {
  '==': (l, r) => equals(l, r),
  '!=': (l, r) => !equals(l, r),
  '>': (l, r) => compare('gt', l, r),
  '<': (l, r) => compare('lt', l, r),
  '>=': (l, r) => compare('geq', l, r),
  '<=': (l, r) => compare('leq', l, r),
  contains: (l, r) => contains(l, r),
  and: (l, r) => isTruthy(l) && isTruthy(r),
  or: (l, r) => isTruthy(l) || isTruthy(r),
};

/**
 * An Expression from its postfix tokens. LiquidJS evaluates both sides of `and`/`or` (no
 * short-circuit), left first; the closures do the same, so strictVariables fails the same way.
 */
export function compileExpression(expression: Expression, lenient: boolean, cx: Compiler): Eval {
  const stack: Eval[] = [];
  const pop = (): Eval => {
    const top = stack.pop();
    if (top === undefined) throw new Unsupported('an operator without an operand');
    return top;
  };
  for (const token of expression.postfix) {
    if (!TypeGuards.isOperatorToken(token)) {
      stack.push(compileOperand(token, lenient, cx));
      continue;
    }
    const operator = token.operator;
    if (operator === 'not') {
      const operand = pop();
      stack.push((rt) => isFalsy(operand(rt)));
      continue;
    }
    const op = Object.hasOwn(BINARY, operator) ? BINARY[operator] : undefined;
    if (op === undefined) throw new Unsupported(`the operator ${operator}`);
    const rhs = pop();
    const lhs = pop();
    stack.push((rt) => {
      const l = lhs(rt);
      return op(l, rhs(rt));
    });
  }
  const [only] = stack;
  if (only === undefined || stack.length !== 1) {
    throw new Unsupported(`the expression ${JSON.stringify(expressionText(expression))}`);
  }
  return only;
}

function expressionText(expression: Expression): string {
  return expression.postfix.map((token) => token.getText()).join(' ');
}
