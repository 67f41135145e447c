// loadConfig: defaults, every variable, problems named by variable, secrets kept out of
// messages and prints, a frozen result, and docs/configuration.md covering every variable.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { ENV_VARIABLES, loadConfig } from './config.js';
import { DEFAULT_POLICY_CONFIG } from './core/policy/defaults.js';
import { AftercareError } from './errors.js';

/** The policy without the tip series (read from files; tested in config/tips.test.ts). */
function withoutTips<T extends { tips?: unknown }>(policy: T): Omit<T, 'tips'> {
  const { tips: _tips, ...rest } = policy;
  return rest;
}

const DAY = 86_400_000;
const PEM = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const KEY_BODY = PEM.split('\n')[1]!; // a line of the secret, to look for in output

/** The config error for `env`, or a failed assertion if it loads. */
function configError(env: Record<string, string>): AftercareError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof AftercareError);
    assert.equal(error.code, 'AFTERCARE_E_CONFIG');
    return error;
  }
  assert.fail(`expected ${JSON.stringify(Object.keys(env))} to be refused`);
}

function problemVariables(error: AftercareError): string[] {
  const issues = error.details.issues as { variable: string; problem: string }[];
  return issues.map((issue) => issue.variable).sort();
}

describe('loadConfig defaults', () => {
  const config = loadConfig({});

  test('run the demo with nothing set', () => {
    assert.equal(config.db, './data/aftercare.db');
    assert.equal(config.dataDir, './data');
    assert.equal(config.outboxDir, './data/outbox');
    assert.equal(config.smtpUrl, null);
    assert.equal(config.emailFrom, '"Aftercare Demo Shop" <support@example.com>');
    assert.equal(config.dkim, null);
    assert.equal(config.publicUrl, 'http://localhost:8080');
    assert.equal(config.holdoutShare, 0.1);
    assert.equal(config.holdoutSalt, 'aftercare');
    assert.deepEqual(config.playbooks, ['reassure']);
    assert.equal(config.workerId, `${hostname()}:${process.pid}`);
    assert.equal(config.logLevel, 'info');
    assert.deepEqual(config.business, {
      name: 'Aftercare Demo Shop',
      website: null,
      supportEmail: 'support@example.com',
      supportPhone: null,
      escalationName: 'Alex Morgan',
      escalationEmail: 'alex.morgan@example.com',
      postalAddress: '1 Example Street, Springfield',
      fromEmail: 'support@example.com',
    });
  });

  test('policy defaults', () => {
    assert.deepEqual(withoutTips(config.policy), {
      defaultTimezone: 'UTC',
      currency: { base: 'USD', rates: {} },
      quietHours: { start: { hour: 20, minute: 0 }, end: { hour: 9, minute: 0 } },
      businessHours: { days: [1, 2, 3, 4, 5], start: { hour: 9, minute: 0 }, end: { hour: 17, minute: 0 } },
      frequencyCap: { max: 3, windowMs: 7 * DAY },
      offerDelayAfterDeliveryMs: 21 * DAY,
      maxLatenessMs: DEFAULT_POLICY_CONFIG.maxLatenessMs,
      surveyIntervalMs: 14 * DAY,
      awaitingPersonRecheckMs: DAY,
      sameStepWindowMs: DAY,
      measurementSurveys: true,
    });
    assert.equal(config.reportMaxLagMs, 0, 'reports count every changed day afresh');
  });

  test('agree with the policies module, so an unset variable means what the policies assume', () => {
    assert.deepEqual(withoutTips(config.policy), DEFAULT_POLICY_CONFIG);
  });

  test('empty and blank values mean unset', () => {
    assert.deepEqual(
      JSON.stringify(loadConfig({ AFTERCARE_TIMEZONE: '', SMTP_URL: '  ', AFTERCARE_HOLDOUT: '' })),
      JSON.stringify(config),
    );
  });
});

