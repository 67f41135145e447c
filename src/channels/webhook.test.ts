import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { DestinationGuard, type Resolver } from './destinationGuard.js';
import { ChannelError, type OutboundMessage } from './port.js';
import { createWebhookChannel, WEBHOOK_EVENT_TYPE } from './webhook.js';

const SECRET = 'whsec_' + Buffer.alloc(32, 5).toString('base64');

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  server: Server;
  port: number;
  received: Received[];
}

const servers: Server[] = [];
after(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen(
  handler: (request: IncomingMessage, response: ServerResponse, body: string) => void,
  host = '127.0.0.1',
  port = 0,
): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: request.headers, body });
      handler(request, response, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    touchPointId: 'reassure:shopify:5940139491234:thank-you',
    idempotencyKey: 'reassure:shopify:5940139491234:thank-you',
    messageId: '<3f2a@northwind.example>',
    channel: 'webhook',
    purpose: 'reassurance',
    customerId: 'em_a1dc7b4f2e20ee2c3dce',
    orderId: 'shopify:5940139491234',
    stepKey: 'thank-you',
    to: { email: 'jane.cooper@example.com', phone: '+12065550142', name: 'Jane Cooper' },
    subject: 'Thank you for your order, Jane',
    text: 'Thank you!',
    html: null,
    headers: { 'X-Aftercare-Touch-Point': 'reassure:shopify:5940139491234:thank-you' },
    task: null,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<ChannelError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ChannelError, String(error));
    return error;
  }
  assert.fail('expected the send to fail');
}

/** Allows plain http to 127.0.0.1 (named explicitly), as the tests run without TLS. */
const localGuard = () => new DestinationGuard({ allow: ['127.0.0.1'] });

