// Liquid's value semantics, as LiquidJS 10 implements them, without generators: how values print,
// which are truthy, how `==`, `<`, `contains` compare, how a property is read (own properties
// only) and what a `for` iterates. Each function mirrors the LiquidJS function of the same name;
// the differential test holds them to byte-identical output.
import { Drop, toValueSync } from 'liquidjs';

export type Scope = Record<string, unknown>;

/** A Drop's own value (`nil` -> null, `empty` -> ''); anything else as it is. */
export function toValue(value: unknown): unknown {
  return value instanceof Drop && typeof value.valueOf === 'function' ? value.valueOf() : value;
}

/**
 * LiquidJS runs every value it meets through its generator driver, so an iterator is run to its
 * result. Only two things make one here: a drop's generator method read as a property
 * (`{{ empty.equals }}`) and a generator filter (`sort`, `map`...).
 */
export function settle(value: unknown): unknown {
  return isIterator(value) ? toValueSync(value) : value;
}

function isIterator(value: unknown): boolean {
  // Primitives are skipped: their prototypes have no `next` (LiquidJS would look and find none).
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const it = value as { next?: unknown; throw?: unknown; return?: unknown };
  return typeof it.next === 'function' && typeof it.throw === 'function' && typeof it.return === 'function';
}

export function isArray(value: unknown): value is unknown[] {
  // Object.prototype.toString rather than Array.isArray: it is LiquidJS's test.
  return Object.prototype.toString.call(value) === '[object Array]';
}

