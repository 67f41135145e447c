// The email channel against a real SMTP server (smtp-server on 127.0.0.1) and a real outbox
// directory; what arrived is read back with mailparser.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { createEmailChannel } from './email.js';
import { ChannelError, type Channel, type OutboundMessage } from './port.js';

function message(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    touchPointId: 'enr_1:thank_you',
    idempotencyKey: 'enr_1:thank_you',
    messageId: '<0f1e2d3c4b5a69788796a5b4c3d2e1f0@shop.example>',
    channel: 'email',
    purpose: 'reassurance',
    customerId: 'cus_1',
    orderId: 'ord_1',
    stepKey: 'thank_you',
    to: { email: 'ada@example.net', phone: null, name: 'Ada Lovelace' },
    subject: 'Thank you for your order, Ada',
    text: 'Your order is in good hands.\nWrite to support@shop.example if anything is off.',
    html: '<p>Your order is in good hands.</p>',
    headers: {
      'X-Aftercare-Touch-Point': 'enr_1:thank_you',
      'List-Unsubscribe': '<https://shop.example/u/enr_1%3Athank_you>',
    },
    task: null,
    ...overrides,
  };
}

interface Received {
  from: string;
  to: string[];
  raw: Buffer;
}

type Behaviour = 'accept' | 'hang' | { rcptCode: number } | { dataCode: number };