describe('webhook channel', () => {
  test('POSTs the message signed per Standard Webhooks, webhook-id = idempotency key', async () => {
    const receiver = await listen((_request, response) => response.writeHead(204).end());
    const channel = createWebhookChannel({
      endpoints: [{ url: `http://127.0.0.1:${receiver.port}/hooks/aftercare`, secret: SECRET }],
      guard: localGuard(),
    });
    const receipt = await channel.send(message());
    assert.equal(receipt.providerId, `127.0.0.1:${receiver.port}:204`);
    const [got] = receiver.received;
    assert.ok(got);
    assert.equal(got.headers['webhook-id'], 'reassure:shopify:5940139491234:thank-you');
    const verified = new Webhook(SECRET).verify(got.body, {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    }) as { type: string; data: Record<string, unknown> };
    assert.equal(verified.type, WEBHOOK_EVENT_TYPE);
    assert.equal(verified.data.touchPointId, 'reassure:shopify:5940139491234:thank-you');
    assert.equal(verified.data.subject, 'Thank you for your order, Jane');
    assert.deepEqual(verified.data.to, {
      email: 'jane.cooper@example.com',
      phone: '+12065550142',
      name: 'Jane Cooper',
    });
  });

  test('every endpoint gets it, each signed with its own secret', async () => {
    const a = await listen((_request, response) => response.writeHead(200).end('ok'));
    const b = await listen((_request, response) => response.writeHead(202).end());
    const otherSecret = 'whsec_' + Buffer.alloc(32, 6).toString('base64');
    const channel = createWebhookChannel({
      endpoints: [
        { url: `http://127.0.0.1:${a.port}/a`, secret: SECRET },
        { url: `http://127.0.0.1:${b.port}/b`, secret: otherSecret },
      ],
      guard: localGuard(),
    });
    await channel.send(message());
    const verify = (secret: string, got: Received) =>
      new Webhook(secret).verify(got.body, got.headers as Record<string, string>);
    assert.doesNotThrow(() => verify(SECRET, a.received[0]!));
    assert.doesNotThrow(() => verify(otherSecret, b.received[0]!));
    assert.throws(() => verify(SECRET, b.received[0]!));
  });

  test('answers are classified: 5xx and 429 retryable, 4xx permanent, redirects refused', async () => {
    const cases: [number, string, string][] = [
      [500, 'retryable', 'HTTP_500'],
      [503, 'retryable', 'HTTP_503'],
      [429, 'retryable', 'HTTP_429'],
      [408, 'retryable', 'HTTP_408'],
      [400, 'permanent', 'HTTP_400'],
      [404, 'permanent', 'HTTP_404'],
      [410, 'permanent', 'HTTP_410'],
    ];
    for (const [status, kind, code] of cases) {
      const receiver = await listen((_request, response) => response.writeHead(status).end('{"error":"x"}'));
      const channel = createWebhookChannel({
        endpoints: [{ url: `http://127.0.0.1:${receiver.port}/`, secret: SECRET }],
        guard: localGuard(),
      });
      const error = await failure(channel.send(message()));
      assert.deepEqual([error.kind, error.code], [kind, code], String(status));
    }
  });

  test('a redirect to a private address is not followed', async () => {
    const internal = await listen(
      (_request, response) => response.writeHead(200).end('secrets'),
      '127.0.0.2',
    );
    const redirecting = await listen((_request, response) =>
      response.writeHead(307, { location: `http://127.0.0.2:${internal.port}/latest/meta-data/` }).end(),
    );
    const channel = createWebhookChannel({
      endpoints: [{ url: `http://127.0.0.1:${redirecting.port}/`, secret: SECRET }],
      guard: localGuard(),
    });
    const error = await failure(channel.send(message()));
    assert.deepEqual([error.kind, error.code], ['permanent', 'REDIRECT_REFUSED']);
    assert.equal(internal.received.length, 0);
  });

  test('a destination the guard refuses gets nothing: permanent DESTINATION_BLOCKED / NOT_HTTPS', async () => {
    const receiver = await listen((_request, response) => response.writeHead(200).end());
    const strict = createWebhookChannel({
      endpoints: [{ url: `https://127.0.0.1:${receiver.port}/`, secret: SECRET }],
      guard: new DestinationGuard(),
    });
    const blocked = await failure(strict.send(message()));
    assert.deepEqual([blocked.kind, blocked.code], ['permanent', 'DESTINATION_BLOCKED']);
    const plain = createWebhookChannel({
      endpoints: [{ url: `http://127.0.0.1:${receiver.port}/`, secret: SECRET }],
      guard: new DestinationGuard({ allow: ['127.0.0.0/8'] }),
    });
    const http = await failure(plain.send(message()));
    assert.deepEqual([http.kind, http.code], ['permanent', 'NOT_HTTPS']);
    assert.equal(receiver.received.length, 0);
  });

  test('DNS rebinding: the connection goes to the address that was checked, not to a later answer', async () => {
    const checked = await listen((_request, response) => response.writeHead(200).end('checked'));
    // Same port on another loopback address: where a second lookup would have led.
    const rebound = await listen(
      (_request, response) => response.writeHead(200).end('rebound'),
      '127.0.0.2',
      checked.port,
    );
    let lookups = 0;
    const resolve: Resolver = () => {
      lookups += 1;
      return Promise.resolve([{ address: lookups === 1 ? '127.0.0.1' : '127.0.0.2', family: 4 }]);
    };
    const guard = new DestinationGuard({ resolve, allow: ['hooks.rebind.test', '127.0.0.1/32'] });
    const channel = createWebhookChannel({
      endpoints: [{ url: `http://hooks.rebind.test:${checked.port}/`, secret: SECRET }],
      guard,
    });
    await channel.send(message());
    assert.equal(lookups, 1, 'resolved once, for the check');
    assert.equal(checked.received.length, 1);
    assert.equal(rebound.received.length, 0);
    assert.equal(
      checked.received[0]?.headers.host,
      `hooks.rebind.test:${checked.port}`,
      'the Host header keeps the name',
    );
    // The next send checks again: now the name points at a refused address, and nothing is sent.
    const error = await failure(channel.send(message()));
    assert.equal(error.code, 'DESTINATION_BLOCKED');
    assert.equal(rebound.received.length, 0);
  });

  test('connection refused is retryable; silence after the request went out is uncertain', async () => {
    const closed = await listen(() => undefined);
    const port = closed.port;
    await new Promise((resolve) => closed.server.close(resolve));
    const refusing = createWebhookChannel({
      endpoints: [{ url: `http://127.0.0.1:${port}/`, secret: SECRET }],
      guard: localGuard(),
    });
    const refused = await failure(refusing.send(message()));
    assert.deepEqual([refused.kind, refused.code], ['retryable', 'ECONNREFUSED']);

    const silent = await listen(() => undefined);
    const waiting = createWebhookChannel({
      endpoints: [{ url: `http://127.0.0.1:${silent.port}/`, secret: SECRET }],
      guard: localGuard(),
      timeoutMs: 200,
    });
    const timeout = await failure(waiting.send(message()));
    assert.deepEqual([timeout.kind, timeout.code], ['uncertain', 'TIMEOUT']);
    assert.equal(silent.received.length, 1, 'the receiver did get it');
    silent.server.closeAllConnections();

    const hangingUp = await listen((request) => request.socket.destroy());
    const cut = createWebhookChannel({
      endpoints: [{ url: `http://127.0.0.1:${hangingUp.port}/`, secret: SECRET }],
      guard: localGuard(),
    });
    const reset = await failure(cut.send(message()));
    assert.deepEqual([reset.kind, reset.code], ['uncertain', 'ECONNRESET']);
  });

  test('no endpoint configured is a permanent failure', async () => {
    const error = await failure(createWebhookChannel({ endpoints: [], guard: localGuard() }).send(message()));
    assert.equal(error.code, 'NO_ENDPOINT');
  });
});
