// The email channel (nodemailer): a pooled SMTP transport when an SMTP URL is configured,
// otherwise an outbox directory of .eml files. Both build the message the same way.
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { checkMailbox } from '../core/mailbox.js';
import { Outbox } from './outbox.js';
import { ChannelError, type Channel, type OutboundMessage, type SendReceipt } from './port.js';
import { toChannelError } from './smtpErrors.js';

export interface DkimOptions {
  domainName: string;
  keySelector: string;
  /** PEM. A secret: never logged, never put into an error message. */
  privateKey: string;
}

export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587`, `smtps://...`; null writes .eml files to `outboxDir` instead. */
  smtpUrl: string | null;
  outboxDir: string;
  /** `Name <address>` or a bare address. */
  from: string;
  dkim?: DkimOptions | null;
}

export function createEmailChannel(options: EmailChannelOptions): Channel {
  const dkim = options.dkim ?? null;
  return options.smtpUrl
    ? new SmtpEmailChannel(options.smtpUrl, options.from, dkim)
    : new OutboxEmailChannel(new Outbox(options.outboxDir), options.from, dkim);
}

/** The nodemailer message for an outbound message; the same for SMTP and the outbox. */
export function mailOptionsFor(
  message: OutboundMessage,
  from: string,
  dkim: DkimOptions | null,
): SendMailOptions {
  const email = message.to.email;
  if (!email) {
    // Policies skip customers without an address before sending; getting here is a bug upstream
    // that no retry would fix.
    throw new ChannelError(
      'permanent',
      'NO_RECIPIENT',
      `touch point ${message.touchPointId} has no email address`,
    );
  }
  // The last guard: whatever got into the store, one message goes to one mailbox, never a list.
  const checked = checkMailbox(email);
  if (!checked.ok) {
    throw new ChannelError(
      'permanent',
      'INVALID_RECIPIENT',
      `touch point ${message.touchPointId}: the customer's email address ${checked.problem}`,
    );
  }
  const mail: SendMailOptions = {
    from,
    // An address object lets nodemailer quote and encode the display name.
    to: message.to.name ? { name: message.to.name, address: checked.address } : checked.address,
    subject: message.subject,
    text: message.text,
    messageId: message.messageId,
    headers: { ...message.headers },
  };
  if (message.html !== null) mail.html = message.html;
  if (dkim)
    mail.dkim = { domainName: dkim.domainName, keySelector: dkim.keySelector, privateKey: dkim.privateKey };
  return mail;
}

class SmtpEmailChannel implements Channel {
  readonly handles = ['email'] as const;
  private readonly transport;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    private readonly dkim: DkimOptions | null,
  ) {
    // Options in the URL's query (`?maxConnections=2&socketTimeout=30000`) override these.
    this.transport = nodemailer.createTransport({ url: smtpUrl, pool: true, logger: false });
  }

  async send(message: OutboundMessage): Promise<SendReceipt> {
    const mail = mailOptionsFor(message, this.from, this.dkim);
    try {
      const info = await this.transport.sendMail(mail);
      return { providerId: info.serverMessageId ?? info.response ?? null };
    } catch (error) {
      throw toChannelError(error);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

class OutboxEmailChannel implements Channel {
  readonly handles = ['email'] as const;
  // Composes the full RFC 822 message (DKIM-signed when configured) into a Buffer.
  private readonly composer = nodemailer.createTransport({ streamTransport: true, buffer: true });

  constructor(
    private readonly outbox: Outbox,
    private readonly from: string,
    private readonly dkim: DkimOptions | null,
  ) {}

  async send(message: OutboundMessage): Promise<SendReceipt> {
    if (message.idempotencyKey.length === 0) {
      throw new ChannelError(
        'permanent',
        'NO_IDEMPOTENCY_KEY',
        `touch point ${message.touchPointId} has no idempotency key`,
      );
    }
    const mail = mailOptionsFor(message, this.from, this.dkim);
    let rfc822: Buffer;
    try {
      const info = await this.composer.sendMail(mail);
      // `buffer: true` yields a Buffer; the type also allows a stream, read it whole just in case.
      rfc822 = Buffer.isBuffer(info.message) ? info.message : await readAll(info.message);
    } catch (error) {
      throw toChannelError(error);
    }
    return { providerId: await this.outbox.write(message.idempotencyKey, rfc822) };
  }
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
