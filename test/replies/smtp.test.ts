// Replies over real SMTP: nodemailer sends to the listener on 127.0.0.1; each reply answers the
// thank-you the production dispatcher really sent, and lands on the customer's timeline through
// the inbox drain, matched by In-Reply-To, by address, or not at all.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { InboundSmtp } from '../../src/integrations/replies/smtpListener.js';
import type { TestApp } from '../http/harness.js';
import { drained, replyOf, shopWithSentMail, type SentMail } from './harness.js';

let t: TestApp;
let sent: SentMail;
let smtp: InboundSmtp;
const lines: { level: string; details: object; message: string }[] = [];
const log = {
  info: (details: object, message: string) => lines.push({ level: 'info', details, message }),
  warn: (details: object, message: string) => lines.push({ level: 'warn', details, message }),
  error: (details: object, message: string) => lines.push({ level: 'error', details, message }),
};

before(async () => {
  ({ t, sent } = await shopWithSentMail({
    AFTERCARE_INBOUND_SMTP_PORT: '0',
    AFTERCARE_INBOUND_MAX_SIZE: '64kb',
  }));
  const started = await t.composed.startInboundSmtp(log);
  assert.ok(started);
  smtp = started;
});
after(async () => {
  await smtp.close();
  await t.close();
});

async function send(message: SendMailOptions): Promise<void> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: smtp.port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    await transport.sendMail({ to: 'care@lumen.example', ...message });
  } finally {
    transport.close();
  }
}

describe('replies over SMTP', () => {
  test('a reply to the thank-you is matched by In-Reply-To, its quote stripped, its tone negative', async () => {
    assert.match(sent.messageId, /^<[A-Za-z0-9_-]+\.[0-9a-f]{16}@lumen\.example>$/);
    await send({
      from: 'Ada Lovelace <ada.lovelace@example.com>',
      subject: `Re: ${sent.subject}`,
      inReplyTo: sent.messageId,
      references: [sent.messageId],
      date: new Date('2026-06-03T08:15:00Z'),
      text:
        'It arrived broken and nobody answers.\n\n' +
        `On Wed, Jun 3, 2026 at 9:00 AM Lumen Lamps <care@lumen.example> wrote:\n> ${sent.subject}\n> Hello Ada`,
    });
    const [event] = await replyOf(t, sent.customerId);
    assert.equal(event!.id.startsWith('reply:'), true);
    assert.equal(event!.orderId, 'LUM-1001');
    assert.equal(event!.at, Date.parse('2026-06-03T08:15:00Z'));
    assert.deepEqual(
      { ...event!.data, sentimentScore: typeof event!.data.sentimentScore },
      {
        from: 'ada.lovelace@example.com',
        subject: `Re: ${sent.subject}`,
        text: 'It arrived broken and nobody answers.',
        sentiment: 'negative',
        sentimentScore: 'number',
        touchPointId: sent.touchPointId,
        messageId: event!.data.messageId,
        matchedBy: 'in-reply-to',
        provider: 'smtp',
      },
    );
    assert.match(String(event!.data.messageId), /^<.+@.+>$/);
  });

  test('a new mail from the same address, without thread headers, is matched by address', async () => {
    await send({
      from: 'ADA.LOVELACE@example.com',
      subject: 'Question',
      text: 'Thanks, all good! One question: can I order a second shade?',
    });
    const events = await replyOf(t, sent.customerId, 2);
    const byAddress = events.find((e) => e.data.matchedBy === 'address');
    assert.ok(byAddress);
    assert.equal(byAddress.orderId, null);
    assert.equal(byAddress.data.touchPointId, null);
    assert.equal(byAddress.data.sentiment, 'positive');
  });

  test('an unknown sender is accepted and dropped; nobody new appears', async () => {
    const before = (await t.store.reads.counts()).customers;
    await send({ from: 'stranger@elsewhere.example', subject: 'Hello', text: 'Do you sell lamps?' });
    await drained(t);
    assert.equal(await t.store.reads.findCustomerByEmail('stranger@elsewhere.example'), null);
    assert.equal((await t.store.reads.counts()).customers, before);
    const counted = (await t.metrics.scrape()).text;
    assert.match(counted, /aftercare_ingest_events_total\{source="smtp",result="rejected"\} 1/);
  });

  test('an out-of-office and a bounce are ignored, never appended', async () => {
    await send({
      from: 'ada.lovelace@example.com',
      subject: 'Out of Office: back on June 10',
      headers: { 'Auto-Submitted': 'auto-replied' },
      inReplyTo: sent.messageId,
      text: 'I am out of the office until June 10.',
    });
    await send({
      from: 'MAILER-DAEMON@mx.example.com',
      subject: 'Undelivered Mail Returned to Sender',
      inReplyTo: sent.messageId,
      text: 'This is the mail system at host mx.example.com.',
    });
    // A delivery report from the null sender, whatever its From header says.
    await send({
      from: 'ada.lovelace@example.com',
      envelope: { from: '', to: 'care@lumen.example' },
      subject: `Re: ${sent.subject}`,
      inReplyTo: sent.messageId,
      text: 'Your message could not be delivered.',
    });
    assert.equal(await t.store.inbox.inboxDepth(), 0);
    const ignored = lines.filter((line) => line.message.includes('ignored'));
    assert.deepEqual(
      ignored.map((line) => (line.details as { reason: string }).reason),
      ['auto_reply', 'bounce', 'bounce'],
    );
    assert.equal((await t.store.reads.listEvents(sent.customerId, ['reply.received'])).length, 2);
  });

  test('a message over the size limit is refused with 552', async () => {
    await assert.rejects(
      send({ from: 'ada.lovelace@example.com', subject: 'Photos', text: 'x'.repeat(70 * 1024) }),
      (error: { responseCode?: number }) => error.responseCode === 552,
    );
  });

  // Last: it erases the customer.
  test('erasure empties the stored replies; a later reply to an erased customer is dropped', async () => {
    const erased = await t.composed.commands.privacy.eraseCustomer(sent.customerId);
    assert.equal(erased.ok, true);
    const kept = await t.store.reads.listEvents(sent.customerId, ['reply.received']);
    assert.equal(kept.length, 2);
    assert.deepEqual(
      kept.map((event) => event.data),
      [{}, {}],
    );
    await send({
      from: 'ada.lovelace@example.com',
      subject: `Re: ${sent.subject}`,
      inReplyTo: sent.messageId,
      text: 'Please also delete my account.',
    });
    await drained(t);
    const after = await t.store.reads.listEvents(sent.customerId, ['reply.received']);
    assert.equal(after.length, 2);
    assert.equal(JSON.stringify(after).includes('delete my account'), false);
  });
});