function isObject(value: unknown): value is object {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

/** How a value prints: nil as '', arrays joined without separator, the rest through String(). */
export function stringify(input: unknown): string {
  const value = toValue(input);
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (isArray(value)) return value.map((item) => stringify(item)).join('');
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- as LiquidJS prints it
  return String(value);
}

/** Liquid truthiness (not JavaScript's): only false, nil and undefined are falsy; 0 and '' are not. */
export function isFalsy(input: unknown): boolean {
  const value = toValue(input);
  return value === false || value === undefined || value === null;
}

export function isTruthy(value: unknown): boolean {
  return !isFalsy(value);
}

interface Comparable {
  equals(other: unknown): unknown;
  gt(other: unknown): unknown;
  geq(other: unknown): unknown;
  lt(other: unknown): unknown;
  leq(other: unknown): unknown;
}

/** The literal drops (`nil`, `empty`, `blank`) compare through their own methods. */
function isComparable(arg: unknown): arg is Comparable {
  if (!arg) return false;
  const c = arg as Partial<Record<keyof Comparable, unknown>>;
  return (
    typeof c.equals === 'function' &&
    typeof c.gt === 'function' &&
    typeof c.geq === 'function' &&
    typeof c.lt === 'function' &&
    typeof c.leq === 'function'
  );
}

export function equals(lhs: unknown, rhs: unknown): unknown {
  if (isComparable(lhs)) return toValueSync(lhs.equals(rhs));
  if (isComparable(rhs)) return toValueSync(rhs.equals(lhs));
  const l = toValue(lhs);
  const r = toValue(rhs);
  if (isArray(l)) return isArray(r) && arrayEquals(l, r);
  return l === r;
}

function arrayEquals(lhs: unknown[], rhs: unknown[]): boolean {
  if (lhs.length !== rhs.length) return false;
  for (let i = 0; i < lhs.length; i++) if (!equals(lhs[i], rhs[i])) return false;
  return true;
}

function arrayIncludes(array: unknown[], item: unknown): boolean {
  for (const value of array) if (equals(value, item)) return true;
  return false;
}

type Order = 'gt' | 'lt' | 'geq' | 'leq';
const MIRROR: Record<Order, Order> = { gt: 'lt', lt: 'gt', geq: 'leq', leq: 'geq' };

/** `<`, `>`, `<=`, `>=`: drops decide for themselves, anything else compares as JavaScript does. */
export function compare(order: Order, lhs: unknown, rhs: unknown): unknown {
  if (isComparable(lhs)) return toValueSync(lhs[order](rhs));
  if (isComparable(rhs)) return toValueSync(rhs[MIRROR[order]](lhs));
  // Liquid leaves mixed types to JavaScript ('10' > 9 is true), so the casts only quiet the types.
  const l = toValue(lhs) as number;
  const r = toValue(rhs) as number;
  switch (order) {
    case 'gt':
      return l > r;
    case 'lt':
      return l < r;
    case 'geq':
      return l >= r;
    case 'leq':
      return l <= r;
  }
}

export function contains(lhs: unknown, rhs: unknown): boolean {
  const l = toValue(lhs);
  if (isArray(l)) return arrayIncludes(l, rhs);
  const searchable = l as { indexOf?: unknown } | null | undefined;
  if (typeof searchable?.indexOf === 'function') {
    return (searchable as { indexOf(search: unknown): number }).indexOf(toValue(rhs)) > -1;
  }
  return false;
}

function toLiquid(value: unknown): unknown {
  const v = value as { toLiquid?: unknown } | null | undefined;
  if (v && typeof v.toLiquid === 'function') return toLiquid((v as { toLiquid(): unknown }).toLiquid());
  return value;
}

function readArrayElement(array: unknown[], index: number): unknown {
  const i = index < 0 ? array.length + index : index;
  return Object.hasOwn(array, i) ? array[i] : undefined;
}

/** Own properties only, except on drops, whose methods are their properties. */
function readJSProperty(obj: object, key: unknown): unknown {
  if (!Object.hasOwn(obj, key as PropertyKey) && !(obj instanceof Drop)) return undefined;
  return (obj as Record<PropertyKey, unknown>)[key as PropertyKey];
}

function readSize(obj: object): unknown {
  const record = obj as Record<string, unknown>;
  if (Object.hasOwn(obj, 'size') || record['size'] !== undefined) return record['size'];
  if (isArray(obj) || typeof obj === 'string') return (obj as { length: number }).length;
  if (typeof obj === 'object') return Object.keys(obj).length;
  return undefined;
}

/** What a drop's liquidMethodMissing is handed: LiquidJS passes its Context. */
export interface DropHost {
  context(): unknown;
}

/** `obj.key` / `obj[key]` in a template: LiquidJS's Context.readProperty with ownPropertyOnly. */
export function readProperty(input: unknown, rawKey: unknown, host: DropHost): unknown {
  const obj = toLiquid(input);
  const key = toValue(rawKey);
  if (obj === null || obj === undefined) return obj;
  if (typeof key === 'number' && isArray(obj)) return readArrayElement(obj, key);
  // Strings, numbers and booleans are read like objects: 'abc'.length is an own property.
  const target = Object(obj) as object;
  const value = readJSProperty(target, key);
  if (value === undefined && obj instanceof Drop) {
    return obj.liquidMethodMissing(
      key as string,
      host.context() as Parameters<Drop['liquidMethodMissing']>[1],
    );
  }
  if (typeof value === 'function') return (value as (this: unknown) => unknown).call(obj);
  if (key === 'size') return readSize(obj);
  if (key === 'first') return isArray(obj) ? readArrayElement(obj, 0) : readJSProperty(target, 'first');
  if (key === 'last') return isArray(obj) ? readArrayElement(obj, -1) : readJSProperty(target, 'last');
  return value;
}

/** What `{% for %}` walks: arrays as they are, a string as one item, objects as [key, value] pairs. */
export function toEnumerable(input: unknown): unknown[] {
  const value = toValue(input);
  if (isArray(value)) return value;
  if (typeof value === 'string' && value.length > 0) return [value];
  if (isObject(value) && Symbol.iterator in value) return Array.from(value as Iterable<unknown>);
  if (isObject(value)) {
    return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
  }
  return [];
}

/** `(a..b)`: LiquidJS's range(), after its memory charge. */
export function range(start: number, stop: number): number[] {
  const out: number[] = [];
  for (let i = start; i < stop; i += 1) out.push(i);
  return out;
}