describe('loadConfig reads every variable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftercare-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('all of them at once', () => {
    const config = loadConfig({
      AFTERCARE_DB: '/var/lib/aftercare/main.db',
      AFTERCARE_DATA_DIR: '/var/lib/aftercare/',
      SMTP_URL: 'smtps://mailer:s3cret@smtp.example.com:465',
      AFTERCARE_EMAIL_FROM: 'Northwind, Inc. <care@northwind.example>',
      AFTERCARE_DKIM_DOMAIN: 'Northwind.example',
      AFTERCARE_DKIM_SELECTOR: 'mail2026',
      AFTERCARE_DKIM_PRIVATE_KEY: PEM,
      AFTERCARE_PUBLIC_URL: 'https://care.northwind.example/',
      AFTERCARE_TIMEZONE: 'Europe/Berlin',
      AFTERCARE_QUIET_HOURS: '21:30-08:15',
      AFTERCARE_BUSINESS_HOURS: 'Mon-Thu,Sat 08:00-16:30',
      AFTERCARE_FREQUENCY_CAP: '2 / 5d',
      AFTERCARE_OFFER_DELAY: '30d',
      AFTERCARE_SURVEY_INTERVAL: '3w',
      AFTERCARE_SAME_STEP_WINDOW: '36h',
      AFTERCARE_REPORT_MAX_LAG: '5m',
      AFTERCARE_BASE_CURRENCY: 'EUR',
      AFTERCARE_FX_RATES: 'USD=0.92,JPY=0.0061',
      AFTERCARE_HOLDOUT: '25%',
      AFTERCARE_HOLDOUT_SALT: 'northwind-2026',
      AFTERCARE_PLAYBOOKS: 'reassure, ./playbooks/b2b.yaml',
      AFTERCARE_WORKER_ID: 'worker-7',
      AFTERCARE_LOG_LEVEL: 'DEBUG',
      AFTERCARE_BUSINESS_NAME: 'Northwind, Inc.',
      AFTERCARE_BUSINESS_WEBSITE: 'https://northwind.example',
      AFTERCARE_SUPPORT_EMAIL: 'help@northwind.example',
      AFTERCARE_SUPPORT_PHONE: '+49 30 1234 5678',
      AFTERCARE_ESCALATION_NAME: 'Dana Schmidt',
      AFTERCARE_ESCALATION_EMAIL: 'dana@northwind.example',
      AFTERCARE_POSTAL_ADDRESS: 'Hauptstraße 1, 10115 Berlin',
      AFTERCARE_MEASUREMENT: 'OFF',
    });
    assert.equal(config.db, '/var/lib/aftercare/main.db');
    assert.equal(config.dataDir, '/var/lib/aftercare/');
    assert.equal(config.outboxDir, '/var/lib/aftercare/outbox');
    assert.equal(config.smtpUrl, 'smtps://mailer:s3cret@smtp.example.com:465');
    assert.equal(config.emailFrom, '"Northwind, Inc." <care@northwind.example>');
    assert.deepEqual(
      { ...config.dkim },
      { domainName: 'northwind.example', keySelector: 'mail2026', privateKey: PEM },
    );
    assert.equal(config.publicUrl, 'https://care.northwind.example');
    assert.deepEqual(withoutTips(config.policy), {
      defaultTimezone: 'Europe/Berlin',
      currency: { base: 'EUR', rates: { USD: 0.92, JPY: 0.0061 } },
      quietHours: { start: { hour: 21, minute: 30 }, end: { hour: 8, minute: 15 } },
      businessHours: { days: [1, 2, 3, 4, 6], start: { hour: 8, minute: 0 }, end: { hour: 16, minute: 30 } },
      frequencyCap: { max: 2, windowMs: 5 * DAY },
      offerDelayAfterDeliveryMs: 30 * DAY,
      maxLatenessMs: DEFAULT_POLICY_CONFIG.maxLatenessMs,
      surveyIntervalMs: 21 * DAY,
      awaitingPersonRecheckMs: DEFAULT_POLICY_CONFIG.awaitingPersonRecheckMs,
      sameStepWindowMs: 36 * 3_600_000,
      measurementSurveys: false,
    });
    assert.equal(config.holdoutShare, 0.25);
    assert.equal(config.holdoutSalt, 'northwind-2026');
    assert.equal(config.reportMaxLagMs, 5 * 60_000);
    assert.deepEqual(config.playbooks, ['reassure', './playbooks/b2b.yaml']);
    assert.equal(config.workerId, 'worker-7');
    assert.equal(config.logLevel, 'debug');
    assert.deepEqual(config.business, {
      name: 'Northwind, Inc.',
      website: 'https://northwind.example',
      supportEmail: 'help@northwind.example',
      supportPhone: '+49 30 1234 5678',
      escalationName: 'Dana Schmidt',
      escalationEmail: 'dana@northwind.example',
      postalAddress: 'Hauptstraße 1, 10115 Berlin',
      fromEmail: 'care@northwind.example',
    });
  });

  test('the database and the outbox follow the data directory', () => {
    const config = loadConfig({ AFTERCARE_DATA_DIR: '/srv/care' });
    assert.equal(config.db, '/srv/care/aftercare.db');
    assert.equal(config.outboxDir, '/srv/care/outbox');
    assert.equal(loadConfig({ AFTERCARE_DATA_DIR: '/' }).outboxDir, '/outbox');
    assert.equal(
      loadConfig({ AFTERCARE_DB: 'postgres://care:pw@db:5432/care' }).db,
      'postgres://care:pw@db:5432/care',
    );
  });

  test('the default sender quotes a business name with a comma', () => {
    const config = loadConfig({
      AFTERCARE_BUSINESS_NAME: 'Smith, Jones & "Co"',
      AFTERCARE_SUPPORT_EMAIL: 'hi@sj.example',
    });
    assert.equal(config.emailFrom, '"Smith, Jones & \\"Co\\"" <hi@sj.example>');
    assert.equal(config.business.fromEmail, 'hi@sj.example');
  });

  test('business hours over the weekend and quiet hours within a day', () => {
    const config = loadConfig({
      AFTERCARE_BUSINESS_HOURS: 'sun-thu 10:00-18:00',
      AFTERCARE_QUIET_HOURS: '12:00-13:00',
    });
    assert.deepEqual(config.policy.businessHours.days, [1, 2, 3, 4, 7]);
    assert.deepEqual(config.policy.quietHours, {
      start: { hour: 12, minute: 0 },
      end: { hour: 13, minute: 0 },
    });
  });

  test('the DKIM key from a file, also with escaped line breaks', () => {
    const file = join(dir, 'dkim.pem');
    writeFileSync(file, PEM.replace(/\n/g, '\\n'));
    const config = loadConfig({
      AFTERCARE_DKIM_DOMAIN: 'shop.example',
      AFTERCARE_DKIM_SELECTOR: 's1',
      AFTERCARE_DKIM_PRIVATE_KEY_FILE: file,
    });
    assert.equal(config.dkim?.privateKey, PEM);
  });
});

