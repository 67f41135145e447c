// HubSpot signs webhook requests with its app's client secret. v3 (X-HubSpot-Signature-v3): the
// base64 HMAC-SHA256 of method + URI + body + X-HubSpot-Request-Timestamp (milliseconds), refused
// beyond five minutes. Older apps' requests carry only X-HubSpot-Signature with
// X-HubSpot-Signature-Version: v2 is the hex SHA-256 of secret + method + URI + body, v1 of
// secret + body; they carry no time, so they are taken only when no v3 header came.
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Millis } from '../../../core/domain.js';
import type { Verification } from '../../mapping.js';
import { fromBase64, fromHex, hmacSha256, sameBytes, single } from '../../signature.js';

/** HubSpot's own limit: a request older than five minutes is refused. */
export const HUBSPOT_TOLERANCE_MS: Millis = 5 * 60_000;

/** What HubSpot signs besides the body: the method and the full URL it called. */
export interface HubSpotRequest {
  method: string;
  uri: string;
}

// HubSpot decodes these (and only these) in the URI before signing.
const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The URI as HubSpot puts it in the v3 source string. */
export function hubSpotSignedUri(uri: string): string {
  return uri.replace(
    /%(?:3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (code) => DECODED[code.toUpperCase()] ?? code,
  );
}

export function verifyHubSpot(
  raw: Buffer,
  headers: IncomingHttpHeaders,
  request: HubSpotRequest,
  secret: string,
  now: Millis,
): Verification {
  const v3 = single(headers['x-hubspot-signature-v3']);
  if (v3 !== null)
    return verifyV3(raw, v3, single(headers['x-hubspot-request-timestamp']), request, secret, now);
  const legacy = single(headers['x-hubspot-signature']);
  if (legacy === null) return { ok: false, reason: 'missing_signature' };
  const given = fromHex(legacy.trim());
  if (given === null) return { ok: false, reason: 'bad_signature' };
  const version = single(headers['x-hubspot-signature-version'])?.trim().toLowerCase() ?? 'v1';
  const expected =
    version === 'v2'
      ? legacyDigest(secret, request.method, request.uri, raw)
      : version === 'v1'
        ? legacyDigest(secret, raw)
        : null;
  return expected !== null && sameBytes(expected, given)
    ? { ok: true }
    : { ok: false, reason: 'bad_signature' };
}

function verifyV3(
  raw: Buffer,
  signature: string,
  timestamp: string | null,
  request: HubSpotRequest,
  secret: string,
  now: Millis,
): Verification {
  if (timestamp === null) return { ok: false, reason: 'missing_signature' };
  const at = /^\d{1,15}$/.test(timestamp.trim()) ? Number(timestamp.trim()) : null;
  const given = fromBase64(signature);
  if (at === null || given === null) return { ok: false, reason: 'bad_signature' };
  if (!sameBytes(v3Digest(raw, request, secret, timestamp.trim()), given))
    return { ok: false, reason: 'bad_signature' };
  // Checked on a genuine signature only, so the log tells a replay from a forgery.
  return Math.abs(now - at) <= HUBSPOT_TOLERANCE_MS ? { ok: true } : { ok: false, reason: 'stale_timestamp' };
}

function v3Digest(raw: Buffer, request: HubSpotRequest, secret: string, timestamp: string): Buffer {
  return hmacSha256(secret, request.method.toUpperCase(), hubSpotSignedUri(request.uri), raw, timestamp);
}

function legacyDigest(secret: string, ...parts: (string | Buffer)[]): Buffer {
  const hash = createHash('sha256').update(secret);
  for (const part of parts) hash.update(part);
  return hash.digest();
}

/** The headers HubSpot puts on `raw` sent to `uri` at `at` (a sender, or a test). */
export function signHubSpotV3(
  raw: Buffer | string,
  secret: string,
  uri: string,
  at: Millis,
  method = 'POST',
): Record<string, string> {
  const body = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
  return {
    'x-hubspot-signature-v3': v3Digest(body, { method, uri }, secret, String(at)).toString('base64'),
    'x-hubspot-request-timestamp': String(at),
  };
}

/** The legacy headers (v1 or v2) HubSpot puts on `raw`. */
export function signHubSpotLegacy(
  raw: Buffer | string,
  secret: string,
  version: 'v1' | 'v2',
  uri = '',
  method = 'POST',
): Record<string, string> {
  const digest = version === 'v2' ? legacyDigest(secret, method, uri, raw) : legacyDigest(secret, raw);
  return { 'x-hubspot-signature': digest.toString('hex'), 'x-hubspot-signature-version': version };
}
