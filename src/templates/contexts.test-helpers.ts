// Seeded random template contexts for the differential tests: real templateContext output from
// random customers and orders (missing, null and empty fields, unicode and HTML-special text,
// odd numbers, 0..n items, nested attributes, several locales, zones and currencies), then
// perturbed further (keys deleted, values swapped for other types). Same seed, same contexts.
import { readFileSync } from 'node:fs';
import type { BusinessInfo } from '../core/business.js';
import {
  PURPOSES,
  type Customer,
  type LineItem,
  type Order,
  type Shipment,
  type TouchPoint,
} from '../core/domain.js';
import { parsePlaybook } from '../core/playbook/parse.js';
import type { Step } from '../core/playbook/types.js';
import { templateContext, type TemplateContext } from './context.js';
import { packagePath } from './paths.js';

export interface Random {
  /** In [0, 1). */
  next(): number;
  int(below: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (below: number): number => Math.floor(next() * below);
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
  };
}

export const STRINGS: readonly string[] = [
  '',
  ' ',
  'Ana',
  'Zoë',
  "O'Brien",
  '<b>bold</b> & "quotes" \'single\'',
  'José Ñúñez',
  '山田 太郎',
  'Ελένη',
  'مرحبا',
  '👩‍💻 emoji 🎉',
  'line\nbreak',
  '  padded  ',
  'null',
  '0',
  'false',
  '{{ not liquid }} {% if %}',
  'a,b,,c',
  'x'.repeat(120),
  'Ünïcödé Straße',
  'tab\tseparated',
  'https://ex.example/a?b=1&c=2',
  'help@northwind.example',
  '2026-03-08T10:00:00.000+01:00',
  '123.45',
  '-7',
];
export const NUMBERS: readonly number[] = [
  0,
  1,
  -1,
  2,
  3.5,
  0.1 + 0.2,
  -12.75,
  1e21,
  1234567.891,
  Number.MAX_SAFE_INTEGER,
  -0,
  1e-7,
  640,
  499.99,
  500,
];
export const LOCALES: readonly (string | null)[] = [
  'en',
  'en-US',
  'de',
  'de_DE',
  'fr',
  'fr-CA',
  'es',
  'es-MX',
  'ja',
  'ja-JP',
  null,
  '',
  'xx',
];
export const ZONES: readonly string[] = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Europe/Paris',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Asia/Kolkata',
  'America/St_Johns',
  'Pacific/Auckland',
];
export const CURRENCIES: readonly string[] = ['USD', 'EUR', 'JPY', 'GBP', 'CHF', 'INR', 'KWD', 'XYZ', 'eur'];

const T_MIN = Date.UTC(2020, 0, 1);
const T_SPAN = Date.UTC(2030, 0, 1) - T_MIN;

/** Any plain value a context may hold, nested up to `depth`. */
export function randomValue(rng: Random, depth = 2): unknown {
  switch (rng.int(depth > 0 ? 8 : 6)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
    case 3:
      return rng.pick(STRINGS);
    case 4:
      return rng.pick(NUMBERS);
    case 5:
      return rng.chance(0.5) ? undefined : rng.int(20);
    case 6:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth - 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = rng.int(4); i > 0; i--)
        out[rng.pick(['a', 'b', 'name', 'size', 'first', 'x'])] = randomValue(rng, depth - 1);
      return out;
    }
  }
}

const text = (rng: Random, nullable = true): string | null =>
  nullable && rng.chance(0.25) ? null : rng.pick(STRINGS);
const time = (rng: Random): number => T_MIN + rng.int(T_SPAN);

function lineItem(rng: Random): LineItem {
  return {
    sku: text(rng),
    productName: rng.chance(0.7)
      ? rng.pick(['Aeron chair', 'Desk lamp', 'Café table', '机', 'Sofa <XL>'])
      : text(rng),
    category: text(rng),
    quantity: rng.pick([1, 1, 2, 3, 10, 0]),
    price: rng.chance(0.2) ? null : rng.pick(NUMBERS),
  };
}

function shipment(rng: Random, i: number): Shipment {
  return {
    id: `s${i}`,
    carrier: rng.chance(0.7) ? rng.pick(['UPS', 'DHL', 'La Poste', 'ヤマト運輸']) : null,
    trackingNumber: rng.chance(0.6) ? `1Z${rng.int(1e6)}` : null,
    trackingUrl: rng.chance(0.6) ? `https://track.example/${rng.int(1e6)}?a=1&b=<2>` : null,
    shippedAt: rng.chance(0.8) ? time(rng) : null,
    deliveredAt: rng.chance(0.4) ? time(rng) : null,
    status: rng.pick(['pending', 'in_transit', 'delivered', 'delayed'] as const),
  };
}

function attributes(rng: Random, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (rng.chance(0.4)) out[key] = randomValue(rng);
  return out;
}

