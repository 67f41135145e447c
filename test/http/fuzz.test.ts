// Fuzzing the API: thousands of seeded, generated requests (malformed JSON, wrong types, huge and
// deeply nested bodies, random bytes, odd headers, paths and query strings). Every answer must be
// below 500 and, for errors, a JSON body with an AFTERCARE_E_* code; the server must still answer
// afterwards. Bounded in time: it stops early rather than run long on a slow machine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { API_PREFIX, API_ROUTES } from '../../src/http/api.js';
import { T0, openTestApp, orderBody, type TestApp } from './harness.js';
import { pick, seededRandom } from './random.js';

const CASES = 3000;
const BUDGET_MS = 90_000;

let t: TestApp;
before(async () => {
  t = await openTestApp({
    AFTERCARE_API_RATE_LIMIT: '1000000/1m',
    AFTERCARE_API_IP_RATE_LIMIT: '1000000/1m',
    AFTERCARE_BODY_LIMIT: '256kb',
  });
});
after(async () => {
  await t.close();
});

type Random = () => number;

const int = (random: Random, max: number): number => Math.floor(random() * max);

function randomString(random: Random, max = 40): string {
  const alphabets = [
    'abcdefghijklmnopqrstuvwxyz0123456789',
    ' \t\n\r"\\/{}[]:,\u0000\u001f',
    'äöüß€漢字🙂\u202e\ud800',
    '%?#&=+.;@',
  ];
  let out = '';
  const length = int(random, max);
  for (let i = 0; i < length; i++) {
    const alphabet = pick(alphabets, random);
    out += alphabet[int(random, alphabet.length)] ?? '';
  }
  return out;
}

function randomValue(random: Random, depth = 0): unknown {
  switch (int(random, depth > 3 ? 7 : 9)) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER], random);
    case 3:
      return randomString(random);
    case 4:
      return pick(
        ['2026-06-01T12:00:00Z', '2026-13-45T99:99:99Z', '', 'now', '1970-01-01T00:00:00+14:00'],
        random,
      );
    case 5:
      return 'x'.repeat(int(random, 20_000));
    case 6:
      return pick(['order.placed', 'shipment.delivered', 'survey.answered', 'nope'], random);
    case 7:
      return Array.from({ length: int(random, 5) }, () => randomValue(random, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: int(random, 5) }, () => [
          randomString(random, 10),
          randomValue(random, depth + 1),
        ]),
      );
  }
}

/** A valid body with a few fields replaced, removed or added at random depth. */
function mutate(value: unknown, random: Random): unknown {
  if (typeof value !== 'object' || value === null) return random() < 0.3 ? randomValue(random) : value;
  const copy: Record<string, unknown> = Array.isArray(value)
    ? { ...value }
    : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  for (let i = 0; i < 1 + int(random, 3); i++) {
    const action = int(random, 4);
    const key = keys.length > 0 ? pick(keys, random) : 'x';
    if (action === 0) copy[key] = randomValue(random);
    else if (action === 1) delete copy[key];
    else if (action === 2) copy[randomString(random, 12) || 'k'] = randomValue(random);
    else copy[key] = mutate(copy[key], random);
  }
  return Array.isArray(value) ? Object.values(copy) : copy;
}

