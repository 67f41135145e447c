// An inbound e-mail as every source (our SMTP listener, Postmark, Mailgun, SendGrid) hands it
// over: the few fields matching and the timeline need, with the quoted history stripped. It
// waits in the inbox as a `reply.received` event without a customer; the inbox drain matches
// it to one (engine/replies.ts) or drops it.
import { createHash } from 'node:crypto';
import type { DomainEvent, Millis } from '../../core/domain.js';
import { notAReply, type NotAReply } from './automatic.js';
import { stripQuoted } from './quoted.js';

export const REPLY_PROVIDERS = ['smtp', 'postmark', 'mailgun', 'sendgrid'] as const;
export type ReplyProvider = (typeof REPLY_PROVIDERS)[number];

export interface InboundReply {
  provider: ReplyProvider;
  /** Unique per message at its source; the event id is `reply:<key>`. */
  key: string;
  /** The sender's address, lower-case. */
  from: string;
  subject: string;
  /** What the customer wrote, without quoted history or signature (at most MAX_REPLY_TEXT). */
  text: string;
  /** The reply's own Message-ID, as sent. */
  messageId: string | null;
  /** Message-IDs from In-Reply-To, then References (last, i.e. most recent, first). */
  inReplyTo: string[];
  references: string[];
  /** The Date header, when it parses. */
  date: Millis | null;
}

export type Received =
  | { kind: 'reply'; reply: InboundReply }
  | { kind: 'ignored'; reason: NotAReply | 'no_sender' }
  | { kind: 'invalid'; field: string; problem: string };

/** What a source read from a message, before the checks every source shares. */
export interface MailFields {
  provider: ReplyProvider;
  /** The source's id for the message (hashed when long or odd), else a hash of its bytes. */
  key: string;
  /** Header values by lower-case name (first of each); may be empty when a provider parsed them. */
  headers: ReadonlyMap<string, string>;
  from: string | null;
  subject: string;
  /** Plain text as received (quotes are stripped here), or already stripped by the provider. */
  text: string;
  messageId: string | null;
  inReplyTo: string | null;
  references: string | null;
  date: Millis | null;
  envelopeFrom?: string | null;
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** `Name <a@b>` or a bare address -> the lower-case address; null when there is none. */
export function addressOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const bracketed = /<([^<>]+)>/.exec(value);
  const address = (bracketed?.[1] ?? value).trim().toLowerCase();
  return ADDRESS.test(address) ? address : null;
}

/** Message-IDs in a header value: `<a@b> <c@d>`, tolerating ids written without brackets. */
export function messageIdsIn(value: string | null | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed !== null) return bracketed;
  return value
    .split(/[\s,]+/)
    .filter((token) => token.includes('@'))
    .map((token) => `<${token}>`);
}

/** A key safe to put in an event id: short printable ids as they are, anything else hashed. */
export function keyOf(id: string | null | undefined, bytes: Buffer | string): string {
  const trimmed = id?.trim().replace(/^<|>$/g, '') ?? '';
  if (/^[\x21-\x7e]{1,150}$/.test(trimmed)) return trimmed;
  return createHash('sha256').update(bytes).digest('hex');
}

export function receive(fields: MailFields): Received {
  const from = addressOf(fields.from);
  if (from === null) return { kind: 'ignored', reason: 'no_sender' };
  const automatic = notAReply({
    headers: fields.headers,
    subject: fields.subject,
    from,
    envelopeFrom: fields.envelopeFrom ?? null,
  });
  if (automatic !== null) return { kind: 'ignored', reason: automatic };
  return {
    kind: 'reply',
    reply: {
      provider: fields.provider,
      key: fields.key,
      from,
      subject: fields.subject.slice(0, 998),
      text: stripQuoted(fields.text),
      messageId: fields.messageId?.trim() || null,
      inReplyTo: messageIdsIn(fields.inReplyTo),
      // The most recent message is referenced last: try it first.
      references: messageIdsIn(fields.references).reverse(),
      date: fields.date !== null && Number.isFinite(fields.date) ? fields.date : null,
    },
  };
}

/** Headers from raw `Name: value` lines (folded lines unfolded); first value of each name. */
export function headerMap(lines: Iterable<{ key: string; value: string }>): Map<string, string> {
  const map = new Map<string, string>();
  for (const { key, value } of lines) {
    const name = key.trim().toLowerCase();
    if (!map.has(name)) map.set(name, value.replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return map;
}

/**
 * The inbox entry: a `reply.received` event with no customer yet and the reply under
 * `data.inbound`. Its time is the Date header unless that lies in the future.
 */
export function pendingReplyEvent(reply: InboundReply, receivedAt: Millis): DomainEvent {
  const at = reply.date !== null && reply.date <= receivedAt ? reply.date : receivedAt;
  return {
    id: `reply:${reply.key}`,
    type: 'reply.received',
    at,
    customerId: null,
    orderId: null,
    data: { inbound: reply },
  };
}

/** The reply an inbox entry holds, when it is one that still waits for its customer. */
export function pendingReplyOf(event: DomainEvent): InboundReply | null {
  if (event.type !== 'reply.received' || event.customerId !== null) return null;
  const inbound = event.data.inbound;
  if (typeof inbound !== 'object' || inbound === null) return null;
  // Read field by field: an entry written by another version must not stop the drain.
  const value = inbound as Record<string, unknown>;
  const text = (field: unknown): string => (typeof field === 'string' ? field : '');
  const ids = (field: unknown): string[] =>
    Array.isArray(field) ? field.filter((id): id is string => typeof id === 'string') : [];
  const provider = REPLY_PROVIDERS.find((name) => name === value.provider) ?? 'smtp';
  return {
    provider,
    key: text(value.key),
    from: text(value.from),
    subject: text(value.subject),
    text: text(value.text),
    messageId: typeof value.messageId === 'string' ? value.messageId : null,
    inReplyTo: ids(value.inReplyTo),
    references: ids(value.references),
    date: typeof value.date === 'number' ? value.date : null,
  };
}
