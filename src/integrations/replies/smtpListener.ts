// The optional SMTP listener for replies (AFTERCARE_INBOUND_SMTP_PORT): a plain receiving server
// meant to sit behind the business's MX or relay, on a private address. Each message is read,
// auto-replies and bounces are set aside, and a reply is appended to the store's inbox before
// the 250 answer; the inbox drain then matches it to its customer (match.ts). Whether a sender
// is known shows only from the message's content, so every well-formed message is accepted:
// an unmatched one is dropped (with a log line) after the answer, not refused at RCPT.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Millis } from '../../core/domain.js';
import type { InboxStore } from '../../store/ports/inbox.js';
import { pendingReplyEvent } from './inbound.js';
import { receiveRaw } from './mime.js';

export interface InboundSmtpLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface InboundSmtpOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Larger messages are refused with 552. */
  maxBytes: number;
  inbox: Pick<InboxStore, 'appendInbox'>;
  now: () => Millis;
  log: InboundSmtpLog;
  /** Told after each append (a drain in this process can take it at once). */
  onAppended?: (count: number) => void;
}

export interface InboundSmtp {
  readonly host: string;
  readonly port: number;
  /** Stops taking connections; resolves once the open ones ended. */
  close(): Promise<void>;
}

/** A failure the sending server may retry (4xx) or must not (5xx). */
function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const { log } = options;
  const server = new SMTPServer({
    name: 'aftercare-replies',
    banner: 'Aftercare replies',
    // No AUTH and no STARTTLS: the listener trusts the network it is bound to (docs/replies.md).
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    size: options.maxBytes,
    logger: false,
    socketTimeout: 60_000,
    onData(stream, session, callback) {
      readAll(stream)
        .then(async (raw) => {
          if (stream.sizeExceeded)
            throw smtpError(552, `message exceeds the size limit of ${options.maxBytes} bytes`);
          const envelopeFrom = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
          const received = await receiveRaw(raw, 'smtp', envelopeFrom).catch(() => {
            throw smtpError(554, 'the message could not be read');
          });
          if (received.kind !== 'reply') {
            log.info(
              { source: 'smtp', reason: received.kind === 'ignored' ? received.reason : received.problem },
              'inbound mail ignored: not a reply',
            );
            return;
          }
          try {
            await options.inbox.appendInbox(
              [{ event: pendingReplyEvent(received.reply, options.now()), source: 'smtp' }],
              options.now(),
            );
          } catch (error) {
            log.error(
              { err: error, source: 'smtp' },
              'inbound reply could not be stored; the sender will retry',
            );
            throw smtpError(451, 'temporary failure storing the message, try again later');
          }
          options.onAppended?.(1);
        })
        .then(
          () => callback(),
          (error: unknown) =>
            callback(
              error instanceof Error && 'responseCode' in error ? error : smtpError(451, 'try again later'),
            ),
        );
    },
  });
  server.on('error', (error) => log.warn({ err: error, source: 'smtp' }, 'inbound SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address() as AddressInfo;
  return {
    host: options.host,
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
