import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChannelError, type OutboundMessage } from './port.js';
import { createSmsChannel, normalizePhone } from './sms.js';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'twilio-auth-token-0123456789';

interface Call {
  path: string;
  authorization: string | undefined;
  form: URLSearchParams;
}

/** A stand-in for the Twilio Messages API on 127.0.0.1, answering as the real one does. */
let server: Server;
let base: string;
const calls: Call[] = [];
let next: { status: number; body: unknown } | null = null;

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      calls.push({ path: request.url ?? '', authorization: request.headers.authorization, form });
      const answer = next ?? {
        status: 201,
        body: {
          account_sid: SID,
          api_version: '2010-04-01',
          body: form.get('Body'),
          date_created: 'Mon, 01 Jun 2026 14:31:00 +0000',
          direction: 'outbound-api',
          error_code: null,
          from: form.get('From'),
          messaging_service_sid: form.get('MessagingServiceSid'),
          num_segments: '1',
          price: null,
          sid: `SM${String(calls.length).padStart(32, '0')}`,
          status: 'queued',
          to: form.get('To'),
          uri: `/2010-04-01/Accounts/${SID}/Messages/SM${String(calls.length).padStart(32, '0')}.json`,
        },
      };
      next = null;
      response
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise((resolve) => server.close(resolve)));

function message(phone: string | null): OutboundMessage {
  return {
    touchPointId: 'reassure:shopify:1:order-shipped-sms',
    idempotencyKey: 'reassure:shopify:1:order-shipped-sms',
    messageId: '<a1@northwind.example>',
    channel: 'sms',
    purpose: 'transactional',
    customerId: 'em_1',
    orderId: 'shopify:1',
    stepKey: 'order-shipped-sms',
    to: { email: null, phone, name: 'Jane Cooper' },
    subject: '',
    text: 'Your lamp is on its way: https://www.ups.com/track?tracknum=1Z999AA10123456784',
    html: null,
    headers: {},
    task: null,
  };
}

const channel = (options: { from?: string; defaultCountry?: string | null } = {}) =>
  createSmsChannel({
    baseUrl: base,
    accountSid: SID,
    authToken: TOKEN,
    from: options.from ?? '+14155550123',
    defaultCountry: options.defaultCountry === undefined ? 'US' : options.defaultCountry,
  });

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChannelError, String(error));
    return error;
  }
  assert.fail('expected the send to fail');
}

describe('sms channel', () => {
  test('posts To/From/Body, form-encoded with basic auth, the number in E.164; the message SID comes back', async () => {
    const receipt = await channel().send(message('(206) 555-0142'));
    const call = calls.at(-1)!;
    assert.equal(call.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.equal(call.authorization, `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    assert.equal(call.form.get('To'), '+12065550142');
    assert.equal(call.form.get('From'), '+14155550123');
    assert.match(call.form.get('Body') ?? '', /on its way/);
    assert.match(receipt.providerId ?? '', /^SM\d{32}$/);
  });

  test('a messaging service SID is sent as MessagingServiceSid', async () => {
    await channel({ from: 'MG0123456789abcdef0123456789abcdef' }).send(message('+49 30 901820'));
    const call = calls.at(-1)!;
    assert.equal(call.form.get('MessagingServiceSid'), 'MG0123456789abcdef0123456789abcdef');
    assert.equal(call.form.get('From'), null);
    assert.equal(call.form.get('To'), '+4930901820');
  });

  test('invalid numbers fail for good, before any request, and the error never shows the number', async () => {
    const before = calls.length;
    for (const phone of ['12', '+1 206 555', '0301234567890123456', 'call me', '+999 123 4567']) {
      const error = await failure(channel().send(message(phone)));
      assert.deepEqual([error.kind, error.code], ['permanent', 'PHONE_INVALID'], phone);
      assert.ok(!error.message.includes(phone), error.message);
    }
    const national = await failure(channel({ defaultCountry: null }).send(message('(206) 555-0142')));
    assert.match(national.message, /no country code/);
    const none = await failure(channel().send(message(null)));
    assert.equal(none.code, 'NO_RECIPIENT');
    assert.equal(calls.length, before);
  });

  test("the provider's answers are classified by status and error code", async () => {
    const cases: [number, unknown, string, string][] = [
      [
        400,
        { code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 },
        'permanent',
        'SMS_21211',
      ],
      [
        400,
        { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 },
        'permanent',
        'SMS_21610',
      ],
      [429, { code: 20429, message: 'Too Many Requests', status: 429 }, 'retryable', 'SMS_20429'],
      [
        400,
        {
          code: 21611,
          message: 'This From number has exceeded the maximum number of queued messages',
          status: 400,
        },
        'retryable',
        'SMS_21611',
      ],
      [401, { code: 20003, message: 'Authenticate', status: 401 }, 'retryable', 'SMS_20003'],
      [503, 'Service Unavailable', 'retryable', 'HTTP_503'],
      [500, { code: 20500, message: 'Internal Server Error', status: 500 }, 'retryable', 'SMS_20500'],
    ];
    for (const [status, body, kind, code] of cases) {
      next = { status, body };
      const error = await failure(channel().send(message('+12065550142')));
      assert.deepEqual([error.kind, error.code], [kind, code], `${status} ${JSON.stringify(body)}`);
      assert.ok(!error.message.includes('+12065550142'));
    }
  });

  test('normalizePhone', () => {
    assert.deepEqual(normalizePhone('+1 (206) 555-0142', null), { ok: true, e164: '+12065550142' });
    assert.deepEqual(normalizePhone('030 901820', 'DE'), { ok: true, e164: '+4930901820' });
    assert.deepEqual(normalizePhone('+49 30', null), { ok: false, problem: 'is too short' });
    assert.deepEqual(normalizePhone('+999 1234567', null), {
      ok: false,
      problem: 'has an unknown country code',
    });
  });
});
