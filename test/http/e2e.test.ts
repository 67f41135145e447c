// End to end on real sockets: the app listening on 127.0.0.1, a real SMTP server receiving the
// mail. An order goes in over HTTP with a Bearer key; the virtual clock moves on; the production
// dispatcher sends; the message that arrived is read back and matched to the API's view.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { messageIdFor } from '../../src/engine/message.js';
import { DAY, T0, dispatcherFor, openTestApp, orderBody, type TestApp } from './harness.js';

interface Received {
  to: string[];
  raw: Buffer;
}

let smtp: SMTPServer;
let smtpUrl: string;
const received: Received[] = [];
let t: TestApp;
let base: string;

before(async () => {
  smtp = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback(null, 'queued');
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  t = await openTestApp({ SMTP_URL: smtpUrl, AFTERCARE_SUPPORT_EMAIL: 'care@lumen.example' });
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(async () => {
  await t.close();
  await new Promise<void>((resolve) => smtp.close(resolve));
});

async function api(method: string, path: string, body?: unknown, key = t.key): Promise<Response> {
  return fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('end to end: HTTP in, SMTP out', () => {
  test('an order posted over HTTP is thanked by e-mail through a real SMTP server', async () => {
    const posted = await api('POST', '/orders', orderBody('e2e-1'));
    assert.equal(posted.status, 201);
    assert.ok(posted.headers.get('x-content-type-options'), 'security headers over the wire');
    const [result] = ((await posted.json()) as { results: { customerId: string; planned: number }[] })
      .results;
    assert.ok(result!.planned >= 1);

    const wrongKey = await api('GET', '/playbooks', undefined, 'ak_aaaaaaaaaaaa_' + 'A'.repeat(43));
    assert.equal(wrongKey.status, 401);

    // Nothing is due yet; two days later the thank-you is.
    const { dispatcher, channels } = dispatcherFor(t, smtpUrl);
    try {
      assert.equal((await dispatcher.runUntilIdle()).sent, 0);
      t.clock.set(T0 + 2 * DAY);
      const stats = await dispatcher.runUntilIdle();
      assert.ok(stats.sent >= 1, JSON.stringify(stats));
    } finally {
      await channels.close();
    }

    assert.equal(received.length >= 1, true, 'a mail arrived');
    const mail = await simpleParser(received[0]!.raw);
    assert.deepEqual(received[0]!.to, ['ada.lovelace@example.com']);
    assert.match(mail.text ?? '', /Ada/);
    assert.ok(mail.subject && mail.subject.length > 0);
    // A long header is folded (CRLF + space), which RFC 5322 readers undo.
    const unsubscribe = (mail.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '').replace(
      /\r\n[ \t]+/g,
      ' ',
    );
    assert.match(unsubscribe, /^List-Unsubscribe: <http:\/\/localhost:8080\/u\/[A-Za-z0-9_-]+>$/i);

    const touchPoints = await api('GET', `/customers/${result!.customerId}/touch-points?status=sent`);
    const sent = ((await touchPoints.json()) as { items: { id: string; channel: string }[] }).items;
    assert.equal(sent.length, received.length);
    assert.equal(mail.messageId, messageIdFor(sent[0]!.id, 'lumen.example'));

    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /aftercare_touch_points_sent_total\{channel="email",purpose="[a-z]+"\} [1-9]/);
    assert.match(metrics, /aftercare_ingest_events_total\{source="api",result="accepted"\} 1/);
  });
});
