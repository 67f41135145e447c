// Link tokens: what a link in a message stands for (unsubscribe, preferences, survey, plan; whose;
// until when), sealed so the link reveals nothing and cannot be forged or changed. AES-256-GCM
// with a key derived by HKDF-SHA256 from AFTERCARE_SECRET: the payload is encrypted (no customer
// or order id can be read or guessed from a link) and authenticated by GCM's tag (any changed
// character makes it invalid). Verified with the current secret, then each previous one.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Millis } from '../../core/domain.js';
import { DEFAULT_LINK_LIFETIMES, type LinkLifetimes } from './lifetimes.js';

// New purposes go at the end: a token carries its purpose's index.
export const LINK_PURPOSES = [
  'unsubscribe',
  'preferences',
  'survey',
  'plan',
  /** "I'm all set, no more tips" in a tip e-mail (a customer's id and the order). */
  'tips',
  /** The mailing list's confirm link (the id is the subscriber's, not a customer's). */
  'list-confirm',
  /** The mailing list's unsubscribe link and List-Unsubscribe header (a subscriber's id). */
  'list-unsubscribe',
  /** A deal's proposed plan, whose `customerId` claim is the deal id (a prospect is no customer yet). */
  'proposal',
] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

export interface LinkClaims {
  purpose: LinkPurpose;
  customerId: string;
  touchPointId: string | null;
  orderId: string | null;
  /** The link stops working at this time (kept to the second). */
  expiresAt: Millis;
}

export type TokenCheck =
  | { status: 'valid'; claims: LinkClaims }
  /** Genuine, but past its time: the page says so (410) and shows nothing else. */
  | { status: 'expired'; purpose: LinkPurpose }
  /** Malformed, changed, or made with a secret this process does not know (404). */
  | { status: 'invalid' };

export interface LinkSecrets {
  current: string;
  previous: readonly string[];
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The longest id a token carries, in UTF-8 bytes (ids here are far shorter). */
const MAX_ID_BYTES = 1000;
/** Longer text is no token of ours: refused before any work. */
const MAX_TOKEN_CHARS = 4096;
const HEADER = Buffer.from([VERSION]);

function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'aftercare/links', 'aftercare link token v1', 32));
}

/**
 * A fresh random IV per token, drawn from a pool filled 4,096 IVs at a time: one call for random
 * bytes per token cost more than the sealing itself on the dispatcher's path. Still fully random
 * (never a counter, which two processes could repeat under the same key).
 */
const IV_POOL = IV_BYTES * 4096;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;
function randomIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

export class LinkTokens {
  private readonly issueKey: Buffer;
  private readonly verifyKeys: Buffer[];
  /** How long each kind of link works after it is made. */
  readonly lifetimes: LinkLifetimes;

  constructor(secrets: LinkSecrets, lifetimes: LinkLifetimes = DEFAULT_LINK_LIFETIMES) {
    this.issueKey = deriveKey(secrets.current);
    this.verifyKeys = [this.issueKey, ...secrets.previous.map(deriveKey)];
    this.lifetimes = lifetimes;
  }

  /** A random secret for this process only (tests, `simulate`): its links die with it. */
  static ephemeral(lifetimes: LinkLifetimes = DEFAULT_LINK_LIFETIMES): LinkTokens {
    return new LinkTokens({ current: randomBytes(48).toString('base64'), previous: [] }, lifetimes);
  }

  /** The sealed, URL-safe token (base64url, no padding). */
  issue(claims: LinkClaims): string {
    const iv = randomIv();
    const cipher = createCipheriv('aes-256-gcm', this.issueKey, iv);
    cipher.setAAD(HEADER);
    const sealed = Buffer.concat([cipher.update(encode(claims)), cipher.final()]);
    return Buffer.concat([HEADER, iv, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /** Valid, expired (genuine but past `expiresAt` at `now`), or invalid; never throws. */
  verify(token: string, now: Millis): TokenCheck {
    if (token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) return { status: 'invalid' };
    const bytes = Buffer.from(token, 'base64url');
    // Base64url that does not round-trip (a changed last character's unused bits) is not ours.
    if (bytes.toString('base64url') !== token) return { status: 'invalid' };
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES + 1 || bytes[0] !== VERSION) return { status: 'invalid' };
    const iv = bytes.subarray(1, 1 + IV_BYTES);
    const sealed = bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    for (const key of this.verifyKeys) {
      const payload = open(key, iv, sealed, tag);
      if (payload === null) continue;
      const claims = decode(payload);
      if (claims === null) return { status: 'invalid' };
      return claims.expiresAt <= now
        ? { status: 'expired', purpose: claims.purpose }
        : { status: 'valid', claims };
    }
    return { status: 'invalid' };
  }
}

function open(key: Buffer, iv: Buffer, sealed: Buffer, tag: Buffer): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(HEADER);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch {
    return null;
  }
}

// Payload: purpose (1 byte), expiry in whole seconds (uint32, rounded up), then customer,
// touch point and order ids, each as a uint16 length + 1 (0 = none) and its UTF-8 bytes.
function encode(claims: LinkClaims): Buffer {
  const purpose = LINK_PURPOSES.indexOf(claims.purpose);
  if (purpose < 0) throw new RangeError(`not a link purpose: ${String(claims.purpose)}`);
  if (claims.customerId === '') throw new RangeError('a link token needs a customer id');
  const seconds = Math.ceil(claims.expiresAt / 1000);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 0xffffffff)
    throw new RangeError(`not a link expiry: ${claims.expiresAt}`);
  const ids = [claims.customerId, claims.touchPointId, claims.orderId];
  let size = 5;
  for (const id of ids) {
    const bytes = id === null ? 0 : Buffer.byteLength(id, 'utf8');
    if (bytes > MAX_ID_BYTES) throw new RangeError(`an id in a link token is over ${MAX_ID_BYTES} bytes`);
    size += 2 + bytes;
  }
  // One buffer, written in place: this runs for every link of every message.
  const out = Buffer.allocUnsafe(size);
  out.writeUInt8(purpose, 0);
  out.writeUInt32BE(seconds, 1);
  let at = 5;
  for (const id of ids) {
    // Length + 1, so that 0 can mean null and 1 the empty string.
    const written = id === null ? 0 : out.write(id, at + 2, 'utf8');
    out.writeUInt16BE(id === null ? 0 : written + 1, at);
    at += 2 + written;
  }
  return out;
}

function decode(payload: Buffer): LinkClaims | null {
  if (payload.length < 5) return null;
  const purpose = LINK_PURPOSES[payload.readUInt8(0)];
  if (purpose === undefined) return null;
  const expiresAt = payload.readUInt32BE(1) * 1000;
  let at = 5;
  const read = (): string | null | undefined => {
    if (at + 2 > payload.length) return undefined;
    const length = payload.readUInt16BE(at);
    at += 2;
    if (length === 0) return null;
    if (at + length - 1 > payload.length) return undefined;
    const value = payload.toString('utf8', at, at + length - 1);
    at += length - 1;
    return value;
  };
  const customerId = read();
  const touchPointId = read();
  const orderId = read();
  if (!customerId || touchPointId === undefined || orderId === undefined || at !== payload.length)
    return null;
  return { purpose, customerId, touchPointId, orderId, expiresAt };
}
