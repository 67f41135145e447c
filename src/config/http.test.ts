import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../config.js';
import { parseBoolean, parseByteSize, parseHost, parsePort, parseRateLimit } from './http.js';

test('HTTP defaults: loopback, 8080, 1 MiB, per-key and per-address limits', () => {
  assert.deepEqual(loadConfig({}).http, {
    host: '127.0.0.1',
    port: 8080,
    bodyLimitBytes: 1024 * 1024,
    keyRateLimit: { max: 1200, windowMs: 60_000 },
    ipRateLimit: { max: 2400, windowMs: 60_000 },
    trustProxy: false,
  });
});

test('HTTP variables are read and each bad one is named', () => {
  const config = loadConfig({
    AFTERCARE_HOST: '0.0.0.0',
    AFTERCARE_PORT: '0',
    AFTERCARE_BODY_LIMIT: '256kb',
    AFTERCARE_API_RATE_LIMIT: '100/10s',
    AFTERCARE_API_IP_RATE_LIMIT: '50/1h',
    AFTERCARE_TRUST_PROXY: 'yes',
  });
  assert.deepEqual(config.http, {
    host: '0.0.0.0',
    port: 0,
    bodyLimitBytes: 256 * 1024,
    keyRateLimit: { max: 100, windowMs: 10_000 },
    ipRateLimit: { max: 50, windowMs: 3_600_000 },
    trustProxy: true,
  });
  assert.throws(
    () =>
      loadConfig({
        AFTERCARE_PORT: '70000',
        AFTERCARE_BODY_LIMIT: '12',
        AFTERCARE_API_RATE_LIMIT: '0/1m',
        AFTERCARE_TRUST_PROXY: 'maybe',
      }),
    (error: { code: string; details: { issues: { variable: string }[] } }) => {
      assert.equal(error.code, 'AFTERCARE_E_CONFIG');
      assert.deepEqual(
        error.details.issues.map((i) => i.variable),
        ['AFTERCARE_PORT', 'AFTERCARE_BODY_LIMIT', 'AFTERCARE_API_RATE_LIMIT', 'AFTERCARE_TRUST_PROXY'],
      );
      return true;
    },
  );
});

test('value parsers', () => {
  assert.deepEqual(parsePort('443'), { ok: true, value: 443 });
  assert.equal(parsePort('-1').ok, false);
  assert.equal(parsePort('80a').ok, false);
  assert.equal(parseHost('::').ok, true);
  assert.equal(parseHost('evil host').ok, false);
  assert.deepEqual(parseByteSize('2MB'), { ok: true, value: 2 * 1024 * 1024 });
  assert.deepEqual(parseByteSize('4096'), { ok: true, value: 4096 });
  assert.equal(parseByteSize('1gb').ok, false);
  assert.equal(parseByteSize('100mb').ok, false);
  assert.deepEqual(parseRateLimit('600 / 1m'), { ok: true, value: { max: 600, windowMs: 60_000 } });
  assert.deepEqual(parseRateLimit('5/30s'), { ok: true, value: { max: 5, windowMs: 30_000 } });
  assert.equal(parseRateLimit('5/0s').ok, false);
  assert.equal(parseRateLimit('5').ok, false);
  assert.equal(parseRateLimit('5/soon').ok, false);
  assert.deepEqual(parseBoolean('OFF'), { ok: true, value: false });
});
