// The access capability: API keys (hashes only) and idempotent request records, per API key.
import type { Millis } from '../../core/domain.js';

/**
 * What a key may do on /api/v1: `read` the GETs of orders, customers, touch points, concerns,
 * tasks and playbooks; `write` ingest and change touch points, concerns and playbook checks;
 * `tasks` claim and complete tasks (a rep's key; it also lists and reads tasks); `privacy` export
 * and erase customers. Each route declares the scopes that admit it (src/http/routes/).
 */
export const API_SCOPES = ['read', 'write', 'tasks', 'privacy'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export interface ApiKey {
  /** The public part of the key (`ak_<id>_<secret>`): shown in listings and logs, never secret. */
  id: string;
  name: string;
  /** SHA-256 (hex) of the whole key. The key itself is never stored. */
  hash: string;
  /** In API_SCOPES order, without repeats. */
  scopes: ApiScope[];
  createdAt: Millis;
  /** From then on the key is refused (401, saying it expired); null: it never expires. */
  expiresAt: Millis | null;
  revokedAt: Millis | null;
  /** When the key last authenticated a request, to the minute (see noteApiKeyUse). */
  lastUsedAt: Millis | null;
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
  /**
   * Records that the key was used at `at`, unless it was recorded less than `everyMs` before:
   * at most one write per key per `everyMs`, however many processes and requests use it.
   */
  noteApiKeyUse(id: string, at: Millis, everyMs: Millis): Promise<void>;

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
