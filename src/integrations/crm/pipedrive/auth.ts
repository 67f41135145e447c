// Pipedrive signs nothing: a webhook carries the HTTP Basic credentials set on it in Pipedrive
// (`http_auth_user`, `http_auth_password`), which are compared in constant time.
import type { IncomingHttpHeaders } from 'node:http';
import type { Verification } from '../../mapping.js';
import { basicAuthMatches } from '../../replies/postmark.js';
import { single } from '../../signature.js';

export function verifyPipedrive(headers: IncomingHttpHeaders, user: string, password: string): Verification {
  const header = single(headers.authorization);
  if (header === null) return { ok: false, reason: 'missing_signature' };
  return basicAuthMatches(header, user, password) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** The Authorization header Pipedrive sends (a sender, or a test). */
export function pipedriveAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}
