import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { loadConfig } from '../config.js';

test('replies are off by default: no listener, no provider endpoint', () => {
  assert.deepEqual(
    { ...loadConfig({}).replies },
    { smtp: null, maxBytes: 10 * 1024 * 1024, postmark: null, mailgunSigningKey: null, sendgridToken: null },
  );
});

test('the listener and the provider secrets are read; secrets never print', () => {
  const config = loadConfig({
    AFTERCARE_INBOUND_SMTP_PORT: '2525',
    AFTERCARE_INBOUND_MAX_SIZE: '25mb',
    AFTERCARE_POSTMARK_INBOUND_USER: 'postmark',
    AFTERCARE_POSTMARK_INBOUND_PASSWORD: 'pm-9f8e7d6c5b4a3921',
    AFTERCARE_MAILGUN_SIGNING_KEY: 'key-7c1e5a9b3d2f4e6a8c0b',
    AFTERCARE_SENDGRID_INBOUND_TOKEN: 'sg_inbound_4QmZr8Xw2LpT6vYc',
  });
  assert.deepEqual(config.replies.smtp, { host: '127.0.0.1', port: 2525 });
  assert.equal(config.replies.maxBytes, 25 * 1024 * 1024);
  assert.deepEqual(config.replies.postmark, { user: 'postmark', password: 'pm-9f8e7d6c5b4a3921' });
  const printed = JSON.stringify(config) + inspect(config, { depth: 5 });
  for (const secret of ['pm-9f8e7d6c5b4a3921', 'key-7c1e5a9b3d2f4e6a8c0b', 'sg_inbound_4QmZr8Xw2LpT6vYc'])
    assert.equal(printed.includes(secret), false, secret);
});

test('half-set or malformed reply settings are named, secrets by variable only', () => {
  assert.throws(
    () =>
      loadConfig({
        AFTERCARE_MAILGUN_SIGNING_KEY: 'short',
        AFTERCARE_SENDGRID_INBOUND_TOKEN: 'has/slash-and-is-long-enough',
      }),
    (error: { code: string; message: string; details: { issues: { variable: string }[] } }) => {
      assert.equal(error.code, 'AFTERCARE_E_CONFIG');
      assert.deepEqual(error.details.issues.map((i) => i.variable).sort(), [
        'AFTERCARE_MAILGUN_SIGNING_KEY',
        'AFTERCARE_SENDGRID_INBOUND_TOKEN',
      ]);
      assert.equal(error.message.includes('has/slash'), false);
      return true;
    },
  );
  assert.throws(
    () =>
      loadConfig({ AFTERCARE_INBOUND_SMTP_HOST: '10.0.4.12', AFTERCARE_POSTMARK_INBOUND_USER: 'postmark' }),
    (error: { details: { issues: { variable: string }[] } }) => {
      assert.deepEqual(error.details.issues.map((i) => i.variable).sort(), [
        'AFTERCARE_INBOUND_SMTP_PORT',
        'AFTERCARE_POSTMARK_INBOUND_PASSWORD',
      ]);
      return true;
    },
  );
});