/** A real SMTP server on an ephemeral 127.0.0.1 port. */
async function smtpServer(
  behaviour: Behaviour,
): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const refuse = (code: number): Error =>
    Object.assign(new Error(`refused with ${code}`), { responseCode: code });
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    onRcptTo(_address, _session, callback) {
      if (typeof behaviour === 'object' && 'rcptCode' in behaviour)
        return callback(refuse(behaviour.rcptCode));
      callback();
    },
    onData(stream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (behaviour === 'hang') return; // took the whole message, never answers
        if (typeof behaviour === 'object' && 'dataCode' in behaviour)
          return callback(refuse(behaviour.dataCode));
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        received.push({
          from,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback(null, 'queued as ABC123');
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

async function sendError(channel: Channel, outbound: OutboundMessage): Promise<ChannelError> {
  try {
    await channel.send(outbound);
  } catch (error) {
    assert.ok(error instanceof ChannelError, `expected a ChannelError, got ${String(error)}`);
    return error;
  }
  assert.fail('the send should have failed');
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const FROM = '"Demo Shop" <hello@shop.example>';

/** The raw header line as sent (mailparser turns some headers into objects). */
function headerLine(mail: ParsedMail, key: string): string {
  return mail.headerLines.find((line) => line.key === key)?.line ?? '';
}

describe('email channel over SMTP', () => {
  test('delivers the message with its Message-ID, headers, subject and bodies', async () => {
    const server = await smtpServer('accept');
    const channel = createEmailChannel({ smtpUrl: server.url, outboxDir: '/nonexistent', from: FROM });
    try {
      assert.deepEqual(channel.handles, ['email']);
      const receipt = await channel.send(message());
      assert.equal(server.received.length, 1);
      const [delivery] = server.received;
      assert.equal(delivery!.from, 'hello@shop.example');
      assert.deepEqual(delivery!.to, ['ada@example.net']);
      const mail = await simpleParser(delivery!.raw);
      assert.equal(mail.messageId, '<0f1e2d3c4b5a69788796a5b4c3d2e1f0@shop.example>');
      assert.equal(mail.subject, 'Thank you for your order, Ada');
      assert.equal(mail.text?.trim(), message().text);
      assert.match(String(mail.html), /<p>Your order is in good hands\.<\/p>/);
      assert.equal(mail.headers.get('x-aftercare-touch-point'), 'enr_1:thank_you');
      assert.equal(
        headerLine(mail, 'list-unsubscribe'),
        'List-Unsubscribe: <https://shop.example/u/enr_1%3Athank_you>',
      );
      const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
      assert.deepEqual(to?.value[0], { address: 'ada@example.net', name: 'Ada Lovelace' });
      const from = Array.isArray(mail.from) ? mail.from[0] : mail.from;
      assert.deepEqual(from?.value[0], { address: 'hello@shop.example', name: 'Demo Shop' });
      assert.match(receipt.providerId ?? '', /ABC123/);
    } finally {
      await channel.close?.();
      await server.close();
    }
  });

  test('a message without html goes out as plain text only', async () => {
    const server = await smtpServer('accept');
    const channel = createEmailChannel({ smtpUrl: server.url, outboxDir: '/nonexistent', from: FROM });
    try {
      await channel.send(message({ html: null, to: { email: 'bob@example.net', phone: null, name: null } }));
      const mail = await simpleParser(server.received[0]!.raw);
      assert.equal(mail.html, false);
      const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
      assert.deepEqual(to?.value[0], { address: 'bob@example.net', name: '' });
    } finally {
      await channel.close?.();
      await server.close();
    }
  });

  test('an address holding two mailboxes is refused before anything is sent', async () => {
    const server = await smtpServer('accept');
    const channel = createEmailChannel({ smtpUrl: server.url, outboxDir: '/nonexistent', from: FROM });
    try {
      for (const email of [
        'buyer@example.com, third@evil.example',
        'buyer@example.com\r\nBcc: third@evil.example',
        'buyers: buyer@example.com, third@evil.example;',
      ]) {
        const error = await sendError(channel, message({ to: { email, phone: null, name: 'Ada Lovelace' } }));
        assert.equal(error.kind, 'permanent');
        assert.equal(error.code, 'INVALID_RECIPIENT');
      }
      assert.deepEqual(server.received, []);
    } finally {
      await channel.close?.();
      await server.close();
    }
  });

  test('a 451 answer is a retryable ChannelError', async () => {
    const server = await smtpServer({ rcptCode: 451 });
    const channel = createEmailChannel({ smtpUrl: server.url, outboxDir: '/nonexistent', from: FROM });
    try {
      const error = await sendError(channel, message());
      assert.equal(error.kind, 'retryable');
      assert.equal(error.code, 'SMTP_451');
    } finally {
      await channel.close?.();
      await server.close();
    }
  });

  test('a 550 answer (mailbox unavailable) is permanent', async () => {
    const server = await smtpServer({ rcptCode: 550 });
    const channel = createEmailChannel({ smtpUrl: server.url, outboxDir: '/nonexistent', from: FROM });
    try {
      const error = await sendError(channel, message());
      assert.equal(error.kind, 'permanent');
      assert.equal(error.code, 'SMTP_550');
      assert.equal(server.received.length, 0);
    } finally {
      await channel.close?.();
      await server.close();
    }
  });

  test('a 552 after DATA is permanent, a 452 after DATA retryable', async () => {
    for (const [code, kind] of [
      [552, 'permanent'],
      [452, 'retryable'],
    ] as const) {
      const server = await smtpServer({ dataCode: code });
      const channel = createEmailChannel({ smtpUrl: server.url, outboxDir: '/nonexistent', from: FROM });
      try {
        const error = await sendError(channel, message());
        assert.equal(error.kind, kind, `reply ${code}`);
        assert.equal(error.code, `SMTP_${code}`);
      } finally {
        await channel.close?.();
        await server.close();
      }
    }
  });

  test('nothing listening is retryable', async () => {
    const port = await freePort();
    const channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: '/nonexistent',
      from: FROM,
    });
    try {
      const error = await sendError(channel, message());
      assert.equal(error.kind, 'retryable');
      assert.equal(error.code, 'ECONNREFUSED');
    } finally {
      await channel.close?.();
    }
  });

  test('a server that never greets is retryable: nothing was handed over', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${port}/?greetingTimeout=200`,
      outboxDir: '/nonexistent',
      from: FROM,
    });
    try {
      const error = await sendError(channel, message());
      assert.equal(error.kind, 'retryable');
      assert.equal(error.code, 'GREETING_TIMEOUT');
    } finally {
      await channel.close?.();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test('a timeout after the message was handed over is uncertain', async () => {
    const server = await smtpServer('hang');
    const channel = createEmailChannel({
      smtpUrl: `${server.url}/?socketTimeout=300`,
      outboxDir: '/nonexistent',
      from: FROM,
    });
    try {
      const error = await sendError(channel, message());
      assert.equal(error.kind, 'uncertain');
      assert.equal(error.code, 'SOCKET_TIMEOUT');
    } finally {
      await channel.close?.();
      await server.close();
    }
  });

  test('no recipient address is permanent and contacts no server', async () => {
    const port = await freePort();
    const channel = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: '/nonexistent',
      from: FROM,
    });
    try {
      const error = await sendError(
        channel,
        message({ to: { email: null, phone: '+15550100', name: 'Ada' } }),
      );
      assert.equal(error.kind, 'permanent');
      assert.equal(error.code, 'NO_RECIPIENT');
    } finally {
      await channel.close?.();
    }
  });
});

describe('email channel into the outbox', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  async function outboxDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'aftercare-outbox-'));
    dirs.push(dir);
    return join(dir, 'outbox'); // not there yet: the channel creates it
  }

  test('writes exactly one .eml per idempotency key, even when sent twice', async () => {
    const dir = await outboxDir();
    const channel = createEmailChannel({ smtpUrl: null, outboxDir: dir, from: FROM });
    const first = await channel.send(message());
    const second = await channel.send(message({ subject: 'Thank you again' }));
    assert.equal(first.providerId, second.providerId);
    assert.deepEqual(await readdir(dir), ['enr_1%3Athank_you.eml']);
    const mail = await simpleParser(await readFile(join(dir, 'enr_1%3Athank_you.eml')));
    // The resend replaced the file: the later content is what is there.
    assert.equal(mail.subject, 'Thank you again');
    assert.equal(mail.messageId, message().messageId);
    assert.equal(mail.headers.get('x-aftercare-touch-point'), 'enr_1:thank_you');
    assert.equal(mail.text?.trim(), message().text);

    await channel.send(message({ idempotencyKey: 'enr_1:check_in', messageId: '<other@shop.example>' }));
    assert.deepEqual((await readdir(dir)).sort(), ['enr_1%3Acheck_in.eml', 'enr_1%3Athank_you.eml']);
  });

  test('concurrent sends of one key still leave one complete file and no temp files', async () => {
    const dir = await outboxDir();
    const channel = createEmailChannel({ smtpUrl: null, outboxDir: dir, from: FROM });
    await Promise.all(Array.from({ length: 8 }, () => channel.send(message())));
    const files = await readdir(dir);
    assert.deepEqual(files, ['enr_1%3Athank_you.eml']);
    const mail = await simpleParser(await readFile(join(dir, files[0]!)));
    assert.equal(mail.messageId, message().messageId);
  });

  test('signs with DKIM when configured', async () => {
    const dir = await outboxDir();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const channel = createEmailChannel({
      smtpUrl: null,
      outboxDir: dir,
      from: FROM,
      dkim: { domainName: 'shop.example', keySelector: 'mail2026', privateKey: pem },
    });
    await channel.send(message());
    const raw = await readFile(join(dir, 'enr_1%3Athank_you.eml'), 'utf8');
    const mail = await simpleParser(raw);
    const signature = headerLine(mail, 'dkim-signature');
    assert.match(signature, /d=shop\.example/);
    assert.match(signature, /s=mail2026/);
    assert.match(signature, /bh=/);
  });

  test('an outbox that cannot be written is retryable', async () => {
    const dir = await outboxDir();
    const channel = createEmailChannel({ smtpUrl: null, outboxDir: join(dir, 'x'), from: FROM });
    await channel.send(message());
    // The outbox of this one is a regular file, not a directory.
    const blocked = createEmailChannel({
      smtpUrl: null,
      outboxDir: join(dir, 'x', 'enr_1%3Athank_you.eml'),
      from: FROM,
    });
    const error = await sendError(blocked, message());
    assert.equal(error.kind, 'retryable');
  });
});
