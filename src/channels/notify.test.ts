// Escalation notices delivered for real: e-mail through an SMTP server on 127.0.0.1 (read back
// with mailparser) and through the .eml outbox, webhooks to an HTTP server on 127.0.0.1 with the
// Standard Webhooks signature verified; failures classified for the sweep.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { Webhook } from 'standardwebhooks';
import type { EscalationNotice } from '../core/listening/ladder.js';
import { messageIdFor } from '../engine/message.js';
import { DestinationGuard } from './destinationGuard.js';
import { createEmailChannel } from './email.js';
import { loadConfig } from '../config.js';
import { configuredNotifier, createEscalationNotifier, type NotifierOptions } from './notify.js';
import { ESCALATION_EVENT_TYPE } from './noticeText.js';
import { httpReceiver, smtpReceiver } from './staffServers.test-helpers.js';

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const OPENED = Date.UTC(2026, 10, 27, 8, 15); // Friday 27 November 2026, 09:15 in Berlin
const HOUR = 3_600_000;
const closers: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of closers) await close();
});

function notice(
  targets: EscalationNotice['targets'],
  overrides: Partial<EscalationNotice> = {},
): EscalationNotice {
  return {
    id: 'escalation:concern:shopify:5940139491234:nps:1',
    concernId: 'concern:shopify:5940139491234:nps',
    customerId: 'cus_kaufhaus_berlin',
    orderId: 'shopify:5940139491234',
    level: 1,
    levelName: 'manager',
    previousLevelName: 'rep',
    reason: 'not_acknowledged',
    severity: 'critical',
    summary: 'NPS 1: "Die Lieferung kam beschädigt an, niemand antwortet"',
    openedAt: OPENED,
    escalatedAt: OPENED + HOUR,
    dueAt: OPENED + 2 * HOUR,
    targets,
    link: 'https://care.northwind.example/concerns/concern%3Ashopify%3A5940139491234%3Anps',
    ...overrides,
  };
}

async function setup(overrides: Partial<NotifierOptions> & { refuseMail?: () => boolean } = {}) {
  const smtp = await smtpReceiver(overrides.refuseMail);
  const email = createEmailChannel({
    smtpUrl: smtp.url,
    outboxDir: '/nonexistent',
    from: 'Northwind Care <care@northwind.example>',
  });
  closers.push(
    () => smtp.close(),
    () => email.close?.() ?? Promise.resolve(),
  );
  const notifier = createEscalationNotifier({
    email,
    messageDomain: 'northwind.example',
    guard: new DestinationGuard({ allow: ['127.0.0.1'] }),
    webhookSecret: SECRET,
    zone: 'Europe/Berlin',
    ...overrides,
  });
  return { smtp, notifier };
}

async function receiver(answer?: Parameters<typeof httpReceiver>[0]) {
  const http = await httpReceiver(answer);
  closers.push(() => http.close());
  return http;
}

