// Compiling Liquid's tags: if/elsif/else, unless, case/when, for (limit, offset, reversed, else,
// forloop), assign, capture, echo, liquid, raw, comment, break and continue. Each closure does
// what the tag's render() does in LiquidJS, in the same order; any other tag is Unsupported.
import {
  AssignTag,
  BreakTag,
  CaptureTag,
  CaseTag,
  CommentTag,
  ContinueTag,
  EchoTag,
  ForTag,
  IfTag,
  InlineCommentTag,
  LiquidTag,
  RawTag,
  TypeGuards,
  UnlessTag,
  isFalsy as liquidIsFalsy,
  isTruthy as liquidIsTruthy,
  type Tag,
  type Template,
  type Token,
  type Value,
} from 'liquidjs';
import { NOTHING, Unsupported, type Compiler, type Eval, type Exec } from './compiler.js';
import { compileOperand } from './expression.js';
import { compileValue } from './filters.js';
import type { LoopState } from './runtime.js';
import { equals, isFalsy, isTruthy, stringify, toEnumerable, toValue, type Scope } from './semantics.js';

/** Compiles a tag's inner templates; output.ts passes itself in. */
export type BlockCompiler = (templates: readonly Template[], cx: Compiler) => Exec;

function compileIf(tag: IfTag, cx: Compiler, block: BlockCompiler): Exec {
  const branches = tag.branches.map((branch) => ({
    test: compileValue(branch.value, cx.lenientIf, cx),
    body: block(branch.templates, cx),
  }));
  const otherwise = block(tag.elseTemplates ?? [], cx);
  return (rt) => {
    for (const branch of branches) {
      if (isTruthy(toValue(branch.test(rt)))) return branch.body(rt);
    }
    otherwise(rt);
  };
}

function compileUnless(tag: UnlessTag, cx: Compiler, block: BlockCompiler): Exec {
  const branches = tag.branches.map((branch) => {
    // The first branch passes when falsy, an elsif when truthy: LiquidJS keeps the test per branch.
    if (branch.test !== liquidIsFalsy && branch.test !== liquidIsTruthy) throw new Unsupported('unless test');
    return {
      test: compileValue(branch.value, cx.lenientIf, cx),
      wanted: branch.test === liquidIsTruthy,
      body: block(branch.templates, cx),
    };
  });
  const otherwise = block(tag.elseTemplates, cx);
  return (rt) => {
    for (const branch of branches) {
      const value = toValue(branch.test(rt));
      if (branch.wanted ? isTruthy(value) : isFalsy(value)) return branch.body(rt);
    }
    otherwise(rt);
  };
}

/** Every `when` that matches renders, not only the first (as in LiquidJS and Shopify's Liquid). */
function compileCase(tag: CaseTag, cx: Compiler, block: BlockCompiler): Exec {
  const target = compileValue(tag.value, cx.lenientIf, cx);
  const branches = tag.branches.map((branch) => ({
    values: branch.values.map((token) => compileOperand(token, cx.lenientIf, cx)),
    body: block(branch.templates, cx),
  }));
  const otherwise = block(tag.elseTemplates, cx);
  return (rt) => {
    const value = toValue(target(rt));
    let hit = false;
    for (const branch of branches) {
      for (const candidate of branch.values) {
        if (equals(value, candidate(rt))) {
          branch.body(rt);
          hit = true;
          break;
        }
      }
    }
    if (!hit) otherwise(rt);
  };
}

/** Whether a token reads the variable `name` at its root, anywhere inside it. */
function reads(token: Token | undefined, name: string): boolean {
  if (token === undefined) return false;
  if (TypeGuards.isRangeToken(token)) return reads(token.lhs, name) || reads(token.rhs, name);
  if (!TypeGuards.isPropertyAccessToken(token)) return false;
  const [first] = token.props;
  if (token.variable === undefined && first !== undefined && 'content' in first && first.content === name) {
    return true;
  }
  return reads(token.variable, name) || token.props.some((prop) => reads(prop, name));
}

const MODIFIERS = ['offset', 'limit', 'reversed'] as const;