describe('loadConfig refuses bad values, naming the variable', () => {
  const cases: [string, string][] = [
    ['AFTERCARE_DB', 'postgres://'],
    ['SMTP_URL', 'http://smtp.example.com'],
    ['SMTP_URL', 'not a url'],
    ['AFTERCARE_EMAIL_FROM', 'Shop <a@b.example>, c@d.example'],
    ['AFTERCARE_EMAIL_FROM', 'nobody'],
    ['AFTERCARE_PUBLIC_URL', 'ftp://care.example'],
    ['AFTERCARE_TIMEZONE', 'Mars/Olympus'],
    ['AFTERCARE_QUIET_HOURS', '20:00'],
    ['AFTERCARE_QUIET_HOURS', '25:00-09:00'],
    ['AFTERCARE_QUIET_HOURS', '09:00-09:00'],
    ['AFTERCARE_BUSINESS_HOURS', 'Mon-Fri'],
    ['AFTERCARE_BUSINESS_HOURS', 'Mon-Fry 09:00-17:00'],
    ['AFTERCARE_BUSINESS_HOURS', 'Mon-Fri 17:00-09:00'],
    ['AFTERCARE_FREQUENCY_CAP', '3'],
    ['AFTERCARE_FREQUENCY_CAP', '0/7d'],
    ['AFTERCARE_FREQUENCY_CAP', '3/7 days'],
    ['AFTERCARE_OFFER_DELAY', '3 weeks'],
    ['AFTERCARE_SURVEY_INTERVAL', 'fortnightly'],
    ['AFTERCARE_MEASUREMENT', 'sometimes'],
    ['AFTERCARE_SAME_STEP_WINDOW', 'a day'],
    ['AFTERCARE_REPORT_MAX_LAG', '300'],
    ['AFTERCARE_HOLDOUT', '1.5'],
    ['AFTERCARE_HOLDOUT', 'ten'],
    ['AFTERCARE_HOLDOUT', '-0.1'],
    ['AFTERCARE_PLAYBOOKS', 'reassure,,b2b'],
    ['AFTERCARE_PLAYBOOKS', 'reassure,reassure'],
    ['AFTERCARE_WORKER_ID', 'worker 7'],
    ['AFTERCARE_LOG_LEVEL', 'loud'],
    ['AFTERCARE_BUSINESS_WEBSITE', 'northwind'],
    ['AFTERCARE_SUPPORT_EMAIL', 'help at northwind'],
    ['AFTERCARE_SUPPORT_PHONE', 'call us'],
    ['AFTERCARE_ESCALATION_EMAIL', 'dana'],
  ];
  for (const [variable, value] of cases) {
    test(`${variable}=${JSON.stringify(value)}`, () => {
      const error = configError({ [variable]: value });
      assert.deepEqual(problemVariables(error), [variable]);
      assert.match(error.message, new RegExp(`${variable}: `));
    });
  }

  test('every problem is reported at once', () => {
    const error = configError({
      AFTERCARE_TIMEZONE: 'Nowhere/Town',
      AFTERCARE_HOLDOUT: '2',
      AFTERCARE_LOG_LEVEL: 'chatty',
      AFTERCARE_DKIM_DOMAIN: 'shop.example',
    });
    assert.deepEqual(problemVariables(error), [
      'AFTERCARE_DKIM_PRIVATE_KEY',
      'AFTERCARE_DKIM_SELECTOR',
      'AFTERCARE_HOLDOUT',
      'AFTERCARE_LOG_LEVEL',
      'AFTERCARE_TIMEZONE',
    ]);
    assert.equal(error.status, 500);
  });

  test('DKIM needs one key, not two, and a readable file', () => {
    const both = configError({
      AFTERCARE_DKIM_DOMAIN: 'shop.example',
      AFTERCARE_DKIM_SELECTOR: 's1',
      AFTERCARE_DKIM_PRIVATE_KEY: PEM,
      AFTERCARE_DKIM_PRIVATE_KEY_FILE: '/etc/dkim.pem',
    });
    assert.deepEqual(problemVariables(both), ['AFTERCARE_DKIM_PRIVATE_KEY_FILE']);
    const missing = configError({
      AFTERCARE_DKIM_DOMAIN: 'shop.example',
      AFTERCARE_DKIM_SELECTOR: 's1',
      AFTERCARE_DKIM_PRIVATE_KEY_FILE: '/nonexistent/dkim.pem',
    });
    assert.deepEqual(problemVariables(missing), ['AFTERCARE_DKIM_PRIVATE_KEY_FILE']);
    assert.match(missing.message, /ENOENT/);
  });
});

