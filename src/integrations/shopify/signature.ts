// Shopify signs each webhook with X-Shopify-Hmac-Sha256: the base64 HMAC-SHA256 of the raw body
// under the app's (or store's) webhook secret. The header carries no timestamp.
import type { IncomingHttpHeaders } from 'node:http';
import type { Verification } from '../mapping.js';
import { fromBase64, hmacSha256, sameBytes, single } from '../signature.js';

export function verifyShopify(raw: Buffer, headers: IncomingHttpHeaders, secret: string): Verification {
  const header = single(headers['x-shopify-hmac-sha256']);
  if (header === null) return { ok: false, reason: 'missing_signature' };
  const given = fromBase64(header);
  if (given === null) return { ok: false, reason: 'bad_signature' };
  return sameBytes(hmacSha256(secret, raw), given) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/** The header a sender (or a test) puts on `raw`. */
export function signShopify(raw: Buffer | string, secret: string): string {
  return hmacSha256(secret, raw).toString('base64');
}
