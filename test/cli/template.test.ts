// `aftercare template preview|send-test` end to end: the sample and a stored order, text and
// HTML, task scripts, errors that name the step or the flag, and a test message through a real
// SMTP server on loopback that leaves the store as it was.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { smtpReceiver, type SmtpReceiver } from '../../src/channels/staffServers.test-helpers.js';
import { runCli, workspace } from './run.js';

let ws: Awaited<ReturnType<typeof workspace>>;
let smtp: SmtpReceiver;
before(async () => {
  ws = await workspace();
  smtp = await smtpReceiver();
  await writeFile(
    join(ws.dir, 'orders.csv'),
    [
      'order_id,order_number,placed_at,email,first_name,timezone,locale,total,currency,sku,product_name,quantity,segment,shipped_at,carrier,tracking_number,delivered_at',
      'A1,#4711,2026-03-01T10:00:00Z,ana@example.com,Ana,Europe/Berlin,de-DE,120.50,EUR,GR-1,Grinder,1,b2c,2026-03-02T08:00:00Z,DHL,JD1,',
    ].join('\n'),
  );
  const imported = await ws.cli('import', 'orders.csv');
  assert.equal(imported.code, 0, imported.stderr);
});
after(async () => {
  await smtp.close();
  await ws.cleanup();
});

const BUSINESS = {
  AFTERCARE_BUSINESS_NAME: 'Lumen Lamps',
  AFTERCARE_PUBLIC_URL: 'https://care.lumen.example',
};

function cli(...args: string[]) {
  return runCli(args, { cwd: ws.dir, env: { AFTERCARE_DATA_DIR: join(ws.dir, 'data'), ...BUSINESS } });
}

describe('aftercare template preview', () => {
  test('text: the subject and the text part for the sample customer, for several steps', async () => {
    const thanks = await cli('template', 'preview', 'thank-you', '--sample');
    assert.equal(thanks.code, 0, thanks.stderr);
    assert.match(thanks.stdout, /^Subject: Thank you for choosing Lumen Lamps, Sam\n\n/);
    assert.match(thanks.stdout, /What happens next/);
    const shipped = await cli('template', 'preview', 'order-shipped');
    assert.equal(shipped.code, 0, shipped.stderr);
    assert.match(shipped.stdout, /^Subject: .*UPS/);
    const month = await cli('template', 'preview', 'checkin-month');
    assert.equal(month.code, 0, month.stderr);
    const scale = month.stdout
      .split('\n')
      .filter((l) => /^\d+( \(.*\))?: https:\/\/care\.lumen\.example\/s\/\S+\?score=\d+$/.test(l));
    assert.equal(scale.length, 11, month.stdout);
  });

  test('html: the compiled layout with the survey as buttons', async () => {
    const week = await cli('template', 'preview', 'checkin-week', '--format', 'html');
    assert.equal(week.code, 0, week.stderr);
    assert.match(week.stdout, /^<!doctype html>/);
    assert.match(week.stdout, /<title>One week in\. How is it going\?<\/title>/);
    const table = /class="ac-scale"[\s\S]*?<\/table>/.exec(week.stdout)?.[0] ?? '';
    assert.equal(
      (table.match(/<a href="https:\/\/care\.lumen\.example\/s\/[^"]+\?score=\d"/g) ?? []).length,
      5,
    );
    const thanks = await cli('template', 'preview', 'thank-you', '--format', 'html');
    assert.match(thanks.stdout, />Lumen Lamps<\/div>/);
  });

  test('a task script prints its title; it has no HTML part, and --format html says so', async () => {
    const call = await cli('template', 'preview', 'arrival-call');
    assert.equal(call.code, 0, call.stderr);
    assert.match(call.stdout, /^Title: /);
    const html = await cli('template', 'preview', 'arrival-call', '--format', 'html');
    assert.equal(html.code, 2);
    assert.match(html.stderr, /--format html: step "arrival-call" is task:call, which has no HTML part/);
  });

  test('--order renders for a stored order and its customer, read only', async () => {
    const before = await cli('status', '--json');
    const out = await cli('template', 'preview', 'order-shipped', '--order', 'A1');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Ana/);
    assert.match(out.stdout, /DHL/);
    assert.doesNotMatch(out.stdout, /Sam/);
    assert.equal((await cli('status', '--json')).stdout, before.stdout);
  });

  test('--locale sets the customer locale: dates and money follow it', async () => {
    const fr = await cli('template', 'preview', 'thank-you', '--order', 'A1', '--locale', 'fr-FR');
    assert.equal(fr.code, 0, fr.stderr);
    const en = await cli('template', 'preview', 'thank-you', '--order', 'A1', '--locale', 'en-US');
    assert.notEqual(fr.stdout, en.stdout);
  });

  test('errors name the step or the flag', async () => {
    const unknown = await cli('template', 'preview', 'thank-yuo');
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /STEP: no step "thank-yuo" in playbook reassure \(did you mean "thank-you"\?\)/,
    );
    const missing = await cli('template', 'preview', 'thank-you', '--order', 'NOPE');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--order: no order "NOPE" in the store/);
    const both = await cli('template', 'preview', 'thank-you', '--order', 'A1', '--sample');
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--order and --sample/);
    const locale = await cli('template', 'preview', 'thank-you', '--locale', 'not a locale');
    assert.equal(locale.code, 2);
    assert.match(locale.stderr, /--locale: "not a locale"/);
    const format = await cli('template', 'preview', 'thank-you', '--format', 'pdf');
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format/);
    const playbook = await cli('template', 'preview', 'thank-you', '--playbook', 'nope');
    assert.equal(playbook.code, 2);
    assert.match(playbook.stderr, /nope/);
  });
});

