// Mailgun's inbound routes ("forward" to a URL): form fields as in
// https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/, signed with
// HMAC-SHA256 of timestamp + token under the account's HTTP webhook signing key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Millis } from '../../core/domain.js';
import type { Verification } from '../mapping.js';
import { fieldText, type FormFields } from './formData.js';
import { headerMap, keyOf, receive, type Received } from './inbound.js';

/** Signatures older (or newer) than this are refused: a captured request cannot be replayed later. */
export const MAILGUN_TOLERANCE_MS: Millis = 5 * 60_000;

export function signMailgun(key: string, timestamp: string, token: string): string {
  return createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
}

export function verifyMailgun(fields: FormFields, key: string, now: Millis): Verification {
  const timestamp = fieldText(fields, 'timestamp') ?? '';
  const token = fieldText(fields, 'token') ?? '';
  const signature = fieldText(fields, 'signature') ?? '';
  if (!/^\d{1,12}$/.test(timestamp) || token === '' || !/^[0-9a-f]{64}$/i.test(signature))
    return { ok: false, reason: 'missing_signature' };
  const expected = Buffer.from(signMailgun(key, timestamp, token), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    return { ok: false, reason: 'bad_signature' };
  if (Math.abs(now - Number(timestamp) * 1000) > MAILGUN_TOLERANCE_MS)
    return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}

export function receiveMailgun(fields: FormFields, raw: Buffer): Received {
  const field = (name: string): string | null => fieldText(fields, name);
  let headers = new Map<string, string>();
  try {
    const list = JSON.parse(field('message-headers') ?? '[]') as unknown;
    if (Array.isArray(list))
      headers = headerMap(
        list.flatMap((pair) =>
          Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'string'
            ? [{ key: pair[0], value: pair[1] }]
            : [],
        ),
      );
  } catch {
    return { kind: 'invalid', field: 'message-headers', problem: 'is not a JSON list of [name, value]' };
  }
  const from = field('from') ?? field('sender');
  if (from === null) return { kind: 'invalid', field: 'from', problem: 'is missing' };
  const messageId = field('Message-Id') ?? headers.get('message-id') ?? null;
  const date = Date.parse(field('Date') ?? headers.get('date') ?? '');
  return receive({
    provider: 'mailgun',
    key: keyOf(messageId, raw),
    headers,
    from,
    subject: field('subject') ?? headers.get('subject') ?? '',
    text: field('stripped-text') || field('body-plain') || '',
    messageId,
    inReplyTo: field('In-Reply-To') ?? headers.get('in-reply-to') ?? null,
    references: field('References') ?? headers.get('references') ?? null,
    date: Number.isNaN(date) ? null : date,
  });
}
