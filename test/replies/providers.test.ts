// Provider inbound webhooks over a real socket: Postmark (JSON, HTTP Basic in the URL), Mailgun
// (form fields, HMAC of timestamp + token) and SendGrid Inbound Parse (multipart, secret path).
// Each reply answers the thank-you the production dispatcher sent; the drain puts it on the
// customer's timeline.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { signMailgun } from '../../src/integrations/replies/mailgun.js';
import { openTestApp, type TestApp } from '../http/harness.js';
import { drained, replyOf, shopWithSentMail, type SentMail } from './harness.js';

const POSTMARK = { user: 'postmark-inbound', password: 'pm-9f8e7d6c5b4a3921' };
const MAILGUN_KEY = 'key-7c1e5a9b3d2f4e6a8c0b1d3f5e7a9c2b';
const SENDGRID_TOKEN = 'sg_inbound_4QmZr8Xw2LpT6vYc';

let t: TestApp;
let sent: SentMail;
let base: string;

before(async () => {
  ({ t, sent } = await shopWithSentMail({
    AFTERCARE_POSTMARK_INBOUND_USER: POSTMARK.user,
    AFTERCARE_POSTMARK_INBOUND_PASSWORD: POSTMARK.password,
    AFTERCARE_MAILGUN_SIGNING_KEY: MAILGUN_KEY,
    AFTERCARE_SENDGRID_INBOUND_TOKEN: SENDGRID_TOKEN,
  }));
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => t.close());

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function postmarkPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FromName: 'Ada Lovelace',
    MessageStream: 'inbound',
    From: 'ada.lovelace@example.com',
    FromFull: { Email: 'ada.lovelace@example.com', Name: 'Ada Lovelace', MailboxHash: '' },
    To: '"Lumen Lamps" <care@lumen.example>',
    ToFull: [{ Email: 'care@lumen.example', Name: 'Lumen Lamps', MailboxHash: '' }],
    Cc: '',
    CcFull: [],
    OriginalRecipient: 'care@lumen.example',
    Subject: `Re: ${sent.subject}`,
    MessageID: '73e6d360-66eb-11e1-8e72-a8904824019b',
    ReplyTo: '',
    MailboxHash: '',
    Date: 'Wed, 3 Jun 2026 10:15:00 +0200',
    TextBody: `When will it ship?\n\nOn Tue, Jun 2, 2026 at 2:00 PM Lumen Lamps <care@lumen.example> wrote:\n> Hello Ada`,
    HtmlBody: '<p>When will it ship?</p>',
    StrippedTextReply: '',
    Tag: '',
    Headers: [
      { Name: 'X-Spam-Status', Value: 'No' },
      { Name: 'Message-ID', Value: '<CAE1x8PkQ7f=ada@mail.example.com>' },
      { Name: 'In-Reply-To', Value: sent.messageId },
      { Name: 'References', Value: sent.messageId },
    ],
    Attachments: [],
    ...overrides,
  };
}

