// Form bodies as Mailgun and SendGrid post inbound mail: multipart/form-data (text fields kept,
// uploaded files skipped) or application/x-www-form-urlencoded. Values are the bytes as sent;
// the caller decodes them (SendGrid names each field's charset).

export type FormFields = Map<string, Buffer>;

export function parseForm(raw: Buffer, contentType: string | undefined): FormFields | null {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields: FormFields = new Map();
    for (const [name, value] of new URLSearchParams(raw.toString('utf8')))
      if (!fields.has(name)) fields.set(name, Buffer.from(value, 'utf8'));
    return fields;
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
    const value = boundary?.[1] ?? boundary?.[2];
    return value ? parseMultipart(raw, value) : null;
  }
  return null;
}

function parseMultipart(raw: Buffer, boundary: string): FormFields | null {
  const fields: FormFields = new Map();
  const delimiter = Buffer.from(`--${boundary}`);
  let start = raw.indexOf(delimiter);
  if (start < 0) return null;
  for (;;) {
    start += delimiter.length;
    // `--` after a delimiter ends the body.
    if (raw[start] === 0x2d && raw[start + 1] === 0x2d) return fields;
    const next = raw.indexOf(delimiter, start);
    if (next < 0) return fields;
    const part = raw.subarray(start, next);
    const split = part.indexOf('\r\n\r\n');
    if (split >= 0) {
      const head = part.subarray(0, split).toString('utf8');
      // The part's body ends with the CRLF that precedes the next delimiter.
      let body = part.subarray(split + 4);
      if (body.length >= 2 && body[body.length - 2] === 0x0d && body[body.length - 1] === 0x0a)
        body = body.subarray(0, body.length - 2);
      const disposition = /^content-disposition:[^\r\n]*$/im.exec(head)?.[0] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const file = /\bfilename\*?=/i.test(disposition);
      if (name !== undefined && !file && !fields.has(name)) fields.set(name, Buffer.from(body));
    }
    start = next;
  }
}

/** A field as text (UTF-8 unless `charset` names another that Node decodes). */
export function fieldText(fields: FormFields, name: string, charset = 'utf-8'): string | null {
  const bytes = fields.get(name);
  if (bytes === undefined) return null;
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}