describe('loadConfig keeps secrets secret', () => {
  test('a bad key or SMTP URL is named, never quoted', () => {
    const brokenKey = PEM.replace(KEY_BODY, KEY_BODY.split('').reverse().join(''));
    const error = configError({
      AFTERCARE_DKIM_DOMAIN: 'shop.example',
      AFTERCARE_DKIM_SELECTOR: 's1',
      AFTERCARE_DKIM_PRIVATE_KEY: brokenKey,
      SMTP_URL: 'http://mailer:hunter2@smtp.example.com',
    });
    assert.deepEqual(problemVariables(error), ['AFTERCARE_DKIM_PRIVATE_KEY', 'SMTP_URL']);
    const everything = `${error.message} ${JSON.stringify(error.details)} ${inspect(error)}`;
    assert.ok(!everything.includes(KEY_BODY.slice(0, 20)));
    assert.ok(!everything.includes('hunter2'));
  });

  test('printing the config hides the DKIM key and the passwords, reading it does not', () => {
    const config = loadConfig({
      AFTERCARE_DKIM_DOMAIN: 'shop.example',
      AFTERCARE_DKIM_SELECTOR: 's1',
      AFTERCARE_DKIM_PRIVATE_KEY: PEM,
      SMTP_URL: 'smtp://mailer:hunter2@smtp.example.com:587',
      AFTERCARE_DB: 'postgres://care:dbpass@db.example:5432/care',
    });
    for (const printed of [
      JSON.stringify(config),
      JSON.stringify({ config }),
      JSON.stringify(config.dkim),
      inspect(config, { depth: 10 }),
      inspect(config.dkim),
      inspect({ nested: config }, { depth: 10 }),
    ]) {
      assert.ok(!printed.includes(KEY_BODY), printed);
      assert.ok(!printed.includes('hunter2'), printed);
      assert.ok(!printed.includes('dbpass'), printed);
      assert.match(printed, /\[redacted\]/);
    }
    const json = JSON.parse(JSON.stringify(config)) as { smtpUrl: string; dkim: { keySelector: string } };
    assert.equal(json.smtpUrl, 'smtp://mailer:%5Bredacted%5D@smtp.example.com:587');
    assert.equal(json.dkim.keySelector, 's1');
    assert.equal(config.dkim?.privateKey, PEM);
    assert.equal(config.smtpUrl, 'smtp://mailer:hunter2@smtp.example.com:587');
  });
});

test('the config is deeply frozen', () => {
  const config = loadConfig({ AFTERCARE_PLAYBOOKS: 'reassure,b2b' });
  assert.ok(Object.isFrozen(config));
  assert.ok(Object.isFrozen(config.policy.quietHours.start));
  assert.ok(Object.isFrozen(config.policy.businessHours.days));
  assert.ok(Object.isFrozen(config.business));
  assert.throws(() => {
    (config as { logLevel: string }).logLevel = 'trace';
  }, TypeError);
  assert.throws(() => config.playbooks.push('x'), TypeError);
  assert.equal(config.logLevel, 'info');
});

test('docs/configuration.md documents every variable', () => {
  const doc = readFileSync(new URL('../docs/configuration.md', import.meta.url), 'utf8');
  const missing = ENV_VARIABLES.filter((name) => !doc.includes(`\`${name}\``));
  assert.deepEqual(missing, []);
  const mentioned = new Set(doc.match(/\b(?:AFTERCARE|SMTP)_[A-Z_]+[A-Z]\b/g) ?? []);
  const known = new Set<string>(ENV_VARIABLES);
  assert.deepEqual(
    [...mentioned].filter((name) => !known.has(name) && !name.startsWith('AFTERCARE_E_')),
    [],
  );
});
