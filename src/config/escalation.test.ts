// AFTERCARE_ESCALATION_FILE and AFTERCARE_ESCALATION_WEBHOOK_SECRET through loadConfig: the
// built-in ladder, a real file on disk, every problem with its file and line, secrets hidden.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfig } from '../config.js';
import { HOUR_MS } from '../core/playbook/duration.js';
import { AftercareError } from '../errors.js';

const dir = mkdtempSync(join(tmpdir(), 'aftercare-ladder-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof AftercareError);
    assert.equal(error.code, 'AFTERCARE_E_CONFIG');
    return (error.details.issues as { variable: string; problem: string }[]).map(
      (i) => `${i.variable}: ${i.problem}`,
    );
  }
  assert.fail('expected the configuration to be refused');
}

const SLACK = 'https://hooks.slack.example/services/T0AB12CD/B0XY34/sEcReTtOkEn';
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

describe('the escalation ladder in the configuration', () => {
  test('unset: the built-in ladder notifies AFTERCARE_ESCALATION_EMAIL', () => {
    const config = loadConfig({ AFTERCARE_ESCALATION_EMAIL: 'dana@northwind.example' });
    const { ladder } = config.escalation;
    assert.equal(ladder.source, 'built-in');
    assert.deepEqual(
      ladder.levels.map((l) => l.name),
      ['rep', 'manager', 'owner'],
    );
    assert.deepEqual(ladder.levels[2]?.notify, [{ kind: 'email', address: 'dana@northwind.example' }]);
    assert.equal(config.escalation.webhookSecret, null);
    assert.ok(Object.isFrozen(ladder.levels[1]?.notify));
  });

  test('a file: its levels, and business hours in the business zone', () => {
    const path = file(
      'good.yaml',
      `levels:\n  - name: rep\n  - name: manager\n    notify: [{webhook: "${SLACK}"}]\nsla:\n  critical: {acknowledge: 2h, resolve: 1d}\nhours: business\n`,
    );
    const config = loadConfig({
      AFTERCARE_ESCALATION_FILE: path,
      AFTERCARE_TIMEZONE: 'Asia/Tokyo',
      AFTERCARE_BUSINESS_HOURS: 'Mon-Sat 10:00-19:00',
      AFTERCARE_ESCALATION_WEBHOOK_SECRET: SECRET,
    });
    const { ladder } = config.escalation;
    assert.equal(ladder.source, path);
    assert.equal(ladder.sla.critical.acknowledgeMs, 2 * HOUR_MS);
    assert.equal(ladder.workingHours?.zone, 'Asia/Tokyo');
    assert.deepEqual(ladder.workingHours?.hours.days, [1, 2, 3, 4, 5, 6]);
    assert.equal(config.escalation.webhookSecret, SECRET);
    // The webhook URL (its path is the token) and the secret never print.
    for (const printed of [JSON.stringify(config), inspect(config, { depth: 10 })]) {
      assert.ok(!printed.includes('sEcReTtOkEn'), printed);
      assert.ok(!printed.includes(SECRET));
    }
  });

  test('the webhook secret defaults to the outbound webhook secret', () => {
    const config = loadConfig({
      AFTERCARE_WEBHOOK_URL: 'https://crm.northwind.example/hooks',
      AFTERCARE_WEBHOOK_SECRET: SECRET,
    });
    assert.equal(config.escalation.webhookSecret, SECRET);
  });

  test('a bad file: every problem with file, line, column and field, beside other variables', () => {
    const path = file(
      'bad.yaml',
      'levels:\n  - name: rep\n  - name: manager\n    notfy: []\nsla:\n  high: {acknowledge: 4 hours, resolve: 1d}\n',
    );
    assert.deepEqual(problems({ AFTERCARE_ESCALATION_FILE: path, AFTERCARE_TIMEZONE: 'Mars/Olympus' }), [
      'AFTERCARE_TIMEZONE: "Mars/Olympus" is not an IANA time zone like Europe/Berlin',
      `AFTERCARE_ESCALATION_FILE: ${path}:4:5 levels[1].notfy: unknown field "notfy" (did you mean "notify"?)`,
      `AFTERCARE_ESCALATION_FILE: ${path}:6:23 sla.high.acknowledge: must be a duration like 90m, 2h, 1d or 3w, not "4 hours"`,
    ]);
  });

  test('a missing file, a plain-http webhook not allowed, a bad secret', () => {
    assert.deepEqual(problems({ AFTERCARE_ESCALATION_FILE: join(dir, 'nope.yaml') }), [
      `AFTERCARE_ESCALATION_FILE: cannot read "${join(dir, 'nope.yaml')}" (ENOENT)`,
    ]);
    const plain = file(
      'plain.yaml',
      'levels:\n  - name: rep\n  - name: manager\n    notify: [{webhook: "http://chat.internal/hook"}]\n',
    );
    assert.deepEqual(problems({ AFTERCARE_ESCALATION_FILE: plain }), [
      `AFTERCARE_ESCALATION_FILE: ${plain}: levels[1] sends a webhook to chat.internal over plain http; only https is sent to, unless AFTERCARE_WEBHOOK_ALLOW names chat.internal`,
    ]);
    assert.equal(
      loadConfig({ AFTERCARE_ESCALATION_FILE: plain, AFTERCARE_WEBHOOK_ALLOW: 'chat.internal' }).escalation
        .ladder.levels.length,
      2,
    );
    assert.deepEqual(problems({ AFTERCARE_ESCALATION_WEBHOOK_SECRET: 'hunter2hunter2' }), [
      "AFTERCARE_ESCALATION_WEBHOOK_SECRET: is not a Standard Webhooks secret: 'whsec_' and 24 to 64 bytes in base64",
    ]);
  });
});
