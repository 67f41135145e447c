// Form bodies for the public pages: application/x-www-form-urlencoded (browsers, and the RFC 8058
// one-click POST of mailbox providers) and multipart/form-data with plain text fields (some
// providers send the one-click POST that way). Registered inside the pages' own scope only.
import type { FastifyInstance } from 'fastify';

/** A form's fields; a field sent more than once (checkboxes) keeps every value, in order. */
export type FormFields = Record<string, string[]>;

export function parseUrlEncoded(body: string): FormFields {
  const fields: FormFields = {};
  for (const [name, value] of new URLSearchParams(body)) (fields[name] ??= []).push(value);
  return fields;
}

/** Text fields of a multipart body; file parts are ignored. */
export function parseMultipart(body: string, contentType: string): FormFields {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2];
  const fields: FormFields = {};
  if (!marker) return fields;
  for (const part of body.split(`--${marker}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /content-disposition:[^\r\n]*\bname="([^"]*)"/i.exec(head)?.[1];
    if (name === undefined || /\bfilename=/i.test(head)) continue;
    (fields[name] ??= []).push(part.slice(split + 4).replace(/\r\n$/, ''));
  }
  return fields;
}

export function registerFormParsers(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => done(null, parseUrlEncoded(String(body))),
  );
  app.addContentTypeParser('multipart/form-data', { parseAs: 'string' }, (request, body, done) =>
    done(null, parseMultipart(String(body), request.headers['content-type'] ?? '')),
  );
}

/** The fields of a parsed body (a JSON or text body has none). */
export function formOf(body: unknown): FormFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) fields[name] = value;
  }
  return fields;
}

export function firstOf(fields: FormFields, name: string): string | undefined {
  return fields[name]?.[0];
}
