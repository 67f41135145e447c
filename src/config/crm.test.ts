import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { loadConfig } from '../config.js';

type ConfigError = {
  code: string;
  message: string;
  details: { issues: { variable: string; problem: string }[] };
};

test('the CRM webhooks are off by default', () => {
  assert.deepEqual({ ...loadConfig({}).crm }, { hubspot: null, pipedrive: null });
});

test("HubSpot takes its default pipeline's closing stages unless told others; secrets never print", () => {
  const defaults = loadConfig({ AFTERCARE_HUBSPOT_CLIENT_SECRET: '6f0c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f' });
  assert.deepEqual(
    { ...defaults.crm.hubspot },
    {
      clientSecret: '6f0c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f',
      webhookUrl: null,
      wonStages: ['closedwon'],
      lostStages: ['closedlost'],
    },
  );
  const config = loadConfig({
    AFTERCARE_HUBSPOT_CLIENT_SECRET: '6f0c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f',
    AFTERCARE_HUBSPOT_WEBHOOK_URL: 'https://care.example/webhooks/hubspot?via=proxy',
    AFTERCARE_HUBSPOT_WON_STAGES: ' closedwon, 1180334 ,1180334',
    AFTERCARE_HUBSPOT_LOST_STAGES: '1180335',
    AFTERCARE_PIPEDRIVE_WEBHOOK_USER: 'aftercare-deals',
    AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD: 'pd-hook-3b9f1c7e5a2d',
  });
  assert.equal(config.crm.hubspot?.webhookUrl, 'https://care.example/webhooks/hubspot?via=proxy');
  assert.deepEqual(config.crm.hubspot?.wonStages, ['closedwon', '1180334']);
  assert.deepEqual(config.crm.hubspot?.lostStages, ['1180335']);
  assert.deepEqual(
    { ...config.crm.pipedrive },
    { user: 'aftercare-deals', password: 'pd-hook-3b9f1c7e5a2d' },
  );
  const printed = JSON.stringify(config) + inspect(config, { depth: 6 });
  for (const secret of ['6f0c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f', 'pd-hook-3b9f1c7e5a2d'])
    assert.equal(printed.includes(secret), false, secret);
  assert.equal(printed.includes('aftercare-deals'), true);
});

test('half-set, contradictory or malformed CRM settings are named, secrets by variable only', () => {
  assert.throws(
    () =>
      loadConfig({
        AFTERCARE_HUBSPOT_CLIENT_SECRET: 'tiny-key',
        AFTERCARE_HUBSPOT_WON_STAGES: 'closedwon,',
      }),
    (error: ConfigError) => {
      assert.equal(error.code, 'AFTERCARE_E_CONFIG');
      assert.deepEqual(error.details.issues.map((i) => i.variable).sort(), [
        'AFTERCARE_HUBSPOT_CLIENT_SECRET',
        'AFTERCARE_HUBSPOT_WON_STAGES',
      ]);
      assert.equal(error.message.includes('tiny-key'), false);
      return true;
    },
  );
  assert.throws(
    () =>
      loadConfig({
        AFTERCARE_HUBSPOT_CLIENT_SECRET: '6f0c1d2e-8a3b-4c5d-9e7f-0a1b2c3d4e5f',
        AFTERCARE_HUBSPOT_WON_STAGES: 'closedwon,1180334',
        AFTERCARE_HUBSPOT_LOST_STAGES: '1180334',
      }),
    (error: ConfigError) => {
      assert.deepEqual(error.details.issues, [
        {
          variable: 'AFTERCARE_HUBSPOT_LOST_STAGES',
          problem: 'names "1180334", which AFTERCARE_HUBSPOT_WON_STAGES names too',
        },
      ]);
      return true;
    },
  );
  assert.throws(
    () => loadConfig({ AFTERCARE_HUBSPOT_WEBHOOK_URL: 'ftp://care.example/hook' }),
    (error: ConfigError) => {
      assert.deepEqual(error.details.issues, [
        {
          variable: 'AFTERCARE_HUBSPOT_WEBHOOK_URL',
          problem: '"ftp://care.example/hook" is not an http(s) URL',
        },
      ]);
      return true;
    },
  );
  // Stage lists without the secret would silently do nothing; a password needs its user.
  assert.throws(
    () =>
      loadConfig({
        AFTERCARE_HUBSPOT_LOST_STAGES: 'closedlost,1180335',
        AFTERCARE_PIPEDRIVE_WEBHOOK_PASSWORD: 'pd-hook-3b9f1c7e5a2d',
      }),
    (error: ConfigError) => {
      assert.deepEqual(error.details.issues, [
        {
          variable: 'AFTERCARE_HUBSPOT_LOST_STAGES',
          problem: 'is set but AFTERCARE_HUBSPOT_CLIENT_SECRET is not',
        },
        {
          variable: 'AFTERCARE_PIPEDRIVE_WEBHOOK_USER',
          problem: 'is required once the other Pipedrive webhook credential is set',
        },
      ]);
      assert.equal(error.message.includes('pd-hook'), false);
      return true;
    },
  );
});