export const reassureSteps: readonly Step[] = (() => {
  const path = packagePath('playbooks/reassure.yaml');
  const parsed = parsePlaybook(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new Error('the reassure playbook does not parse');
  return parsed.playbook.steps;
})();

/** A context for `step` (or a random step): random data through templateContext, then perturbed. */
export function randomContext(
  rng: Random,
  step: Step = rng.pick(reassureSteps),
  options: { perturb?: boolean } = {},
): TemplateContext {
  const placed = time(rng);
  const customer: Customer = {
    id: `c${rng.int(1000)}`,
    email: rng.chance(0.9) ? rng.pick(['ana@example.com', 'zoë@exämple.de', '"odd"@x.example']) : null,
    firstName: text(rng),
    lastName: text(rng),
    phone: rng.chance(0.5) ? '+49 30 1234567' : null,
    timezone: rng.chance(0.8) ? rng.pick(ZONES) : null,
    locale: rng.pick(LOCALES),
    segment: rng.pick(['b2c', 'b2b'] as const),
    holdout: false,
    temperature: 50,
    openConcerns: 0,
    temperatureReasons: [],
    awaitingPersonSince: null,
    lastNps: null,
    engagedAt: null,
    preferences: { topicsOff: [], channelsOff: [], pausedUntil: null },
    unsubscribedAt: null,
    emailBouncedAt: null,
    attributes: attributes(rng, ['company', 'plan', 'tags', 'vip', 'email', 'nested']),
    orderCount: 1,
    lastOrderId: null,
    createdAt: placed,
  };
  const moments: Order['moments'] = { placed };
  for (const moment of ['shipped', 'promised', 'delivered', 'renewal'] as const) {
    if (rng.chance(0.6)) moments[moment] = time(rng);
  }
  const order: Order = {
    id: rng.chance(0.9) ? `${1000 + rng.int(9000)}` : rng.pick(STRINGS),
    customerId: customer.id,
    number: null,
    shippingAddress: null,
    placedAt: placed,
    currency: rng.pick(CURRENCIES),
    total: rng.pick(NUMBERS),
    segment: customer.segment,
    kind: 'goods',
    renewalPeriod: null,
    renewalCycle: 1,
    items: Array.from({ length: rng.int(5) }, () => lineItem(rng)),
    shipments: Array.from({ length: rng.int(3) }, (_, i) => shipment(rng, i)),
    moments,
    attributes: attributes(rng, ['customer_story', 'offer_text', 'offer_url', 'renewal_amount', 'gift_note']),
    sequence: 1,
    updatedAt: placed,
  };
  const business: BusinessInfo = {
    name: rng.pick(['Northwind Desks', 'Café & Co <GmbH>', 'ノースウィンド']),
    website: rng.chance(0.6) ? 'https://northwind.example' : null,
    supportEmail: 'help@northwind.example',
    supportPhone: rng.chance(0.5) ? '+1 555 0199' : null,
    escalationName: rng.pick(['Maria Lopez', 'Jürgen Groß']),
    escalationEmail: 'maria@northwind.example',
    postalAddress: '1 Main St, Springfield',
    fromEmail: 'hello@northwind.example',
  };
  const links: Record<string, string> = {};
  for (const key of ['unsubscribe', 'survey', 'plan', 'help', 'tracking', 'tips_done']) {
    if (rng.chance(0.7))
      links[key] = `https://ac.example/${key}/${rng.int(100)}${rng.chance(0.3) ? '?t=1' : ''}`;
  }
  const chosen: Step = {
    ...step,
    purpose: rng.chance(0.3) ? rng.pick(PURPOSES) : step.purpose,
    survey: rng.chance(0.3) ? rng.pick(['csat', 'nps', null] as const) : step.survey,
  };
  const touchPoint = { id: `e1:${step.key}`, dueAt: time(rng) } as TouchPoint;
  const context = templateContext({
    customer,
    order,
    touchPoint,
    step: chosen,
    business,
    links,
    now: time(rng),
    zone: customer.timezone ?? rng.pick(ZONES),
  });
  if (step.tip !== undefined) {
    // What the dispatcher adds for a `tip: N` step (core/education/series.ts tipFor).
    context['tip'] = {
      subject: text(rng),
      text: rng.pick(STRINGS),
      number: step.tip,
      count: step.tip + rng.int(3),
      series: rng.pick(['espresso-machine', 'kitchen']),
      matched: rng.pick(['product "Barista Pro"', 'category "kitchen"', 'general']),
    };
  }
  return options.perturb === false ? context : perturb(rng, context);
}

/** Deletes, nulls or swaps a few values anywhere in the context, so no shape is taken for granted. */
function perturb(rng: Random, context: TemplateContext): TemplateContext {
  const objects: Record<string, unknown>[] = [];
  const collect = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (!Array.isArray(value)) objects.push(value as Record<string, unknown>);
    for (const inner of Object.values(value)) collect(inner);
  };
  collect(context);
  for (let n = rng.int(4); n > 0; n--) {
    const target = rng.pick(objects);
    const keys = Object.keys(target);
    if (keys.length === 0) continue;
    const key = rng.pick(keys);
    const what = rng.int(4);
    if (what === 0) delete target[key];
    else if (what === 1) target[key] = null;
    else if (what === 2) target[key] = '';
    else target[key] = randomValue(rng);
  }
  return context;
}

/** Extra variables for hand-written templates: numbers, strings, lists and nested objects. */
export function randomExtras(rng: Random): Record<string, unknown> {
  return {
    n: rng.pick(NUMBERS),
    m: rng.chance(0.3) ? rng.pick(STRINGS) : rng.pick(NUMBERS),
    s: rng.pick(STRINGS),
    t: rng.pick(STRINGS),
    flag: rng.pick([true, false, null, undefined, 0, '', 'yes']),
    xs: Array.from({ length: rng.int(7) }, () => randomValue(rng, 1)),
    words: Array.from({ length: rng.int(6) }, () => rng.pick(STRINGS)),
    nums: Array.from({ length: rng.int(6) }, () => rng.pick(NUMBERS)),
    people: Array.from({ length: rng.int(5) }, () => ({
      name: rng.pick(STRINGS),
      age: rng.chance(0.8) ? rng.pick(NUMBERS) : null,
      tags: Array.from({ length: rng.int(3) }, () => rng.pick(STRINGS)),
    })),
    deep: { a: { b: { c: randomValue(rng) } }, list: [randomValue(rng), { k: randomValue(rng) }] },
    when: rng.pick(['2026-03-08T10:00:00.000+01:00', '2024-02-29', '1700000000', 'not a date', '']),
    any: randomValue(rng),
  };
}
