// The HMAC arithmetic every webhook signature scheme shares, compared in constant time. Pure:
// node:crypto only, the current time handed in.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Millis } from '../core/domain.js';

export function hmacSha256(key: string | Buffer, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac('sha256', key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time for equal lengths; different lengths say nothing about the secret. */
export function sameBytes(expected: Buffer, given: Buffer): boolean {
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Strict base64 (padded or not); null for anything else, so junk never decodes to something. */
export function fromBase64(text: string): Buffer | null {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 512 || !/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null;
  return Buffer.from(trimmed, 'base64');
}

export function fromHex(text: string): Buffer | null {
  return /^(?:[0-9a-f]{2}){1,256}$/i.test(text) ? Buffer.from(text, 'hex') : null;
}

/** A header value as Fastify hands it: one string, several (repeated header) or none. */
export function single(header: string | string[] | undefined): string | null {
  if (Array.isArray(header)) return header.length === 1 ? (header[0] ?? null) : null;
  return header === undefined || header.trim() === '' ? null : header;
}

/** Whether a signed Unix-seconds timestamp is within `toleranceSeconds` of now, either way. */
export function isFresh(timestampSeconds: number, now: Millis, toleranceSeconds: number): boolean {
  return Math.abs(now / 1000 - timestampSeconds) <= toleranceSeconds;
}

/** Unix seconds as sent in a header: digits only. */
export function parseSeconds(text: string): number | null {
  return /^\d{1,12}$/.test(text.trim()) ? Number(text.trim()) : null;
}
