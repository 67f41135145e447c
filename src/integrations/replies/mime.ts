// A raw RFC 822 message (what our SMTP listener receives, or SendGrid's "raw" mode) read with
// mailparser into the fields every source shares.
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { headerMap, receive, type Received, type ReplyProvider } from './inbound.js';

export async function receiveRaw(
  raw: Buffer,
  provider: ReplyProvider,
  envelopeFrom: string | null = null,
): Promise<Received> {
  // Attachments are not kept: nothing on the timeline needs them.
  const mail = await simpleParser(raw, { skipHtmlToText: false, skipImageLinks: true, skipTextLinks: true });
  const headers = headerMap(
    mail.headerLines.map(({ key, line }) => ({ key, value: line.slice(line.indexOf(':') + 1) })),
  );
  const references = Array.isArray(mail.references) ? mail.references.join(' ') : (mail.references ?? null);
  return receive({
    provider,
    key: createHash('sha256').update(raw).digest('hex'),
    headers,
    from: mail.from?.value[0]?.address ?? null,
    subject: mail.subject ?? '',
    text: mail.text ?? '',
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    references,
    date: mail.date?.getTime() ?? null,
    envelopeFrom,
  });
}