describe('aftercare template send-test', () => {
  const send = (...args: string[]) =>
    runCli(['template', 'send-test', ...args], {
      cwd: ws.dir,
      env: { AFTERCARE_DATA_DIR: join(ws.dir, 'data'), SMTP_URL: smtp.url, ...BUSINESS },
    });

  test('sends the sample through SMTP, marked [TEST], links to pages that exist, recording nothing', async () => {
    const before = await cli('status', '--json');
    const out = await send('checkin-week', '--to', 'owner@lumen.example');
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /test of reassure\/checkin-week to owner@lumen\.example: sent by SMTP/);
    assert.equal(smtp.mails.length, 1);
    const [mail] = smtp.mails;
    assert.deepEqual(mail?.to, ['owner@lumen.example']);
    assert.equal(mail?.parsed.subject, '[TEST] One week in. How is it going?');
    assert.equal(mail?.parsed.headers.get('x-aftercare-test'), 'reassure/checkin-week');
    assert.match(String(mail?.parsed.html), /class="ac-scale"/);
    const links = (mail?.parsed.text ?? '').match(/https?:\/\/[^\s<>)"]+/g) ?? [];
    assert.ok(links.length > 0);
    for (const link of links) assert.match(link, /^https:\/\/care\.lumen\.example\/help(\?score=\d+)?$/);
    assert.equal((await cli('status', '--json')).stdout, before.stdout, 'the store is as it was');
  });

  test("--locale is the sample customer's; only e-mail steps; --to must be one address", async () => {
    const de = await send('thank-you', '--to', 'owner@lumen.example', '--locale', 'de');
    assert.equal(de.code, 0, de.stderr);
    const task = await send('arrival-call', '--to', 'owner@lumen.example');
    assert.equal(task.code, 2);
    assert.match(task.stderr, /step "arrival-call" sends by task:call, not e-mail/);
    const bad = await send('thank-you', '--to', 'a@x.example, b@x.example');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--to: the address holds 2 addresses/);
    const none = await runCli(['template', 'send-test', 'thank-you'], { cwd: ws.dir });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /--to/);
  });
});
