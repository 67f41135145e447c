// Standard Webhooks (standardwebhooks.com): webhook-id, webhook-timestamp (Unix seconds) and
// webhook-signature (`v1,<base64>` entries separated by spaces), each signature the HMAC-SHA256
// of `${id}.${timestamp}.${rawBody}` under the base64 key of a `whsec_...` secret. Verified here
// on the raw bytes with the injected clock; the `standardwebhooks` package signs (outbound) and
// is the reference the tests check this against.
import type { IncomingHttpHeaders } from 'node:http';
import type { Millis } from '../../core/domain.js';
import type { Verification } from '../mapping.js';
import { fromBase64, hmacSha256, isFresh, parseSeconds, sameBytes, single } from '../signature.js';

export const STANDARD_TOLERANCE_SECONDS = 300;

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional); null when it is none. */
export function standardKey(secret: string): Buffer | null {
  const key = fromBase64(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
  return key !== null && key.length > 0 ? key : null;
}

export function verifyStandard(
  raw: Buffer,
  headers: IncomingHttpHeaders,
  key: Buffer,
  now: Millis,
  toleranceSeconds = STANDARD_TOLERANCE_SECONDS,
): Verification {
  const id = single(headers['webhook-id']);
  const stamp = single(headers['webhook-timestamp']);
  const signature = single(headers['webhook-signature']);
  if (id === null || stamp === null || signature === null) return { ok: false, reason: 'missing_signature' };
  const timestamp = parseSeconds(stamp);
  if (timestamp === null) return { ok: false, reason: 'bad_signature' };
  const expected = hmacSha256(key, `${id}.${timestamp}.`, raw);
  let matched = false;
  for (const entry of signature.split(' ').slice(0, 20)) {
    const [version, value] = entry.split(',', 2);
    const given = version === 'v1' && value !== undefined ? fromBase64(value) : null;
    if (given !== null) matched = sameBytes(expected, given) || matched;
  }
  if (!matched) return { ok: false, reason: 'bad_signature' };
  if (!isFresh(timestamp, now, toleranceSeconds)) return { ok: false, reason: 'stale_timestamp' };
  return { ok: true };
}
