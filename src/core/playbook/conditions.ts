// Step conditions (`when:`): the facts a condition can test, and their evaluation. Pure and
// cheap: the planner evaluates conditions when it plans, the dispatcher again before it sends.
import {
  MOMENTS,
  type Customer,
  type FollowUpMoment,
  type Millis,
  type Moment,
  type Order,
} from '../domain.js';
import { DEFAULT_CURRENCY_RATES, toBase, type CurrencyRates } from '../money.js';
import type { Condition } from './types.js';

/** Fields a condition can name, besides the open families in CONDITION_FIELD_PREFIXES. */
export const CONDITION_FIELDS = [
  'segment',
  'order.total',
  'order.total_base',
  'order.currency',
  'order.kind',
  'order.renewal_period',
  'order.renewal_cycle',
  'order.item_count',
  'order.categories',
  'order.skus',
  'order.first',
  'order.sequence',
  'customer.order_count',
  'customer.locale',
  'customer.timezone',
  'customer.email_domain',
  'temperature',
  'concern_open',
  'holdout',
  'customer.last_nps',
  'customer.engaged_since_delivery',
  'answer.survey',
  'answer.score',
  'concern.severity',
  'concern.source',
] as const;

/**
 * Facts about what a follow-up step follows (the answer, the concern), known only when the
 * listener plans it: a follow-up's condition on them is decided then, and passes at send time.
 * Each family belongs to the moments that have it.
 */
export const FOLLOW_UP_FIELDS: ReadonlyMap<string, readonly FollowUpMoment[]> = new Map([
  ['answer.survey', ['answered']],
  ['answer.score', ['answered']],
  ['concern.severity', ['concern_opened', 'concern_resolved']],
  ['concern.source', ['concern_opened', 'concern_resolved']],
]);

export const FOLLOW_UP_FIELD_NAMES: ReadonlySet<string> = new Set(FOLLOW_UP_FIELDS.keys());

/** Why `field` cannot be tested by a step timed from `moment`, or null when it can. */
export function followUpFieldProblem(field: string, moment: string): string | null {
  const moments = FOLLOW_UP_FIELDS.get(field);
  if (moments === undefined || (moments as readonly string[]).includes(moment)) return null;
  return `${field} is known only to a follow-up step timed from ${moments.join(' or ')}`;
}

/**
 * Fields the listener changes without the order being planned again (an answer, a reply): the
 * planner cannot know what they will be when the step is due, so it plans the step and leaves
 * them to the send-time check (policy/conditions.ts), which skips it with condition_not_met.
 */
export const SEND_TIME_FIELDS: ReadonlySet<string> = new Set([
  // The listener opens and resolves concerns after intake planned the event that raised them.
  'concern_open',
  // A later order counts up every earlier order's customer without planning those orders again.
  'customer.order_count',
  'customer.last_nps',
  'customer.engaged_since_delivery',
]);

/** Open families: `order.attributes.<x>`, `customer.attributes.<x>`, `moments.<moment>`. */
export const CONDITION_FIELD_PREFIXES = ['order.attributes.', 'customer.attributes.', 'moments.'] as const;

const KNOWN_FIELDS: ReadonlySet<string> = new Set(CONDITION_FIELDS);
const KNOWN_MOMENTS: ReadonlySet<string> = new Set(MOMENTS);

export function isConditionField(field: string): boolean {
  if (KNOWN_FIELDS.has(field)) return true;
  if (field.startsWith('moments.')) return KNOWN_MOMENTS.has(field.slice('moments.'.length));
  return CONDITION_FIELD_PREFIXES.some((prefix) => field.startsWith(prefix) && field.length > prefix.length);
}

/**
 * Everything a condition can test, flat and keyed by field name. Missing values are absent
 * (`exists: false`). Attributes are flattened one level: `order.attributes.plan`. `now` is the
 * time of evaluation, kept in the signature so time-relative facts can be added without
 * touching callers. `order.total_base` is the total in `fx`'s base currency, missing when the
 * order's currency has no rate (so `gte: 500` is not met rather than guessed).
 */
