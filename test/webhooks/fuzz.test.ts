// Seeded fuzzing of the webhook endpoints: malformed JSON, wrong types in otherwise real payloads
// (signed, so they reach the mappers and intake), huge and deeply nested bodies, bad signatures,
// replayed and stale timestamps. Whatever comes in: no crash, no 5xx, and whatever was
// acknowledged goes through the inbox drain without a failure. FUZZ_CASES and FUZZ_SEED change
// the run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../fixtures/webhooks/fixtures.js';
import {
  NOW,
  afterShipHeaders,
  shopifyHeaders,
  standardHeaders,
  stripeHeaders,
  webhookWorld,
  type WebhookWorld,
} from './app.js';

const CASES = Number(process.env.FUZZ_CASES ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 20260601);

/** mulberry32: small, fast, good enough to pick cases reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIXTURES: Record<string, string[]> = {
  shopify: [
    'shopify-orders-create',
    'shopify-orders-fulfilled',
    'shopify-orders-cancelled',
    'shopify-fulfillments-create',
    'shopify-fulfillments-update-delivered',
    'shopify-refunds-create',
  ],
  stripe: [
    'stripe-checkout-session-completed',
    'stripe-invoice-paid-first',
    'stripe-invoice-paid-renewal',
    'stripe-charge-refunded',
    'stripe-subscription-updated',
    'stripe-subscription-deleted',
  ],
  tracking: [
    'aftership-in-transit',
    'aftership-out-for-delivery',
    'aftership-delivered',
    'aftership-exception',
  ],
  standard: ['standard-order-placed'],
};
const SHOPIFY_TOPICS = [
  'orders/create',
  'orders/fulfilled',
  'orders/cancelled',
  'fulfillments/create',
  'fulfillments/update',
  'refunds/create',
  'app/uninstalled',
  '',
];

let world: WebhookWorld;
before(async () => {
  world = await webhookWorld();
});
after(() => world.close());

test(`${CASES} fuzzed webhook deliveries (seed ${SEED}): no crash, no 5xx`, async () => {
  const random = prng(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (max: number) => Math.floor(random() * max);

  const weird = (): unknown =>
    pick<() => unknown>([
      () => null,
      () => -1,
      () => 1e308,
      () => 0.1 + 0.2,
      () => Number.MAX_SAFE_INTEGER + 2,
      () => '',
      () => ' ',
      () => 'x'.repeat(5000),
      () => '2026-13-45T99:99:99Z',
      () => '\u0000\ud800',
      () => true,
      () => [],
      () => [null, 1, 'a'],
      () => ({}),
      () => ({ id: {}, nested: { deeper: [[[]]] } }),
      () => nest(int(200)),
    ])();

  function nest(depth: number): unknown {
    let value: unknown = 'bottom';
    for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { v: value };
    return value;
  }

  /** Replaces one random node of a real payload with something of the wrong kind. */
  function mutate(value: unknown, depth = 0): unknown {
    if (typeof value !== 'object' || value === null || depth > 6 || random() < 0.15) return weird();
    if (Array.isArray(value)) {
      if (value.length === 0) return weird();
      const copy = [...value];
      const index = int(copy.length);
      copy[index] = mutate(copy[index], depth + 1);
      return copy;
    }
    const copy = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0 || random() < 0.1) {
      copy[pick(['id', 'type', 'msg', 'data', 'line_items', 'created_at', 'zz'])] = weird();
      return copy;
    }
    const key = pick(keys);
    if (random() < 0.2) delete copy[key];
    else copy[key] = mutate(copy[key], depth + 1);
    return copy;
  }

  function body(source: string): Buffer {
    const kind = random();
    const base = fixture(pick(FIXTURES[source]!));
    if (kind < 0.45) {
      const parsed: unknown = JSON.parse(base.toString());
      let mutated = mutate(parsed);
      for (let i = int(3); i > 0; i -= 1) mutated = mutate(mutated);
      return Buffer.from(JSON.stringify(mutated));
    }
    if (kind < 0.6) return base.subarray(0, int(base.length)); // truncated JSON
    if (kind < 0.7) return Buffer.from(Array.from({ length: int(300) }, () => int(256))); // random bytes
    if (kind < 0.75) return Buffer.from('['.repeat(1000 + int(100_000)) + ']'.repeat(int(10)));
    if (kind < 0.78) return Buffer.from(JSON.stringify({ pad: 'p'.repeat(500_000 + int(1_000_000)) }));
    if (kind < 0.8)
      return Buffer.from(pick(['null', '1', '"s"', '[]', 'true', '{}', '{"__proto__":{"x":1}}']));
    return base;
  }

  function headers(source: string, payload: Buffer, n: number): Record<string, string> {
    const signing = random();
    const stamp =
      signing < 0.1
        ? NOW - (301 + int(100_000)) * 1000
        : signing < 0.15
          ? NOW + (301 + int(5000)) * 1000
          : NOW - int(200) * 1000;
    let h: Record<string, string>;
    switch (source) {
      case 'shopify':
        h = shopifyHeaders(payload, pick(SHOPIFY_TOPICS), random() < 0.3 ? 'replayed' : `fz-${n}`);
        break;
      case 'stripe':
        h = stripeHeaders(payload, stamp);
        break;
      case 'tracking':
        h = afterShipHeaders(payload);
        break;
      default:
        h = standardHeaders(payload, random() < 0.3 ? 'msg_replayed' : `msg_fz_${n}`, stamp);
    }
    const tamper = random();
    if (tamper < 0.1) {
      // A wrong signature of the right form, or junk in its place.
      for (const key of Object.keys(h)) {
        if (/hmac|signature/.test(key))
          h[key] =
            random() < 0.5
              ? `${h[key]!.slice(0, -4)}AAA=`
              : pick(['', 'v1=', 't=1,v1=zz', 'v1,', '=', '%%%']);
      }
    } else if (tamper < 0.15) {
      for (const key of Object.keys(h)) if (key !== 'content-type' && random() < 0.5) delete h[key];
    } else if (tamper < 0.18) {
      h['content-type'] = pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        '',
      ]);
    }
    return h;
  }

  const counts = new Map<number, number>();
  const started = Date.now();
  for (let n = 0; n < CASES; n += 1) {
    const source = pick(['shopify', 'stripe', 'tracking', 'standard']);
    const payload = body(source);
    const response = await world.app.inject({
      method: 'POST',
      url: `/webhooks/${source}`,
      payload,
      headers: headers(source, payload, n),
    });
    counts.set(response.statusCode, (counts.get(response.statusCode) ?? 0) + 1);
    assert.ok(
      response.statusCode < 500,
      `case ${n} (${source}): ${response.statusCode} ${response.body.slice(0, 300)}`,
    );
    assert.ok(
      [200, 202, 400, 401, 413, 415].includes(response.statusCode),
      `case ${n}: unexpected ${response.statusCode}`,
    );
  }
  const summary = Object.fromEntries([...counts].sort(([a], [b]) => a - b));
  console.log(`fuzz: ${CASES} cases in ${Date.now() - started} ms`, summary);
  // The run must reach every layer, not stop at the signature check.
  for (const status of [200, 400, 401])
    assert.ok((counts.get(status) ?? 0) > CASES / 50, `too few ${status}: ${JSON.stringify(summary)}`);
  // What was acknowledged went through intake afterwards: nothing left, nothing failed.
  await world.drained();
  const failures = world.logs.filter((line) => typeof line.msg === 'string' && /could not/.test(line.msg));
  assert.deepEqual(failures, []);
});
