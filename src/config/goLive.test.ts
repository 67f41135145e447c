// Go-live problems of a valid configuration: the demo's business details, example addresses and
// localhost or plain-http links on real mail, no link secret, no control group; and a shop set up
// properly has none but what is worth a look.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, test } from 'node:test';
import { loadConfig } from '../config.js';
import { goLiveProblems } from './goLive.js';

const SECRET = 'k3y-'.repeat(12);
const DKIM_KEY = generateKeyPairSync('rsa', { modulusLength: 1024 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** A shop ready to send real mail. */
const READY = {
  AFTERCARE_SECRET: SECRET,
  SMTP_URL: 'smtps://mailer:pw@smtp.lindqvist-keramik.se:465',
  AFTERCARE_PUBLIC_URL: 'https://care.lindqvist-keramik.se',
  AFTERCARE_BUSINESS_NAME: 'Lindqvist Keramik',
  AFTERCARE_POSTAL_ADDRESS: 'Hornsgatan 12, 118 20 Stockholm, Sweden',
  AFTERCARE_SUPPORT_EMAIL: 'hej@lindqvist-keramik.se',
  AFTERCARE_ESCALATION_NAME: 'Sara Lindqvist',
  AFTERCARE_ESCALATION_EMAIL: 'sara@lindqvist-keramik.se',
  AFTERCARE_DKIM_DOMAIN: 'lindqvist-keramik.se',
  AFTERCARE_DKIM_SELECTOR: 'care2026',
  AFTERCARE_DKIM_PRIVATE_KEY: DKIM_KEY,
};

const problemsOf = (env: Record<string, string | undefined>) =>
  goLiveProblems(loadConfig(env)).map((p) => [p.severity, p.variable]);

describe('go-live problems', () => {
  test('a shop set up for real mail has none', () => {
    assert.deepEqual(problemsOf(READY), []);
  });

  test('SMTP with the demo settings: every one of them is an error, each with what to do', () => {
    const problems = goLiveProblems(loadConfig({ SMTP_URL: 'smtp://smtp.example.net:587' }));
    assert.deepEqual(
      problems.map((p) => [p.severity, p.variable]),
      [
        ['error', 'AFTERCARE_SECRET'],
        ['error', 'AFTERCARE_BUSINESS_NAME'],
        ['error', 'AFTERCARE_POSTAL_ADDRESS'],
        ['error', 'AFTERCARE_SUPPORT_EMAIL'],
        ['error', 'AFTERCARE_ESCALATION_NAME'],
        ['error', 'AFTERCARE_PUBLIC_URL'],
        ['warning', 'AFTERCARE_DKIM_DOMAIN'],
      ],
    );
    for (const p of problems) assert.ok(p.problem.length > 20 && p.fix.length > 10, p.variable);
    assert.match(problems.find((p) => p.variable === 'AFTERCARE_PUBLIC_URL')!.problem, /localhost:8080/);
  });

  test('links: localhost, loopback and private addresses, or plain http, are errors with SMTP', () => {
    for (const url of [
      'http://127.0.0.1:8080',
      'https://localhost',
      'https://[::1]:8443',
      'https://192.168.1.20',
      'https://aftercare.local',
    ]) {
      assert.deepEqual(
        problemsOf({ ...READY, AFTERCARE_PUBLIC_URL: url }),
        [['error', 'AFTERCARE_PUBLIC_URL']],
        url,
      );
    }
    const plain = goLiveProblems(
      loadConfig({ ...READY, AFTERCARE_PUBLIC_URL: 'http://care.lindqvist-keramik.se' }),
    );
    assert.match(plain[0]!.problem, /plain http: one-click unsubscribe/);
    // Without SMTP nothing reaches a customer, so links and the business's details do not matter yet.
    assert.deepEqual(problemsOf({ AFTERCARE_SECRET: SECRET }), [['warning', 'SMTP_URL']]);
  });

  test('example addresses anywhere customers or escalations would write to', () => {
    assert.deepEqual(
      problemsOf({
        ...READY,
        AFTERCARE_SUPPORT_EMAIL: 'help@shop.test',
        AFTERCARE_EMAIL_FROM: 'Lindqvist <noreply@example.org>',
        AFTERCARE_ESCALATION_EMAIL: 'boss@example.com',
      }),
      [
        ['error', 'AFTERCARE_SUPPORT_EMAIL'],
        ['error', 'AFTERCARE_EMAIL_FROM'],
        ['error', 'AFTERCARE_ESCALATION_EMAIL'],
      ],
    );
  });

  test('the control group: none, or most customers, is worth a warning', () => {
    assert.deepEqual(problemsOf({ ...READY, AFTERCARE_HOLDOUT: '0' }), [['warning', 'AFTERCARE_HOLDOUT']]);
    assert.deepEqual(problemsOf({ ...READY, AFTERCARE_HOLDOUT: '80%' }), [['warning', 'AFTERCARE_HOLDOUT']]);
    assert.deepEqual(problemsOf({ ...READY, AFTERCARE_HOLDOUT: '0.1' }), []);
    assert.deepEqual(problemsOf({ ...READY, AFTERCARE_MEASUREMENT: 'off' }), [
      ['warning', 'AFTERCARE_MEASUREMENT'],
    ]);
    // Without a holdout there is nothing to compare: no second warning about the surveys.
    assert.deepEqual(problemsOf({ ...READY, AFTERCARE_HOLDOUT: '0', AFTERCARE_MEASUREMENT: 'off' }), [
      ['warning', 'AFTERCARE_HOLDOUT'],
    ]);
  });
});
