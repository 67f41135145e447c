// Postmark's inbound webhook (JSON): https://postmarkapp.com/developer/webhooks/inbound-webhook.
// Postmark signs nothing; the webhook URL carries HTTP Basic credentials that we check.
import { createHash, timingSafeEqual } from 'node:crypto';
import { headerMap, keyOf, receive, type Received } from './inbound.js';

/** True when the Authorization header carries exactly these Basic credentials. */
export function basicAuthMatches(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return false;
  const given = createHash('sha256')
    .update(Buffer.from(match[1] ?? '', 'base64'))
    .digest();
  const expected = createHash('sha256').update(`${user}:${password}`).digest();
  return timingSafeEqual(given, expected);
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

export function receivePostmark(payload: unknown, raw: Buffer): Received {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    return { kind: 'invalid', field: 'body', problem: 'is not a Postmark inbound message object' };
  const body = payload as Record<string, unknown>;
  const list = Array.isArray(body.Headers) ? (body.Headers as unknown[]) : [];
  const headers = headerMap(
    list.flatMap((item) => {
      const entry = item as { Name?: unknown; Value?: unknown } | null;
      const key = text(entry?.Name);
      const value = text(entry?.Value);
      return key !== null && value !== null ? [{ key, value }] : [];
    }),
  );
  const fromFull = body.FromFull as { Email?: unknown } | null | undefined;
  const from = text(fromFull?.Email) ?? text(body.From);
  if (from === null) return { kind: 'invalid', field: 'From', problem: 'is missing' };
  const date = Date.parse(text(body.Date) ?? '');
  return receive({
    provider: 'postmark',
    key: keyOf(text(body.MessageID), raw),
    headers,
    from,
    subject: text(body.Subject) ?? '',
    // Postmark's own reply parsing when it ran, else the whole text (stripped by us).
    text: text(body.StrippedTextReply) || text(body.TextBody) || '',
    messageId: headers.get('message-id') ?? null,
    inReplyTo: headers.get('in-reply-to') ?? null,
    references: headers.get('references') ?? null,
    date: Number.isNaN(date) ? null : date,
  });
}
