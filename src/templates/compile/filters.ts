// Compiling a value with its filters (`order.total | money`, `name | default: "there" | upcase`).
// Standard filters are called through the very function LiquidJS would call (the parse tree holds
// it), with the same `this`; our own filters through the shared function in ../filters.ts, with
// the runtime's reader. Filters that read the template's variables (`where_exp`...) or are random
// (`sample`) are not compiled: the template falls back to LiquidJS.
import { filters as standardFilters, type Filter, type Liquid, type Token, type Value } from 'liquidjs';
import { templateFilterOf } from '../filters.js';
import { Unsupported, type Compiler, type Eval } from './compiler.js';
import { compileExpression, compileOperand } from './expression.js';
import type { Runtime } from './runtime.js';
import { settle } from './semantics.js';

/** Standard filters whose result depends only on their arguments (and LiquidJS's options). */
const PURE = [
  ...['escape', 'xml_escape', 'escape_once', 'newline_to_br', 'strip_html'],
  ...[
    'abs',
    'at_least',
    'at_most',
    'ceil',
    'divided_by',
    'floor',
    'minus',
    'plus',
    'modulo',
    'times',
    'round',
  ],
  ...['url_decode', 'url_encode', 'cgi_escape', 'uri_escape', 'slugify'],
  ...['join', 'last', 'first', 'reverse', 'size', 'compact', 'concat', 'push', 'unshift', 'pop', 'shift'],
  ...[
    'slice',
    'uniq',
    'date',
    'date_to_xmlschema',
    'date_to_rfc822',
    'date_to_string',
    'date_to_long_string',
  ],
  ...['append', 'prepend', 'lstrip', 'downcase', 'upcase', 'remove', 'remove_first', 'remove_last', 'rstrip'],
  ...['split', 'strip', 'strip_newlines', 'squish', 'capitalize', 'replace', 'replace_first', 'replace_last'],
  ...['truncate', 'truncatewords', 'normalize_whitespace', 'number_of_words', 'array_to_sentence_string'],
  ...['base64_encode', 'base64_decode', 'sha256', 'hmac_sha256'],
  ...['default', 'raw', 'jsonify', 'json', 'inspect', 'to_integer'],
  // Generators that read each item in a context of its own (context.spawn(item)), never the template's.
  ...['sort', 'sort_natural', 'map', 'sum', 'where', 'reject', 'group_by', 'has', 'find', 'find_index'],
];

type Handler = (this: unknown, value: unknown, ...args: unknown[]) => unknown;

function handlerOf(impl: unknown): unknown {
  return typeof impl === 'function' ? impl : (impl as { handler?: unknown } | undefined)?.handler;
}

const SUPPORTED = new Set(PURE.map((name) => handlerOf(standardFilters[name])));

/** The parts of LiquidJS's Filter its typings keep private. */
interface FilterInternals {
  handler: unknown;
  token: Token;
}

type Step = (value: unknown, rt: Runtime) => unknown;

function compileArgs(filter: Filter, cx: Compiler): Eval[] {
  return filter.args.map((arg): Eval => {
    if (!Array.isArray(arg)) return compileOperand(arg, false, cx);
    // `allow_false: true`: LiquidJS passes keyword arguments as [name, value] pairs.
    const [name, token] = arg;
    const value = compileOperand(token, false, cx);
    return (rt) => [name, value(rt)];
  });
}

function compileFilter(filter: Filter, cx: Compiler): Step {
  const { handler, token } = filter as unknown as FilterInternals;
  const args = compileArgs(filter, cx);
  const shared = templateFilterOf(handler);
  if (shared !== undefined) {
    return (value, rt) => shared(rt.reader(), value, ...args.map((arg) => arg(rt)));
  }
  if (!SUPPORTED.has(handler) || typeof handler !== 'function') {
    throw new Unsupported(`the filter ${filter.name}`);
  }
  return standardCall(handler as Handler, token, cx.liquid, args);
}

/**
 * `this` is what LiquidJS's Filter.render passes, and the argument count is kept exact: some
 * filters check it (`append` needs two). One- and two-argument calls skip the array.
 */
function standardCall(handler: Handler, token: Token, liquid: Liquid, args: Eval[]): Step {
  const self = (rt: Runtime) => ({ context: rt.context(), token, liquid });
  const [a, b] = args;
  if (args.length === 0) return (value, rt) => settle(handler.call(self(rt), value));
  if (args.length === 1 && a) return (value, rt) => settle(handler.call(self(rt), value, a(rt)));
  if (args.length === 2 && a && b) {
    return (value, rt) => {
      const first = a(rt);
      return settle(handler.call(self(rt), value, first, b(rt)));
    };
  }
  return (value, rt) => {
    const argv = args.map((arg) => arg(rt));
    return settle(handler.call(self(rt), value, ...argv));
  };
}

/**
 * LiquidJS's Value.value: the expression, leniently when asked (or, with lenientIf, when the
 * first filter is `default`), then each filter in turn.
 */
export function compileValue(value: Value, lenient: boolean, cx: Compiler): Eval {
  const lenientHere = lenient || (cx.lenientIf && value.filters[0]?.name === 'default');
  const initial = compileExpression(value.initial, lenientHere, cx);
  const steps = value.filters.map((filter) => compileFilter(filter, cx));
  const [only] = steps;
  if (only === undefined) return initial;
  if (steps.length === 1) return (rt) => only(initial(rt), rt);
  return (rt) => {
    let result = initial(rt);
    for (const step of steps) result = step(result, rt);
    return result;
  };
}
