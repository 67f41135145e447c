// SendGrid's Inbound Parse (multipart/form-data): https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook.
// Parsed mode posts `headers` (the raw header block), `text`, `from`, `subject`, `envelope` and
// `charsets`; raw mode posts the whole message as `email`. SendGrid signs nothing by default:
// the URL's last segment is a secret token.
import { createHash, timingSafeEqual } from 'node:crypto';
import { fieldText, type FormFields } from './formData.js';
import { headerMap, keyOf, receive, type Received } from './inbound.js';
import { receiveRaw } from './mime.js';

export function tokenMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `Name: value` lines of a raw header block, folded lines unfolded. */
function headerBlock(block: string): Map<string, string> {
  const unfolded = block.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  return headerMap(
    unfolded.split('\n').flatMap((line) => {
      const colon = line.indexOf(':');
      return colon > 0 ? [{ key: line.slice(0, colon), value: line.slice(colon + 1) }] : [];
    }),
  );
}

export async function receiveSendGrid(fields: FormFields, raw: Buffer): Promise<Received> {
  let charsets: Record<string, string> = {};
  try {
    const parsed = JSON.parse(fieldText(fields, 'charsets') ?? '{}') as unknown;
    if (typeof parsed === 'object' && parsed !== null) charsets = parsed as Record<string, string>;
  } catch {
    // Unknown charsets: UTF-8.
  }
  let envelopeFrom: string | null = null;
  try {
    const envelope = JSON.parse(fieldText(fields, 'envelope') ?? '{}') as { from?: unknown };
    if (typeof envelope.from === 'string') envelopeFrom = envelope.from;
  } catch {
    return { kind: 'invalid', field: 'envelope', problem: 'is not JSON' };
  }
  const email = fields.get('email');
  if (email !== undefined) {
    const received = await receiveRaw(email, 'sendgrid', envelopeFrom);
    return received.kind === 'reply'
      ? { kind: 'reply', reply: { ...received.reply, key: keyOf(received.reply.messageId, email) } }
      : received;
  }
  const field = (name: string): string | null => fieldText(fields, name, charsets[name] ?? 'utf-8');
  const block = field('headers');
  if (block === null) return { kind: 'invalid', field: 'headers', problem: 'is missing (and no raw email)' };
  const headers = headerBlock(block);
  const messageId = headers.get('message-id') ?? null;
  const date = Date.parse(headers.get('date') ?? '');
  return receive({
    provider: 'sendgrid',
    key: keyOf(messageId, raw),
    headers,
    from: field('from') ?? headers.get('from') ?? null,
    subject: field('subject') ?? '',
    text: field('text') ?? '',
    messageId,
    inReplyTo: headers.get('in-reply-to') ?? null,
    references: headers.get('references') ?? null,
    date: Number.isNaN(date) ? null : date,
    envelopeFrom,
  });
}
