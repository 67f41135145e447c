import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.js';
import { integrationChannels } from './configured.js';

test('webhook and SMS channels exist exactly when configured', () => {
  assert.deepEqual(integrationChannels(loadConfig({}).integrations), []);
  const config = loadConfig({
    AFTERCARE_WEBHOOK_URL: 'https://crm.example.com/hooks',
    AFTERCARE_WEBHOOK_SECRET: 'whsec_' + Buffer.alloc(32, 2).toString('base64'),
    AFTERCARE_SMS_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
    AFTERCARE_SMS_AUTH_TOKEN: 'token-0123456789',
    AFTERCARE_SMS_FROM: '+14155550123',
  });
  assert.deepEqual(
    integrationChannels(config.integrations).map((channel) => channel.handles),
    [['webhook'], ['sms']],
  );
});
