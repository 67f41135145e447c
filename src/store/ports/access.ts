// The access capability: API keys (hashes only) and idempotent request records, per API key.
import type { Millis } from '../../core/domain.js';

export interface ApiKey {
  /** The public part of the key (`ak_<id>_<secret>`): shown in listings and logs, never secret. */
  id: string;
  name: string;
  /** SHA-256 (hex) of the whole key. The key itself is never stored. */
  hash: string;
  createdAt: Millis;
  revokedAt: Millis | null;
}

/** An answer kept for an Idempotency-Key: the status and the exact body sent. */
export interface StoredResponse {
  status: number;
  body: string;
}

export interface IdempotencyClaim {
  apiKeyId: string;
  key: string;
  /** Fingerprint of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  /** Names this attempt, so a late finish of a taken-over attempt changes nothing. */
  token: string;
  now: Millis;
  /** A started request holds the key until then; after it (a crash), the key may be taken over. */
  lockUntil: Millis;
}

export type IdempotencyBegin =
  /** The key is new (or its record expired): process the request, then finish or abandon. */
  | { state: 'started' }
  /** The same request was answered before: send this again. */
  | { state: 'replay'; response: StoredResponse }
  /** The key was used for a different request. */
  | { state: 'mismatch' }
  /** The same request is being processed right now. */
  | { state: 'in_progress' };

export interface AccessStore {
  createApiKey(key: ApiKey): Promise<void>;
  findApiKey(id: string): Promise<ApiKey | null>;
  /** Every key, revoked ones included, oldest first. */
  listApiKeys(): Promise<ApiKey[]>;
  /** Marks the key revoked (the first revocation time is kept); null when there is no such key. */
  revokeApiKey(id: string, at: Millis): Promise<ApiKey | null>;

  beginIdempotent(claim: IdempotencyClaim): Promise<IdempotencyBegin>;
  /** Keep the answer of a started request until `expiresAt`; ignored unless `token` still holds it. */
  finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ): Promise<void>;
  /** Forget a started request (it failed on our side), so the client may simply retry. */
  abandonIdempotent(apiKeyId: string, key: string, token: string): Promise<void>;
  /** Delete records that expired at or before `before`; returns how many. */
  purgeIdempotency(before: Millis): Promise<number>;
}
