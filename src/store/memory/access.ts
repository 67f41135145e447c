// API keys (hashes only) and idempotent request records in memory, with the SQL stores' rules:
// a key is started once, replayed once answered, refused for another request, and free again
// once its record expired or its attempt abandoned it.
import type { Millis } from '../../core/domain.js';
import type {
  AccessStore,
  ApiKey,
  IdempotencyBegin,
  IdempotencyClaim,
  StoredResponse,
} from '../ports/access.js';
import { compareText } from '../records/storable.js';
import { settle } from './settle.js';
import { duplicateKey, type IdempotencyRecord, type MemoryTables } from './tables.js';

function ownedKey(k: ApiKey): ApiKey {
  return Object.freeze({
    id: k.id,
    name: k.name,
    hash: k.hash,
    scopes: Object.freeze([...k.scopes]) as ApiKey['scopes'],
    createdAt: k.createdAt,
    expiresAt: k.expiresAt,
    revokedAt: k.revokedAt,
    lastUsedAt: k.lastUsedAt,
  });
}

export class MemoryAccess implements AccessStore {
  constructor(private readonly tables: MemoryTables) {}

  createApiKey(key: ApiKey): Promise<void> {
    return settle(() => {
      if (this.tables.apiKeys.has(key.id)) throw duplicateKey('api_keys', key.id);
      this.tables.apiKeys.set(key.id, ownedKey(key));
    });
  }

  findApiKey(id: string): Promise<ApiKey | null> {
    return settle(() => this.tables.apiKeys.get(id) ?? null);
  }

  listApiKeys(): Promise<ApiKey[]> {
    return settle(() =>
      [...this.tables.apiKeys.values()].sort((a, b) => a.createdAt - b.createdAt || compareText(a.id, b.id)),
    );
  }

  revokeApiKey(id: string, at: Millis): Promise<ApiKey | null> {
    return settle(() => {
      const key = this.tables.apiKeys.get(id);
      if (key === undefined) return null;
      if (key.revokedAt !== null) return key;
      const revoked = ownedKey({ ...key, revokedAt: at });
      this.tables.apiKeys.set(id, revoked);
      return revoked;
    });
  }

  noteApiKeyUse(id: string, at: Millis, everyMs: Millis): Promise<void> {
    return settle(() => {
      const key = this.tables.apiKeys.get(id);
      if (key === undefined || (key.lastUsedAt !== null && key.lastUsedAt > at - everyMs)) return;
      this.tables.apiKeys.set(id, ownedKey({ ...key, lastUsedAt: at }));
    });
  }

  beginIdempotent(claim: IdempotencyClaim): Promise<IdempotencyBegin> {
    return settle((): IdempotencyBegin => {
      const held = this.recordsOf(claim.apiKeyId);
      const record = held.get(claim.key);
      if (record === undefined || record.expiresAt <= claim.now) {
        held.set(
          claim.key,
          Object.freeze({
            fingerprint: claim.fingerprint,
            token: claim.token,
            status: null,
            body: null,
            createdAt: claim.now,
            expiresAt: claim.lockUntil,
          }),
        );
        return { state: 'started' };
      }
      if (record.fingerprint !== claim.fingerprint) return { state: 'mismatch' };
      if (record.status === null || record.body === null) return { state: 'in_progress' };
      return { state: 'replay', response: { status: record.status, body: record.body } };
    });
  }

  finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ): Promise<void> {
    return settle(() => {
      const held = this.tables.idempotency.get(apiKeyId);
      const record = held?.get(key);
      if (held === undefined || record === undefined || record.token !== token || record.status !== null)
        return;
      held.set(key, Object.freeze({ ...record, status: response.status, body: response.body, expiresAt }));
    });
  }

  abandonIdempotent(apiKeyId: string, key: string, token: string): Promise<void> {
    return settle(() => {
      const held = this.tables.idempotency.get(apiKeyId);
      const record = held?.get(key);
      if (record !== undefined && record.token === token && record.status === null) held?.delete(key);
    });
  }

  purgeIdempotency(before: Millis): Promise<number> {
    return settle(() => {
      let purged = 0;
      for (const held of this.tables.idempotency.values()) {
        for (const [key, record] of held) {
          if (record.expiresAt > before) continue;
          held.delete(key);
          purged += 1;
        }
      }
      return purged;
    });
  }

  private recordsOf(apiKeyId: string): Map<string, IdempotencyRecord> {
    let held = this.tables.idempotency.get(apiKeyId);
    if (held === undefined) {
      held = new Map();
      this.tables.idempotency.set(apiKeyId, held);
    }
    return held;
  }
}