function deeplyNested(random: Random): string {
  const depth = 1000 + int(random, 60_000);
  return random() < 0.5
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `{"id":"deep","data":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
}

function validBody(random: Random): unknown {
  const at = new Date(T0).toISOString();
  return pick(
    [
      orderBody(`fz-${int(random, 50)}`),
      { id: `ev-${int(random, 50)}`, type: 'shipment.shipped', at, orderId: `fz-${int(random, 50)}` },
      { events: [{ id: 'b1', type: 'survey.answered', at, customerId: 'c', data: { score: 7 } }] },
      { dueAt: at },
      { owner: 'kim' },
      { outcome: 'reached' },
      { yaml: 'name: x\nversion: 1\nsteps: []' },
    ],
    random,
  );
}

function body(random: Random): { payload?: string | Buffer; type?: string } {
  switch (int(random, 11)) {
    case 0:
      return {};
    case 1: {
      const text = JSON.stringify(validBody(random));
      return { payload: text.slice(0, int(random, text.length)), type: 'application/json' };
    }
    case 2:
      return { payload: deeplyNested(random), type: 'application/json' };
    case 3:
      return {
        payload: Buffer.from(Array.from({ length: int(random, 4096) }, () => int(random, 256))),
        type: pick(
          ['application/json', 'application/octet-stream', 'text/yaml', 'multipart/form-data; boundary=x'],
          random,
        ),
      };
    case 4:
      return { payload: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }), type: 'application/json' };
    case 5:
      return { payload: JSON.stringify(randomValue(random)), type: 'application/json' };
    case 6:
      return {
        payload: pick(
          [
            '{"__proto__":{"x":1}}',
            '{"constructor":{"prototype":{"x":1}}}',
            '{"a":1,"a":2}',
            'null',
            '[]',
            '"str"',
            '1e999',
            '\ufeff{}',
          ],
          random,
        ),
        type: 'application/json',
      };
    case 7:
      return {
        payload: randomString(random, 2000),
        type: pick(
          ['text/plain', 'application/yaml', 'application/json; charset=latin1', 'application/json'],
          random,
        ),
      };
    case 8:
      return { payload: JSON.stringify(validBody(random)), type: 'application/json' };
    default:
      return { payload: JSON.stringify(mutate(validBody(random), random)), type: 'application/json' };
  }
}

function path(random: Random): { method: InjectOptions['method']; url: string } {
  if (random() < 0.1) {
    return {
      method: pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const, random),
      url: pick(
        [
          '/',
          '/api',
          '/api/v1/',
          '/api/v1/%',
          '/api/v1/customers/%E0%A4%A',
          '/..%2f..%2fetc/passwd',
          `/api/v1/${'a/'.repeat(200)}`,
        ],
        random,
      ),
    };
  }
  const route = pick(API_ROUTES, random);
  // A lone surrogate cannot be percent-encoded; Buffer turns it into U+FFFD first.
  const encode = (text: string): string => encodeURIComponent(Buffer.from(text, 'utf8').toString('utf8'));
  const segment = (): string =>
    encode(pick(['fz-1', randomString(random, 30) || 'x', 'x'.repeat(1200), '..', ' '], random));
  let url = API_PREFIX + route.path.replace(/:\w+/g, segment);
  if (random() < 0.3) {
    url += `?${pick(['email', 'status', 'limit', 'type', 'customerId', 'junk'], random)}=${encode(randomString(random, 20))}`;
    if (random() < 0.3) url += `&limit=${pick(['-1', '0', '1e9', 'abc', '5'], random)}`;
  }
  return {
    method: random() < 0.9 ? route.method : pick(['GET', 'POST', 'PATCH', 'DELETE'] as const, random),
    url,
  };
}

function headers(random: Random, type: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (random() < 0.9)
    out.authorization = random() < 0.9 ? t.auth.authorization : `Bearer ${randomString(random, 60)}`;
  if (type !== undefined) out['content-type'] = type;
  if (random() < 0.2)
    out['idempotency-key'] =
      random() < 0.7 ? `fz-${int(random, 20)}` : randomString(random, 300).replace(/[\r\n]/g, '');
  if (random() < 0.05) out['content-encoding'] = pick(['gzip', 'br', 'identity'], random);
  return out;
}

describe('API fuzzing', () => {
  test(`${CASES} generated requests: no 5xx, errors always carry a code, the server keeps answering`, async () => {
    const random = seededRandom(20260601);
    const started = Date.now();
    let ran = 0;
    const statuses = new Map<number, number>();
    for (; ran < CASES && Date.now() - started < BUDGET_MS; ran++) {
      const target = path(random);
      const { payload, type } = body(random);
      const request: InjectOptions = { ...target, headers: headers(random, type) };
      if (payload !== undefined && target.method !== 'GET' && target.method !== 'HEAD')
        request.payload = payload;
      let response;
      try {
        response = await t.app.inject(request);
      } catch (error) {
        assert.fail(`case ${ran} threw: ${String(error)}: ${JSON.stringify(request).slice(0, 500)}`);
      }
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      assert.ok(
        response.statusCode < 500,
        `case ${ran}: ${response.statusCode} ${response.body.slice(0, 300)} for ${JSON.stringify(request).slice(0, 500)}`,
      );
      if (response.statusCode >= 400 && target.method !== 'HEAD') {
        const code = (JSON.parse(response.body) as { error?: { code?: string } }).error?.code;
        assert.match(String(code), /^AFTERCARE_E_[A-Z_]+$/, `case ${ran}: ${response.body.slice(0, 300)}`);
      }
    }
    assert.ok(ran >= 500, `only ${ran} cases in the time budget`);
    // A spread of answers, not one error repeated: the generator reaches the handlers.
    for (const status of [200, 400, 401, 404])
      assert.ok(statuses.has(status), `no ${status} in ${JSON.stringify([...statuses])}`);
    assert.equal((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await t.call({ method: 'GET', url: '/api/v1/playbooks' })).statusCode, 200);
  });
});
