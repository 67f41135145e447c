// AfterShip signs each tracking webhook with `aftership-hmac-sha256`: the base64 HMAC-SHA256 of
// the raw body under the webhook secret. The signed body carries its own `event_id` (dedupe).
import type { IncomingHttpHeaders } from 'node:http';
import type { Verification } from '../mapping.js';
import { fromBase64, hmacSha256, sameBytes, single } from '../signature.js';

export function verifyAfterShip(raw: Buffer, headers: IncomingHttpHeaders, secret: string): Verification {
  const header = single(headers['aftership-hmac-sha256']);
  if (header === null) return { ok: false, reason: 'missing_signature' };
  const given = fromBase64(header);
  if (given === null) return { ok: false, reason: 'bad_signature' };
  return sameBytes(hmacSha256(secret, raw), given) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

export function signAfterShip(raw: Buffer | string, secret: string): string {
  return hmacSha256(secret, raw).toString('base64');
}