export function conditionFacts(
  customer: Customer,
  order: Order,
  _now: Millis,
  fx: CurrencyRates = DEFAULT_CURRENCY_RATES,
): Record<string, unknown> {
  const facts: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(order.attributes)) facts[`order.attributes.${key}`] = value;
  for (const [key, value] of Object.entries(customer.attributes)) facts[`customer.attributes.${key}`] = value;
  for (const moment of MOMENTS) {
    const at = order.moments[moment];
    if (at !== undefined) facts[`moments.${moment}`] = at;
  }
  const categories = new Set<string>();
  const skus = new Set<string>();
  let itemCount = 0;
  for (const item of order.items) {
    if (item.category !== null) categories.add(item.category);
    if (item.sku !== null) skus.add(item.sku);
    itemCount += item.quantity;
  }
  facts['segment'] = order.segment;
  facts['order.total'] = order.total;
  const totalBase = toBase(order.total, order.currency, fx);
  if (totalBase !== null) facts['order.total_base'] = totalBase;
  facts['order.currency'] = order.currency;
  facts['order.kind'] = order.kind;
  if (order.renewalPeriod !== null) facts['order.renewal_period'] = order.renewalPeriod;
  facts['order.renewal_cycle'] = order.renewalCycle;
  facts['order.item_count'] = itemCount;
  facts['order.categories'] = [...categories];
  facts['order.skus'] = [...skus];
  facts['order.first'] = order.sequence === 1;
  facts['order.sequence'] = order.sequence;
  facts['customer.order_count'] = customer.orderCount;
  facts['customer.locale'] = customer.locale;
  facts['customer.timezone'] = customer.timezone;
  const at = customer.email?.lastIndexOf('@') ?? -1;
  facts['customer.email_domain'] = at >= 0 ? customer.email?.slice(at + 1).toLowerCase() : null;
  facts['temperature'] = customer.temperature;
  facts['concern_open'] = customer.openConcerns > 0;
  facts['holdout'] = customer.holdout;
  facts['customer.last_nps'] = customer.lastNps;
  facts['customer.engaged_since_delivery'] = engagedSinceDelivery(customer, order);
  return facts;
}

/** Whether they did anything themselves since the order arrived; null before it arrived. */
function engagedSinceDelivery(customer: Customer, order: Order): boolean | null {
  const delivered = order.moments.delivered;
  if (delivered === undefined) return null;
  return customer.engagedAt !== null && customer.engagedAt >= delivered;
}

/** Every field `condition` tests (what evaluateCondition will read of the facts). */
export function conditionFields(condition: Condition, into: Set<string> = new Set()): Set<string> {
  if ('all' in condition) for (const c of condition.all) conditionFields(c, into);
  else if ('any' in condition) for (const c of condition.any) conditionFields(c, into);
  else if ('not' in condition) conditionFields(condition.not, into);
  else into.add(condition.field);
  return into;
}

const ORDER_ATTRIBUTES = 'order.attributes.';
const CUSTOMER_ATTRIBUTES = 'customer.attributes.';
const MOMENT_FIELDS = 'moments.';
const ABSENT: unique symbol = Symbol('absent');

/**
 * `conditionFacts` cut down to `fields`: the same value (or absence) for each of them, so a
 * condition on those fields evaluates the same. For callers that evaluate on every event (the
 * planner): building every fact costs microseconds, a playbook tests a handful.
 */
export function conditionFactsFor(
  fields: readonly string[],
  customer: Customer,
  order: Order,
  _now: Millis,
  fx: CurrencyRates = DEFAULT_CURRENCY_RATES,
): Record<string, unknown> {
  const facts: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const field of fields) {
    const value = factOf(field, customer, order, fx);
    if (value !== ABSENT) facts[field] = value;
  }
  return facts;
}

/** One fact as conditionFacts computes it. */
function factOf(field: string, customer: Customer, order: Order, fx: CurrencyRates): unknown {
  switch (field) {
    case 'segment':
      return order.segment;
    case 'order.total':
      return order.total;
    case 'order.total_base':
      return toBase(order.total, order.currency, fx) ?? ABSENT;
    case 'order.currency':
      return order.currency;
    case 'order.kind':
      return order.kind;
    case 'order.renewal_period':
      return order.renewalPeriod ?? ABSENT;
    case 'order.renewal_cycle':
      return order.renewalCycle;
    case 'order.item_count': {
      let itemCount = 0;
      for (const item of order.items) itemCount += item.quantity;
      return itemCount;
    }
    case 'order.categories': {
      const categories = new Set<string>();
      for (const item of order.items) if (item.category !== null) categories.add(item.category);
      return [...categories];
    }
    case 'order.skus': {
      const skus = new Set<string>();
      for (const item of order.items) if (item.sku !== null) skus.add(item.sku);
      return [...skus];
    }
    case 'order.first':
      return order.sequence === 1;
    case 'order.sequence':
      return order.sequence;
    case 'customer.order_count':
      return customer.orderCount;
    case 'customer.locale':
      return customer.locale;
    case 'customer.timezone':
      return customer.timezone;
    case 'customer.email_domain': {
      const at = customer.email?.lastIndexOf('@') ?? -1;
      return at >= 0 ? customer.email?.slice(at + 1).toLowerCase() : null;
    }
    case 'temperature':
      return customer.temperature;
    case 'concern_open':
      return customer.openConcerns > 0;
    case 'holdout':
      return customer.holdout;
    case 'customer.last_nps':
      return customer.lastNps;
    case 'customer.engaged_since_delivery':
      return engagedSinceDelivery(customer, order);
  }
  if (field.startsWith(MOMENT_FIELDS)) {
    const moment = field.slice(MOMENT_FIELDS.length);
    if (!KNOWN_MOMENTS.has(moment)) return ABSENT;
    const at = order.moments[moment as Moment];
    return at === undefined ? ABSENT : at;
  }
  if (field.startsWith(ORDER_ATTRIBUTES))
    return ownValue(order.attributes, field.slice(ORDER_ATTRIBUTES.length));
  if (field.startsWith(CUSTOMER_ATTRIBUTES)) {
    return ownValue(customer.attributes, field.slice(CUSTOMER_ATTRIBUTES.length));
  }
  return ABSENT;
}

