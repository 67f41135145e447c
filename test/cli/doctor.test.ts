// `aftercare doctor` and the go-live warnings of `serve`, through the real CLI: SMTP with the
// demo's business details, a localhost link base and no secret are each named with what to do
// (exit 1), a missing database is reported and not created, a shop set up properly passes (its
// warnings fail only --strict), and `serve` logs the same problems loudly at start.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli, spawnCli, workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
before(async () => {
  ws = await workspace();
});
after(async () => {
  await ws.cleanup();
});

const SECRET = 'Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQtYXQtYWxs';

/** Demo business settings, but real mail: what must never go live. */
const careless = () => ({
  AFTERCARE_DATA_DIR: join(ws.dir, 'data'),
  SMTP_URL: 'smtp://mailer:pw@127.0.0.1:1',
});

const ready = () => ({
  ...careless(),
  AFTERCARE_SECRET: SECRET,
  AFTERCARE_PUBLIC_URL: 'https://care.brightwater-outdoor.co.uk',
  AFTERCARE_BUSINESS_NAME: 'Brightwater Outdoor',
  AFTERCARE_POSTAL_ADDRESS: '14 Quay Street, Bristol BS1 4DB, United Kingdom',
  AFTERCARE_SUPPORT_EMAIL: 'help@brightwater-outdoor.co.uk',
  AFTERCARE_ESCALATION_NAME: 'Priya Shah',
  AFTERCARE_ESCALATION_EMAIL: 'priya@brightwater-outdoor.co.uk',
});

describe('aftercare doctor', () => {
  test('SMTP with example settings, a localhost link base and no secret: every problem, exit 1, nothing created', async () => {
    const result = await runCli(['doctor'], { cwd: ws.dir, env: careless() });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^aftercare doctor: 6 errors, 2 warnings$/m);
    for (const variable of [
      'AFTERCARE_SECRET',
      'AFTERCARE_BUSINESS_NAME',
      'AFTERCARE_POSTAL_ADDRESS',
      'AFTERCARE_SUPPORT_EMAIL',
      'AFTERCARE_ESCALATION_NAME',
      'AFTERCARE_PUBLIC_URL',
    ]) {
      assert.match(result.stdout, new RegExp(`^ERROR    ${variable} .+\\n {9}-> .+`, 'm'), variable);
    }
    assert.match(result.stdout, /^WARNING {2}AFTERCARE_DB names no Aftercare database yet: .*aftercare\.db/m);
    assert.match(result.stdout, /^WARNING {2}AFTERCARE_DKIM_DOMAIN /m);
    assert.equal(result.stdout.includes('mailer:pw'), false, 'no password is repeated');
    assert.equal(existsSync(join(ws.dir, 'data')), false, 'doctor creates no database');
  });

  test('an invalid configuration is listed variable by variable', async () => {
    const result = await runCli(['doctor', '--json'], {
      cwd: ws.dir,
      env: { AFTERCARE_TIMEZONE: 'Mars/Olympus', AFTERCARE_HOLDOUT: 'lots' },
    });
    assert.equal(result.code, 1, result.stderr);
    const { problems } = JSON.parse(result.stdout) as { problems: { severity: string; variable: string }[] };
    assert.deepEqual(problems.map((p) => [p.severity, p.variable]).sort(), [
      ['error', 'AFTERCARE_HOLDOUT'],
      ['error', 'AFTERCARE_TIMEZONE'],
    ]);
  });

  test('a shop set up for real mail passes; its DKIM warning fails only --strict', async () => {
    assert.equal((await runCli(['migrate'], { cwd: ws.dir, env: ready() })).code, 0);
    const result = await runCli(['doctor'], { cwd: ws.dir, env: ready() });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^aftercare doctor: 0 errors, 1 warning\nWARNING {2}AFTERCARE_DKIM_DOMAIN /);
    const strict = await runCli(['doctor', '--strict'], { cwd: ws.dir, env: ready() });
    assert.equal(strict.code, 1);
  });
});

describe('aftercare serve', () => {
  test('with SMTP and example settings it logs every go-live problem loudly at start', async () => {
    const child = spawnCli(['serve'], {
      cwd: ws.dir,
      env: { ...careless(), AFTERCARE_SECRET: SECRET, AFTERCARE_PORT: '0' },
    });
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.resume();
    const closed = once(child, 'close');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !stdout.includes('aftercare is running')) await sleep(100);
    child.kill('SIGTERM');
    await closed;
    const warnings = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; msg: string; variable?: string; fix?: string })
      .filter((l) => l.msg.startsWith('GO-LIVE'));
    assert.deepEqual(
      warnings.map((w) => [w.level, w.variable ?? 'summary']),
      [
        [40, 'AFTERCARE_BUSINESS_NAME'],
        [40, 'AFTERCARE_POSTAL_ADDRESS'],
        [40, 'AFTERCARE_SUPPORT_EMAIL'],
        [40, 'AFTERCARE_ESCALATION_NAME'],
        [40, 'AFTERCARE_PUBLIC_URL'],
        [40, 'AFTERCARE_DKIM_DOMAIN'],
        [40, 'summary'],
      ],
    );
    assert.match(
      warnings[0]!.msg,
      /^GO-LIVE ERROR: AFTERCARE_BUSINESS_NAME is the demo's "Aftercare Demo Shop"/,
    );
    assert.match(warnings.at(-1)!.msg, /5 problem\(s\) would hurt customers; `aftercare doctor` lists them/);
  });
});