describe('escalation notices', () => {
  test('each e-mail target gets one mail whose Message-ID is the notice id, also when repeated', async () => {
    const { smtp, notifier } = await setup();
    const targets = [
      { kind: 'email' as const, address: 'dana.schmidt@northwind.example' },
      { kind: 'email' as const, address: 'lead@northwind.example' },
    ];
    const first = await notifier.notify(notice(targets));
    assert.deepEqual(first, {
      delivered: ['email dana.schmidt@northwind.example', 'email lead@northwind.example'],
      failed: [],
    });
    await notifier.notify(notice(targets)); // a repeat after a crash
    assert.deepEqual(
      smtp.mails.map((m) => m.to),
      [
        ['dana.schmidt@northwind.example'],
        ['lead@northwind.example'],
        ['dana.schmidt@northwind.example'],
        ['lead@northwind.example'],
      ],
    );
    const id = messageIdFor('escalation:concern:shopify:5940139491234:nps:1', 'northwind.example');
    assert.deepEqual(new Set(smtp.mails.map((m) => m.parsed.messageId)), new Set([id]));
    const mail = smtp.mails[0]!.parsed;
    assert.equal(
      mail.subject,
      '[Escalated to manager] critical concern: NPS 1: "Die Lieferung kam beschädigt an, niemand antwortet"',
    );
    assert.equal(
      mail.headers.get('x-aftercare-escalation'),
      'escalation:concern:shopify:5940139491234:nps:1',
    );
    assert.equal(mail.headers.get('auto-submitted'), 'auto-generated');
    const text = mail.text ?? '';
    assert.match(text, /A critical concern was not acknowledged in time by rep; it is now with manager\./);
    assert.match(text, /Customer: +cus_kaufhaus_berlin/);
    assert.match(text, /Order: +shopify:5940139491234/);
    // Times in the business's zone: 09:15 and 11:15 in Berlin.
    assert.match(text, /Opened: +Fri 27 Nov 2026, 09:15 \(Europe\/Berlin\)/);
    assert.match(text, /acknowledge it by Fri 27 Nov 2026, 11:15 \(Europe\/Berlin\), or it climbs again/);
    assert.match(text, /Open it: https:\/\/care\.northwind\.example\/concerns\//);
  });

  test('a webhook is signed per Standard Webhooks with webhook-id = notice id, and has text for chat', async () => {
    const { notifier } = await setup();
    const http = await receiver();
    const delivery = await notifier.notify(
      notice([{ kind: 'webhook', url: `${http.url}/services/T000/B000/xyz` }]),
    );
    assert.deepEqual(delivery, { delivered: ['webhook ' + new URL(http.url).host], failed: [] });
    const [hit] = http.hits;
    assert.ok(hit);
    assert.equal(hit.path, '/services/T000/B000/xyz');
    assert.equal(hit.headers['webhook-id'], 'escalation:concern:shopify:5940139491234:nps:1');
    const payload = new Webhook(SECRET).verify(hit.body, {
      'webhook-id': String(hit.headers['webhook-id']),
      'webhook-timestamp': String(hit.headers['webhook-timestamp']),
      'webhook-signature': String(hit.headers['webhook-signature']),
    }) as { type: string; text: string; data: Record<string, unknown> };
    assert.equal(payload.type, ESCALATION_EVENT_TYPE);
    assert.match(
      payload.text,
      /^Escalated to manager: critical concern was not acknowledged in time by rep\./,
    );
    assert.deepEqual(payload.data, {
      id: 'escalation:concern:shopify:5940139491234:nps:1',
      concernId: 'concern:shopify:5940139491234:nps',
      customerId: 'cus_kaufhaus_berlin',
      orderId: 'shopify:5940139491234',
      level: 1,
      levelName: 'manager',
      previousLevelName: 'rep',
      reason: 'not_acknowledged',
      severity: 'critical',
      summary: 'NPS 1: "Die Lieferung kam beschädigt an, niemand antwortet"',
      openedAt: '2026-11-27T08:15:00.000Z',
      escalatedAt: '2026-11-27T09:15:00.000Z',
      dueAt: '2026-11-27T10:15:00.000Z',
      link: 'https://care.northwind.example/concerns/concern%3Ashopify%3A5940139491234%3Anps',
    });
    // Tampering is caught: the signature covers the body.
    assert.throws(() =>
      new Webhook(SECRET).verify(hit.body.replace('critical', 'low'), hit.headers as Record<string, string>),
    );
  });

  test("the chat line escapes the customer's words: no channel pings, no disguised links", async () => {
    const { notifier } = await setup();
    const http = await receiver();
    const summary = 'Reply: <!channel> refund me & see <https://evil.example|your invoice>';
    await notifier.notify(notice([{ kind: 'webhook', url: `${http.url}/hook` }], { summary }));
    const body = JSON.parse(http.hits[0]?.body ?? '{}') as { text: string; data: { summary: string } };
    assert.ok(
      body.text.includes('&lt;!channel&gt; refund me &amp; see &lt;https://evil.example|your invoice&gt;'),
    );
    assert.ok(!body.text.includes('<!channel>'));
    assert.equal(body.data.summary, summary);
  });

  test('without a secret a webhook goes unsigned, still with its webhook-id', async () => {
    const { notifier } = await setup({ webhookSecret: null });
    const http = await receiver();
    await notifier.notify(
      notice([{ kind: 'webhook', url: `${http.url}/hook` }], { dueAt: null, level: 2, levelName: 'owner' }),
    );
    const [hit] = http.hits;
    assert.equal(hit?.headers['webhook-signature'], undefined);
    assert.equal(hit?.headers['webhook-id'], 'escalation:concern:shopify:5940139491234:nps:1');
    const body = JSON.parse(hit?.body ?? '{}') as { data: { dueAt: unknown } };
    assert.equal(body.data.dueAt, null);
  });

  test('failures are classified and the other targets still get it', async () => {
    let busy = true;
    const { notifier } = await setup({ refuseMail: () => busy });
    const down = await receiver(() => 503);
    const gone = await receiver(() => 404);
    const fine = await receiver();
    const delivery = await notifier.notify(
      notice([
        { kind: 'email', address: 'dana.schmidt@northwind.example' },
        { kind: 'webhook', url: `${down.url}/a` },
        { kind: 'webhook', url: `${gone.url}/b` },
        { kind: 'webhook', url: `${fine.url}/c` },
      ]),
    );
    assert.deepEqual(delivery.delivered, ['webhook ' + new URL(fine.url).host]);
    assert.deepEqual(
      delivery.failed.map((f) => [f.target.split(' ')[0], f.kind, f.code]),
      [
        ['email', 'retryable', delivery.failed[0]?.code],
        ['webhook', 'retryable', 'HTTP_503'],
        ['webhook', 'permanent', 'HTTP_404'],
      ],
    );
    busy = false;
    const again = await notifier.notify(
      notice([{ kind: 'email', address: 'dana.schmidt@northwind.example' }]),
    );
    assert.deepEqual(again.failed, []);
  });

  test('a destination the guard refuses, and no e-mail channel, are permanent', async () => {
    const http = await receiver();
    const { notifier } = await setup({ guard: new DestinationGuard(), email: null });
    const delivery = await notifier.notify(
      notice([
        { kind: 'webhook', url: `${http.url}/hook` },
        { kind: 'email', address: 'dana.schmidt@northwind.example' },
      ]),
    );
    assert.deepEqual(
      delivery.failed.map((f) => [f.kind, f.code]),
      [
        ['permanent', delivery.failed[0]?.code],
        ['permanent', 'NO_EMAIL_CHANNEL'],
      ],
    );
    assert.equal(http.hits.length, 0);
  });

  test('without SMTP the notice lands in the .eml outbox, one file per recipient', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-notices-'));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    const { notifier } = await setup({
      email: createEmailChannel({ smtpUrl: null, outboxDir: dir, from: 'care@northwind.example' }),
    });
    await notifier.notify(notice([{ kind: 'email', address: 'dana.schmidt@northwind.example' }]));
    await notifier.notify(notice([{ kind: 'email', address: 'dana.schmidt@northwind.example' }]));
    const files = await readdir(dir);
    assert.equal(files.length, 1);
    const mail = await simpleParser(await readFile(join(dir, files[0]!)));
    assert.equal(
      mail.messageId,
      messageIdFor('escalation:concern:shopify:5940139491234:nps:1', 'northwind.example'),
    );
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.text : '', 'dana.schmidt@northwind.example');
  });

  test('as the configuration sets it up: sender domain, escalation secret, allow-list, zone', async () => {
    const smtp = await smtpReceiver();
    const http = await receiver();
    const config = loadConfig({
      SMTP_URL: smtp.url,
      AFTERCARE_EMAIL_FROM: 'Lumen Care <care@lumen.example>',
      AFTERCARE_ESCALATION_WEBHOOK_SECRET: SECRET,
      AFTERCARE_WEBHOOK_ALLOW: '127.0.0.1',
      AFTERCARE_TIMEZONE: 'Asia/Kolkata',
    });
    const email = createEmailChannel({
      smtpUrl: config.smtpUrl,
      outboxDir: config.outboxDir,
      from: config.emailFrom,
    });
    closers.push(
      () => smtp.close(),
      () => email.close?.() ?? Promise.resolve(),
    );
    const notifier = configuredNotifier(config, email);
    const delivery = await notifier.notify(
      notice([
        { kind: 'email', address: 'priya.nair@lumen.example' },
        { kind: 'webhook', url: `${http.url}/hook` },
      ]),
    );
    assert.deepEqual(delivery.failed, []);
    const mail = smtp.mails[0]?.parsed;
    assert.equal(
      mail?.messageId,
      messageIdFor('escalation:concern:shopify:5940139491234:nps:1', 'lumen.example'),
    );
    assert.equal(mail?.from?.value[0]?.address, 'care@lumen.example');
    assert.match(mail?.text ?? '', /Opened: +Fri 27 Nov 2026, 13:45 \(Asia\/Kolkata\)/);
    const hit = http.hits[0];
    assert.ok(hit);
    assert.doesNotThrow(() => new Webhook(SECRET).verify(hit.body, hit.headers as Record<string, string>));
  });
});
