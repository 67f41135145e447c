import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { AftercareError } from '../errors.js';
import { loadConfig } from '../config.js';

const STANDARD = 'whsec_' + Buffer.alloc(32, 3).toString('base64');
const OTHER = 'whsec_' + Buffer.alloc(32, 4).toString('base64');

function problems(env: Record<string, string>): Record<string, string> {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof AftercareError);
    const issues = error.details.issues as { variable: string; problem: string }[];
    return Object.fromEntries(issues.map((issue) => [issue.variable, issue.problem]));
  }
  assert.fail('expected the configuration to be refused');
}

test('nothing set: no webhook secrets, no outbound webhook, no SMS', () => {
  const { integrations } = loadConfig({});
  assert.deepEqual(integrations.inbound, { shopify: null, stripe: null, tracking: null, standard: null });
  assert.equal(integrations.webhook, null);
  assert.equal(integrations.sms, null);
  assert.deepEqual(integrations.webhookAllow, []);
});

test('secrets, endpoints and the SMS account are read, and never printed', () => {
  const config = loadConfig({
    SHOPIFY_WEBHOOK_SECRET: 'shpss_0123456789abcdef',
    STRIPE_WEBHOOK_SECRET: 'whsec_stripe_0123456789',
    TRACKING_WEBHOOK_SECRET: 'aftership-0123456789',
    STANDARD_WEBHOOK_SECRET: STANDARD,
    AFTERCARE_WEBHOOK_URL: 'https://crm.example.com/hooks/T0KEN123, https://ops.example.com',
    AFTERCARE_WEBHOOK_SECRET: `${STANDARD},${OTHER}`,
    AFTERCARE_WEBHOOK_ALLOW: 'Hooks.Internal, 10.20.0.0/16',
    AFTERCARE_SMS_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    AFTERCARE_SMS_AUTH_TOKEN: 'twilio-token-secret',
    AFTERCARE_SMS_FROM: '+1 (415) 555-0123',
    AFTERCARE_SMS_DEFAULT_COUNTRY: 'us',
  });
  const { integrations } = config;
  assert.equal(integrations.inbound.standard, STANDARD);
  assert.deepEqual(integrations.webhook?.endpoints, [
    { url: 'https://crm.example.com/hooks/T0KEN123', secret: STANDARD },
    { url: 'https://ops.example.com', secret: OTHER },
  ]);
  assert.deepEqual(integrations.webhookAllow, ['hooks.internal', '10.20.0.0/16']);
  assert.deepEqual(integrations.sms, {
    baseUrl: 'https://api.twilio.com',
    accountSid: 'AC0123456789abcdef0123456789abcdef',
    authToken: 'twilio-token-secret',
    from: '+14155550123',
    defaultCountry: 'US',
  });
  for (const printed of [JSON.stringify(config), inspect(config, { depth: 10 })]) {
    for (const secret of [
      'shpss_0123456789abcdef',
      'whsec_stripe',
      'aftership-0123',
      STANDARD,
      OTHER,
      'twilio-token-secret',
      'T0KEN123',
    ]) {
      assert.ok(!printed.includes(secret), `printed config shows ${secret}`);
    }
    assert.ok(printed.includes('crm.example.com'));
  }
});

test('one secret serves every endpoint', () => {
  const { integrations } = loadConfig({
    AFTERCARE_WEBHOOK_URL: 'https://a.example.com/x,https://b.example.com/y',
    AFTERCARE_WEBHOOK_SECRET: STANDARD,
  });
  assert.deepEqual(
    integrations.webhook?.endpoints.map((e) => e.secret),
    [STANDARD, STANDARD],
  );
});

test('each bad value is reported under its variable, secrets never quoted', () => {
  const found = problems({
    STRIPE_WEBHOOK_SECRET: 'sk_live_oops_api_key',
    STANDARD_WEBHOOK_SECRET: 'whsec_c2hvcnQ=',
    AFTERCARE_WEBHOOK_URL: 'ftp://files.example.com/x',
    AFTERCARE_WEBHOOK_SECRET: 'not-a-whsec-secret',
    AFTERCARE_WEBHOOK_ALLOW: '10.0.0.0/33',
    AFTERCARE_SMS_FROM: '12',
    AFTERCARE_SMS_DEFAULT_COUNTRY: 'XX',
  });
  assert.deepEqual(Object.keys(found).sort(), [
    'AFTERCARE_SMS_DEFAULT_COUNTRY',
    'AFTERCARE_SMS_FROM',
    'AFTERCARE_WEBHOOK_ALLOW',
    'AFTERCARE_WEBHOOK_SECRET',
    'AFTERCARE_WEBHOOK_URL',
    'STANDARD_WEBHOOK_SECRET',
    'STRIPE_WEBHOOK_SECRET',
  ]);
  assert.ok(!JSON.stringify(found).includes('sk_live_oops'));
  assert.ok(!JSON.stringify(found).includes('not-a-whsec'));
});

test('combinations: URL and secret together, counts that match, http only to a named host, SMS all or nothing', () => {
  assert.ok('AFTERCARE_WEBHOOK_SECRET' in problems({ AFTERCARE_WEBHOOK_URL: 'https://a.example.com' }));
  assert.ok('AFTERCARE_WEBHOOK_URL' in problems({ AFTERCARE_WEBHOOK_SECRET: STANDARD }));
  assert.match(
    problems({
      AFTERCARE_WEBHOOK_URL: 'https://a.example.com,https://b.example.com,https://c.example.com',
      AFTERCARE_WEBHOOK_SECRET: `${STANDARD},${OTHER}`,
    }).AFTERCARE_WEBHOOK_SECRET ?? '',
    /2 secrets for 3 URLs/,
  );
  assert.match(
    problems({ AFTERCARE_WEBHOOK_URL: 'http://127.0.0.1:9000/hook', AFTERCARE_WEBHOOK_SECRET: STANDARD })
      .AFTERCARE_WEBHOOK_URL ?? '',
    /plain http/,
  );
  const allowed = loadConfig({
    AFTERCARE_WEBHOOK_URL: 'http://127.0.0.1:9000/hook',
    AFTERCARE_WEBHOOK_SECRET: STANDARD,
    AFTERCARE_WEBHOOK_ALLOW: '127.0.0.1',
  });
  assert.equal(allowed.integrations.webhook?.endpoints[0]?.url, 'http://127.0.0.1:9000/hook');
  const sms = problems({ AFTERCARE_SMS_ACCOUNT_SID: 'AC0123' });
  assert.deepEqual(Object.keys(sms).sort(), ['AFTERCARE_SMS_AUTH_TOKEN', 'AFTERCARE_SMS_FROM']);
});