/** As Object.entries sees it: own enumerable keys only. */
function ownValue(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.propertyIsEnumerable.call(record, key) ? record[key] : ABSENT;
}

/**
 * Missing facts (absent or null) never satisfy a comparison: `eq`, `gt`, `in`, `contains` are
 * false and their negations `ne`, `not_in` are true — except `eq: null`, which asks for a
 * missing value. Ordering compares numbers with numbers (numeric strings count) and strings
 * with strings (so ISO dates order correctly). `in` on a list fact means "any overlap".
 */
export function evaluateCondition(condition: Condition, facts: Record<string, unknown>): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, facts));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, facts));
  if ('not' in condition) return !evaluateCondition(condition.not, facts);
  const fact = facts[condition.field];
  const expected = condition.value;
  switch (condition.op) {
    case 'exists':
      return (fact !== undefined && fact !== null) === (expected !== false);
    case 'eq':
      return equals(fact, expected);
    case 'ne':
      return !equals(fact, expected);
    case 'gt':
      return compare(fact, expected, (d) => d > 0);
    case 'gte':
      return compare(fact, expected, (d) => d >= 0);
    case 'lt':
      return compare(fact, expected, (d) => d < 0);
    case 'lte':
      return compare(fact, expected, (d) => d <= 0);
    case 'in':
      return isIn(fact, expected);
    case 'not_in':
      return !isIn(fact, expected);
    case 'contains':
      return contains(fact, expected);
  }
}

/**
 * evaluateCondition for a moment when the `unknown` fields cannot be known yet: true or false
 * when the rest decides it whatever they turn out to be, null when it depends on them.
 */
export function evaluateKnown(
  condition: Condition,
  facts: Record<string, unknown>,
  unknown: ReadonlySet<string>,
): boolean | null {
  if ('all' in condition) {
    let result: boolean | null = true;
    for (const c of condition.all) {
      const value = evaluateKnown(c, facts, unknown);
      if (value === false) return false;
      if (value === null) result = null;
    }
    return result;
  }
  if ('any' in condition) {
    let result: boolean | null = false;
    for (const c of condition.any) {
      const value = evaluateKnown(c, facts, unknown);
      if (value === true) return true;
      if (value === null) result = null;
    }
    return result;
  }
  if ('not' in condition) {
    const value = evaluateKnown(condition.not, facts, unknown);
    return value === null ? null : !value;
  }
  return unknown.has(condition.field) ? null : evaluateCondition(condition, facts);
}

function isMissing(value: unknown): value is null | undefined {
  return value === undefined || value === null;
}

function equals(fact: unknown, expected: unknown): boolean {
  if (isMissing(fact)) return expected === null;
  return fact === expected;
}

function compare(fact: unknown, expected: unknown, test: (difference: number) => boolean): boolean {
  if (typeof fact === 'string' && typeof expected === 'string') {
    return test(fact < expected ? -1 : fact > expected ? 1 : 0);
  }
  const a = toNumber(fact);
  const b = toNumber(expected);
  return a !== null && b !== null && test(a - b);
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function isIn(fact: unknown, expected: unknown): boolean {
  if (!Array.isArray(expected)) return false;
  if (Array.isArray(fact)) return fact.some((f) => expected.includes(f));
  if (isMissing(fact)) return expected.includes(null);
  return expected.includes(fact);
}

function contains(fact: unknown, expected: unknown): boolean {
  if (Array.isArray(fact)) return fact.includes(expected);
  if (typeof fact === 'string' && typeof expected === 'string') return fact.includes(expected);
  return false;
}