describe('Postmark inbound', () => {
  const post = (body: unknown, authorization: string): Promise<Response> =>
    fetch(`${base}/webhooks/inbound/postmark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(body),
    });

  test('a reply with the right credentials is stored, matched by In-Reply-To; a resend is one event', async () => {
    const response = await post(postmarkPayload(), basic(POSTMARK.user, POSTMARK.password));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      received: true,
      events: [{ id: 'reply:73e6d360-66eb-11e1-8e72-a8904824019b', status: 'queued' }],
    });
    assert.equal((await post(postmarkPayload(), basic(POSTMARK.user, POSTMARK.password))).status, 200);
    await drained(t);
    const events = await replyOf(t, sent.customerId);
    const event = events.find((e) => e.data.provider === 'postmark');
    assert.ok(event);
    assert.equal(events.filter((e) => e.data.provider === 'postmark').length, 1);
    assert.equal(event.at, Date.parse('2026-06-03T08:15:00Z'));
    assert.equal(event.orderId, 'LUM-1001');
    assert.deepEqual(
      [event.data.matchedBy, event.data.touchPointId, event.data.sentiment, event.data.text],
      ['in-reply-to', sent.touchPointId, 'neutral', 'When will it ship?'],
    );
    assert.equal(event.data.messageId, '<CAE1x8PkQ7f=ada@mail.example.com>');
  });

  test('wrong or missing credentials are refused with 401; a body that is not JSON is a 400', async () => {
    assert.equal((await post(postmarkPayload(), basic(POSTMARK.user, 'pm-guessed-password'))).status, 401);
    assert.equal((await post(postmarkPayload(), '')).status, 401);
    const notJson = await fetch(`${base}/webhooks/inbound/postmark`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(POSTMARK.user, POSTMARK.password) },
      body: '{"From":',
    });
    assert.equal(notJson.status, 400);
    assert.equal(
      ((await notJson.json()) as { error: { code: string } }).error.code,
      'AFTERCARE_E_INPUT_INVALID',
    );
  });
});

describe('Mailgun routes', () => {
  function signed(
    fields: Record<string, string>,
    at = Math.floor(t.clock.now() / 1000),
  ): Record<string, string> {
    const token = 'f1e2d3c4b5a69788' + String(at);
    return {
      ...fields,
      timestamp: String(at),
      token,
      signature: signMailgun(MAILGUN_KEY, String(at), token),
    };
  }
  const fields = (): Record<string, string> => ({
    recipient: 'care@lumen.example',
    sender: 'ada.lovelace@example.com',
    from: 'Ada Lovelace <ada.lovelace@example.com>',
    subject: `Re: ${sent.subject}`,
    'body-plain': 'Thanks, all good! The lamp looks lovely.\n\n> Hello Ada',
    'stripped-text': 'Thanks, all good! The lamp looks lovely.',
    'Message-Id': '<20260603101500.1.ABC@mail.example.com>',
    References: `<older@mail.example.com> ${sent.messageId}`,
    Date: 'Wed, 03 Jun 2026 10:15:00 +0000',
    'message-headers': JSON.stringify([
      ['Received', 'from mail.example.com'],
      ['Message-Id', '<20260603101500.1.ABC@mail.example.com>'],
      ['References', `<older@mail.example.com> ${sent.messageId}`],
    ]),
  });
  const asForm = (values: Record<string, string>): FormData => {
    const form = new FormData();
    for (const [name, value] of Object.entries(values)) form.append(name, value);
    // An attachment part, which is skipped.
    form.append('attachment-1', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'invoice.pdf');
    return form;
  };

  test('a signed multipart delivery is stored, matched by References', async () => {
    const response = await fetch(`${base}/webhooks/inbound/mailgun`, {
      method: 'POST',
      body: asForm(signed(fields())),
    });
    assert.equal(response.status, 200, await response.clone().text());
    await drained(t);
    const event = (await replyOf(t, sent.customerId)).find((e) => e.data.provider === 'mailgun');
    assert.ok(event);
    assert.equal(event.id, 'reply:20260603101500.1.ABC@mail.example.com');
    assert.deepEqual(
      [event.data.matchedBy, event.data.touchPointId, event.data.sentiment, event.data.text],
      ['references', sent.touchPointId, 'positive', 'Thanks, all good! The lamp looks lovely.'],
    );
  });

  test('the urlencoded variant works too (here matched by address)', async () => {
    const values = signed({
      ...fields(),
      'Message-Id': '<20260603111500.2.DEF@mail.example.com>',
      References: '',
      'message-headers': '[]',
      'stripped-text': 'Could you send the invoice to my company?',
    });
    const response = await fetch(`${base}/webhooks/inbound/mailgun`, {
      method: 'POST',
      body: new URLSearchParams(values),
    });
    assert.equal(response.status, 200);
    await drained(t);
    const event = (await replyOf(t, sent.customerId)).find(
      (e) => e.id === 'reply:20260603111500.2.DEF@mail.example.com',
    );
    assert.equal(event?.data.matchedBy, 'address');
  });

  test('a tampered field, a wrong signature or a stale timestamp is refused with 401', async () => {
    const tampered = { ...signed(fields()), timestamp: String(Math.floor(t.clock.now() / 1000) + 1) };
    const wrong = { ...signed(fields()), signature: 'a'.repeat(64) };
    const stale = signed(fields(), Math.floor(t.clock.now() / 1000) - 10 * 60);
    const unsigned = fields();
    for (const values of [tampered, wrong, stale, unsigned]) {
      const response = await fetch(`${base}/webhooks/inbound/mailgun`, {
        method: 'POST',
        body: asForm(values),
      });
      assert.equal(response.status, 401);
    }
  });
});

describe('SendGrid Inbound Parse', () => {
  const headers = (extra: string): string =>
    [
      'Received: by mx0047p1mdw1.sendgrid.net with SMTP id 6WCVv7KAWn',
      'From: Petra Weber <ada.lovelace@example.com>',
      'To: care@lumen.example',
      `Subject: AW: ${sent.subject}`,
      'Date: Wed, 03 Jun 2026 12:30:00 +0200',
      'Message-ID: <5d1c2e@mail.example.de>',
      `In-Reply-To: ${sent.messageId}`,
      extra,
    ]
      .filter(Boolean)
      .join('\n');
  const form = (values: Record<string, string>): FormData => {
    const data = new FormData();
    for (const [name, value] of Object.entries(values)) data.append(name, value);
    return data;
  };
  const parse = (values: Record<string, string>, token = SENDGRID_TOKEN): Promise<Response> =>
    fetch(`${base}/webhooks/inbound/sendgrid/${token}`, { method: 'POST', body: form(values) });

  test('a German reply is stored without the "Am ... schrieb ...:" quote', async () => {
    const response = await parse({
      headers: headers(''),
      from: 'Petra Weber <ada.lovelace@example.com>',
      to: 'care@lumen.example',
      subject: `AW: ${sent.subject}`,
      text:
        'Die Lampe kam leider kaputt an.\n\n' +
        'Am Di., 2. Juni 2026 um 14:00 schrieb Lumen Lamps <care@lumen.example>:\n> Hallo Ada',
      envelope: JSON.stringify({ to: ['care@lumen.example'], from: 'ada.lovelace@example.com' }),
      charsets: JSON.stringify({ to: 'UTF-8', subject: 'UTF-8', from: 'UTF-8', text: 'utf-8' }),
      spam_score: '0.1',
    });
    assert.equal(response.status, 200, await response.clone().text());
    await drained(t);
    const event = (await replyOf(t, sent.customerId)).find((e) => e.data.provider === 'sendgrid');
    assert.ok(event);
    assert.equal(event.id, 'reply:5d1c2e@mail.example.de');
    assert.deepEqual(
      [event.data.matchedBy, event.data.text, event.data.sentiment],
      ['in-reply-to', 'Die Lampe kam leider kaputt an.', 'negative'],
    );
  });

  test('an out-of-office is answered 200 and ignored; a wrong token is 401', async () => {
    const ooo = await parse({
      headers: headers('Auto-Submitted: auto-replied').replace('<5d1c2e@', '<ooo-1@'),
      from: 'ada.lovelace@example.com',
      subject: 'Abwesenheitsnotiz: Ihre Bestellung',
      text: 'Ich bin bis zum 10. Juni nicht im Büro.',
      envelope: JSON.stringify({ to: ['care@lumen.example'], from: 'ada.lovelace@example.com' }),
    });
    assert.equal(ooo.status, 200);
    assert.deepEqual(await ooo.json(), { received: true, ignored: 'auto_reply' });
    assert.equal(await t.store.inbox.inboxDepth(), 0);
    const wrong = await parse(
      { headers: headers(''), from: 'x@example.com', text: 'hi' },
      'sg_inbound_guessed_token_00',
    );
    assert.equal(wrong.status, 401);
  });
});

describe('SendGrid raw mode, and endpoints not configured', () => {
  test('"POST the raw, full MIME message": the email field is read like SMTP mail', async () => {
    const raw = [
      'From: Ada Lovelace <ada.lovelace@example.com>',
      'To: care@lumen.example',
      `Subject: Re: ${sent.subject}`,
      'Date: Wed, 03 Jun 2026 13:00:00 +0000',
      'Message-ID: <raw-7f3a@mail.example.com>',
      `References: ${sent.messageId}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'Wonderful, thank you!',
      '',
      '> Hello Ada',
      '',
    ].join('\r\n');
    const data = new FormData();
    data.append('email', raw);
    data.append('envelope', JSON.stringify({ to: ['care@lumen.example'], from: 'ada.lovelace@example.com' }));
    const response = await fetch(`${base}/webhooks/inbound/sendgrid/${SENDGRID_TOKEN}`, {
      method: 'POST',
      body: data,
    });
    assert.equal(response.status, 200, await response.clone().text());
    await drained(t);
    const event = (await replyOf(t, sent.customerId)).find((e) => e.id === 'reply:raw-7f3a@mail.example.com');
    assert.deepEqual(
      [event?.data.matchedBy, event?.data.text, event?.data.sentiment],
      ['references', 'Wonderful, thank you!', 'positive'],
    );
  });

  test('a provider whose secret is not set answers 404 naming the variable', async () => {
    const bare = await openTestApp();
    try {
      for (const [url, variable] of [
        ['/webhooks/inbound/postmark', 'AFTERCARE_POSTMARK_INBOUND_USER'],
        ['/webhooks/inbound/mailgun', 'AFTERCARE_MAILGUN_SIGNING_KEY'],
        ['/webhooks/inbound/sendgrid/whatever-token-it-may-be', 'AFTERCARE_SENDGRID_INBOUND_TOKEN'],
      ] as const) {
        const response = await bare.app.inject({
          method: 'POST',
          url,
          payload: '{}',
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(response.statusCode, 404);
        assert.match(response.body, new RegExp(variable));
      }
    } finally {
      await bare.close();
    }
  });
});
