// Turns whatever nodemailer (or the socket beneath it) threw into a ChannelError of the right
// kind. Decided here once, from the error's `responseCode` and `code` fields, never its text.
import { ChannelError, type ChannelErrorKind } from './port.js';

/** Codes nodemailer and Node put on errors that ended the connection, not the message. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROXY',
  'EPROTOCOL',
  'EMAXLIMIT',
  'EABORT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Our own credentials or TLS setup, not this message: every message would fail the same way
 * until an operator fixes it, so failing them for good would throw away the whole queue.
 */
const SETUP_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'EREQUIRETLS']);

/** The message itself cannot go out: no address, too many recipients, an unreadable body. */
const MESSAGE_CODES = new Set([
  'EENVELOPE',
  'EMESSAGE',
  'EMAXRECIPIENTS',
  'ESTREAM',
  'EFILEACCESS',
  'EURLACCESS',
]);

/**
 * Timeouts that end a wait before the message could have been handed over: connecting, the
 * greeting, the TLS upgrade. Any other timeout (`SOCKET_TIMEOUT`, the server going silent in the
 * middle of a session) may come after the final dot of DATA, so it counts as uncertain; the
 * receiver de-duplicates a resend on its Message-ID.
 */
const EARLY_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);

interface ErrorFields {
  code: string | null;
  originalCode: string | null;
  responseCode: number | null;
  timeoutType: string | null;
}

function fieldsOf(error: unknown): ErrorFields {
  const record = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const text = (key: string): string | null => (typeof record[key] === 'string' ? record[key] : null);
  const responseCode = record.responseCode;
  return {
    code: text('code'),
    originalCode: text('originalCode'),
    responseCode: typeof responseCode === 'number' && Number.isInteger(responseCode) ? responseCode : null,
    timeoutType: text('timeoutType'),
  };
}

/** The kind of an SMTP reply code: 4yz transient, 5yz permanent (RFC 5321 4.2.1). */
export function kindOfReply(responseCode: number): ChannelErrorKind {
  // 503 "bad sequence of commands" describes the session, not the message: a fresh connection
  // can take the same message (nodemailer's isPermanentResponseCode makes the same exception).
  if (responseCode === 503) return 'retryable';
  if (responseCode >= 500 && responseCode < 600) return 'permanent';
  return 'retryable';
}

/** The kind of a failed SMTP send, from the error's fields. */
export function classifySmtpError(error: unknown): { kind: ChannelErrorKind; code: string } {
  const { code, originalCode, responseCode, timeoutType } = fieldsOf(error);
  // A reply from the server is the most precise signal there is; it wins over the error code
  // (EENVELOPE with a 451 is a busy server, with a 550 a dead mailbox). Auth replies do not:
  // a 535 says our password is wrong, not that this message is.
  if (responseCode !== null && responseCode >= 400 && !(code !== null && SETUP_CODES.has(code))) {
    return { kind: kindOfReply(responseCode), code: `SMTP_${responseCode}` };
  }
  if (code === 'ETIMEDOUT') {
    const early = timeoutType !== null && EARLY_TIMEOUTS.has(timeoutType);
    return { kind: early ? 'retryable' : 'uncertain', code: timeoutType ?? 'ETIMEDOUT' };
  }
  // Socket errors carry the system code (ECONNREFUSED...) under originalCode once nodemailer
  // has put its own on top; report the more telling one.
  const shown = originalCode ?? code;
  if (
    (code !== null && CONNECTION_CODES.has(code)) ||
    (originalCode !== null && CONNECTION_CODES.has(originalCode))
  ) {
    return { kind: 'retryable', code: shown ?? 'ECONNECTION' };
  }
  if (code !== null && SETUP_CODES.has(code)) return { kind: 'retryable', code };
  if (code !== null && MESSAGE_CODES.has(code)) return { kind: 'permanent', code };
  // Anything else (a bad header value, a compile error) is deterministic: the same message
  // would fail the same way again.
  return { kind: 'permanent', code: shown ?? 'SMTP_UNEXPECTED' };
}

/** Wraps a send failure in a ChannelError of its kind, keeping the original as the cause. */
export function toChannelError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;
  const { kind, code } = classifySmtpError(error);
  const message = error instanceof Error ? error.message : String(error);
  return new ChannelError(kind, code, message, { cause: error });
}
