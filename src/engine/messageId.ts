// The Message-ID of everything we send, derived only from the touch point id: stable across
// retries (the receiver can drop a resent copy) and readable back, so a customer's reply, whose
// In-Reply-To or References carry it, leads to the touch point it answers.
import { createHash } from 'node:crypto';

/**
 * Touch point ids up to this many UTF-8 bytes are written into the Message-ID (as base64url, at
 * most 180 characters, which keeps the header line under ~250 characters with a usual domain).
 * A longer id gets a one-way hash instead: replies to it are matched by address only.
 */
export const TRACEABLE_ID_BYTES = 135;

/** Hex digits of the check part: a typo'd or foreign id reads back as nothing. */
const CHECK_LENGTH = 16;

function check(touchPointId: string): string {
  return createHash('sha256').update(touchPointId).digest('hex').slice(0, CHECK_LENGTH);
}

/** `<base64url(id).check@domain>`: RFC 5322 dot-atom text on both sides of the @. */
export function messageIdFor(touchPointId: string, domain: string): string {
  const bytes = Buffer.from(touchPointId, 'utf8');
  if (bytes.length > TRACEABLE_ID_BYTES) {
    const digest = createHash('sha256').update(touchPointId).digest('hex').slice(0, 32);
    return `<${digest}@${domain}>`;
  }
  return `<${bytes.toString('base64url')}.${check(touchPointId)}@${domain}>`;
}

const TRACEABLE = /^<?\s*([A-Za-z0-9_-]+)\.([0-9a-f]{16})@[^\s<>@]+\s*>?$/;

/** The touch point id a Message-ID of ours was made from; null for any other id. */
export function touchPointIdFromMessageId(messageId: string): string | null {
  const match = TRACEABLE.exec(messageId.trim());
  if (match === null) return null;
  const [, encoded = '', sum = ''] = match;
  const bytes = Buffer.from(encoded, 'base64url');
  // Strict: the decoding must give back exactly the text (no ignored characters, valid UTF-8).
  if (bytes.toString('base64url') !== encoded) return null;
  const id = bytes.toString('utf8');
  if (Buffer.byteLength(id, 'utf8') !== bytes.length || id.length === 0) return null;
  return check(id) === sum ? id : null;
}