function compileFor(tag: ForTag, cx: Compiler, block: BlockCompiler): Exec {
  const { variable } = tag;
  // A loop variable named forloop hides the counters; `offset: continue` resumes an earlier loop.
  if (variable === 'forloop') throw new Unsupported('a loop variable named forloop');
  const entries = Object.entries(tag.hash.hash);
  if (entries.some(([, token]) => reads(token, 'continue'))) throw new Unsupported('offset: continue');
  const collection = compileOperand(tag.collection, false, cx);
  const hash = entries.map(([key, token]) => ({ key, value: token && compileOperand(token, false, cx) }));
  const body = block(tag.templates, { ...cx, loops: [...cx.loops, variable] });
  const otherwise = block(tag.elseTemplates, cx);
  const name = `${variable}-${tag.collection.getText()}`;
  return (rt) => {
    let items = toEnumerable(collection(rt));
    if (items.length === 0) return otherwise(rt);
    // A plain object on purpose, as in LiquidJS (its keys are the tag's, in the tag's order).
    const args: Record<string, unknown> = {};
    for (const { key, value } of hash) args[key] = value === undefined ? true : value(rt);
    for (const modifier of MODIFIERS) {
      const arg = args[modifier];
      if (arg === undefined) continue;
      // slice() converts the argument as LiquidJS's own slice() call does.
      if (modifier === 'offset') items = items.slice(arg as number);
      else if (modifier === 'limit') items = items.slice(0, arg as number);
      else items = [...items].reverse();
    }
    rt.clock();
    const loop: LoopState = { i: 0, length: items.length, name };
    const scope = Object.create(null) as Scope;
    scope['forloop'] = loop;
    rt.frames.push({ scope, loop });
    for (const item of items) {
      scope[variable] = item;
      rt.cont = rt.brk = false;
      body(rt);
      rt.tick();
      if (rt.brk) break;
      loop.i++;
    }
    rt.cont = rt.brk = false;
    rt.frames.pop();
  };
}

/** The parts of AssignTag and EchoTag their typings keep private. */
interface AssignInternals {
  key: string;
  value: Value;
}

function compileAssign(tag: AssignTag, cx: Compiler): Exec {
  const { key, value } = tag as unknown as AssignInternals;
  const compiled = compileValue(value, cx.lenientIf, cx);
  return (rt) => {
    rt.bottom[key] = compiled(rt);
  };
}

/** Captured text is held to the output limit, as liquid.ts's capture tag holds it. */
function compileCapture(tag: CaptureTag, cx: Compiler, block: BlockCompiler): Exec {
  const { variable } = tag;
  const body = block(tag.templates, cx);
  return (rt) => {
    const out = rt.out;
    const max = rt.max;
    rt.out = '';
    rt.max = rt.budget.outputLimit;
    body(rt);
    const text = rt.out;
    rt.out = out;
    rt.max = max;
    rt.bottom[variable] = text;
  };
}

export function compileWrite(value: Eval): Exec {
  return (rt) => rt.write(stringify(toValue(value(rt))));
}

function compileEcho(tag: EchoTag, cx: Compiler): Exec {
  const { value } = tag as unknown as Partial<AssignInternals>;
  return value === undefined ? NOTHING : compileWrite(compileValue(value, false, cx));
}

export function compileTag(tag: Tag, cx: Compiler, block: BlockCompiler): Exec {
  // Exact classes: a subclass may render differently (capture is ours: liquid.ts extends it).
  switch (tag.constructor) {
    case IfTag:
      return compileIf(tag as IfTag, cx, block);
    case UnlessTag:
      return compileUnless(tag as UnlessTag, cx, block);
    case CaseTag:
      return compileCase(tag as CaseTag, cx, block);
    case ForTag:
      return compileFor(tag as ForTag, cx, block);
    case AssignTag:
      return compileAssign(tag as AssignTag, cx);
    case EchoTag:
      return compileEcho(tag as EchoTag, cx);
    case LiquidTag:
      return block((tag as LiquidTag).templates, cx);
    case RawTag: {
      const text = (tag as RawTag).render();
      return text === '' ? NOTHING : (rt) => rt.write(text);
    }
    case CommentTag:
    case InlineCommentTag:
      return NOTHING;
    case BreakTag:
      return (rt) => {
        rt.brk = true;
      };
    case ContinueTag:
      return (rt) => {
        rt.cont = true;
      };
  }
  if (tag instanceof CaptureTag && tag.constructor === cx.liquid.tags['capture']) {
    return compileCapture(tag, cx, block);
  }
  throw new Unsupported(`the tag {% ${tag.name} %}`);
}
