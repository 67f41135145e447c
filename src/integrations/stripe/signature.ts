// Stripe-Signature: `t=<unix seconds>,v1=<hex>,v1=<hex>...`, each v1 the HMAC-SHA256 of
// `${t}.${rawBody}` under an endpoint secret. While a secret is rolled Stripe signs with both, so
// any matching v1 is enough; the timestamp must be within the tolerance (replays).
import type { IncomingHttpHeaders } from 'node:http';
import type { Millis } from '../../core/domain.js';
import type { Verification } from '../mapping.js';
import { fromHex, hmacSha256, isFresh, parseSeconds, sameBytes, single } from '../signature.js';

export const STRIPE_TOLERANCE_SECONDS = 300;

export function verifyStripe(
  raw: Buffer,
  headers: IncomingHttpHeaders,
  secret: string,
  now: Millis,
  toleranceSeconds = STRIPE_TOLERANCE_SECONDS,
): Verification {
  const header = single(headers['stripe-signature']);
  if (header === null) return { ok: false, reason: 'missing_signature' };
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',').slice(0, 20)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = parseSeconds(value);
    if (key === 'v1') {
      const bytes = fromHex(value);
      if (bytes !== null) signatures.push(bytes);
    }
  }
  if (timestamp === null || signatures.length === 0) return { ok: false, reason: 'bad_signature' };
  const expected = hmacSha256(secret, `${timestamp}.`, raw);
  // Compare against every candidate, no early exit: the time taken says nothing about which matched.
  let matched = false;
  for (const signature of signatures) matched = sameBytes(expected, signature) || matched;
  if (!matched) return { ok: false, reason: 'bad_signature' };
  return isFresh(timestamp, now, toleranceSeconds) ? { ok: true } : { ok: false, reason: 'stale_timestamp' };
}

/** The header Stripe would send for `raw` at `now` (tests, the benchmark). */
export function signStripe(raw: Buffer | string, secret: string, now: Millis): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${hmacSha256(secret, `${t}.`, raw).toString('hex')}`;
}
