// API keys (hashes only) and idempotent request records, for both dialects.
import type { Millis } from '../../core/domain.js';
import type {
  AccessStore,
  ApiKey,
  IdempotencyBegin,
  IdempotencyClaim,
  StoredResponse,
} from '../ports/access.js';
import type { SqlHandle } from './db.js';
import { apiKeyFromRow } from './rows.js';

export class SqlAccess implements AccessStore {
  constructor(private readonly sql: SqlHandle) {}

  async createApiKey(key: ApiKey): Promise<void> {
    await this.sql.db
      .insertInto('api_keys')
      .values({
        id: key.id,
        name: key.name,
        hash: key.hash,
        scopes: JSON.stringify(key.scopes),
        created_at: key.createdAt,
        expires_at: key.expiresAt,
        revoked_at: key.revokedAt,
        last_used_at: key.lastUsedAt,
      })
      .execute();
  }

  async findApiKey(id: string): Promise<ApiKey | null> {
    const row = await this.sql.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? apiKeyFromRow(row) : null;
  }

  async listApiKeys(): Promise<ApiKey[]> {
    const rows = await this.sql.db
      .selectFrom('api_keys')
      .selectAll()
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(apiKeyFromRow);
  }

  async revokeApiKey(id: string, at: Millis): Promise<ApiKey | null> {
    const row = await this.sql.db
      .updateTable('api_keys')
      .set((eb) => ({ revoked_at: eb.fn.coalesce('revoked_at', eb.val(at)) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? apiKeyFromRow(row) : null;
  }

  async noteApiKeyUse(id: string, at: Millis, everyMs: Millis): Promise<void> {
    // Conditional, so processes that each think it is time write once between them.
    await this.sql.db
      .updateTable('api_keys')
      .set({ last_used_at: at })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', at - everyMs)]))
      .execute();
  }

  async beginIdempotent(claim: IdempotencyClaim): Promise<IdempotencyBegin> {
    // Start the key unless a live record holds it; a record purged in between is simply gone:
    // try again.
    for (;;) {
      const started = await this.sql.db
        .insertInto('idempotency_keys')
        .values({
          api_key_id: claim.apiKeyId,
          key: claim.key,
          fingerprint: claim.fingerprint,
          token: claim.token,
          status: null,
          body: null,
          created_at: claim.now,
          expires_at: claim.lockUntil,
        })
        .onConflict((oc) =>
          oc
            .columns(['api_key_id', 'key'])
            .doUpdateSet((eb) => ({
              fingerprint: eb.ref('excluded.fingerprint'),
              token: eb.ref('excluded.token'),
              status: null,
              body: null,
              created_at: eb.ref('excluded.created_at'),
              expires_at: eb.ref('excluded.expires_at'),
            }))
            .where('idempotency_keys.expires_at', '<=', claim.now),
        )
        .returning('api_key_id')
        .executeTakeFirst();
      if (started !== undefined) return { state: 'started' };
      const row = await this.sql.db
        .selectFrom('idempotency_keys')
        .select(['fingerprint', 'status', 'body', 'expires_at'])
        .where('api_key_id', '=', claim.apiKeyId)
        .where('key', '=', claim.key)
        .executeTakeFirst();
      if (!row || row.expires_at <= claim.now) continue;
      if (row.fingerprint !== claim.fingerprint) return { state: 'mismatch' };
      if (row.status === null || row.body === null) return { state: 'in_progress' };
      return { state: 'replay', response: { status: row.status, body: row.body } };
    }
  }

  async finishIdempotent(
    apiKeyId: string,
    key: string,
    token: string,
    response: StoredResponse,
    expiresAt: Millis,
  ): Promise<void> {
    await this.sql.db
      .updateTable('idempotency_keys')
      .set({ status: response.status, body: response.body, expires_at: expiresAt })
      .where('api_key_id', '=', apiKeyId)
      .where('key', '=', key)
      .where('token', '=', token)
      .where('status', 'is', null)
      .execute();
  }

  async abandonIdempotent(apiKeyId: string, key: string, token: string): Promise<void> {
    await this.sql.db
      .deleteFrom('idempotency_keys')
      .where('api_key_id', '=', apiKeyId)
      .where('key', '=', key)
      .where('token', '=', token)
      .where('status', 'is', null)
      .execute();
  }

  async purgeIdempotency(before: Millis): Promise<number> {
    const result = await this.sql.db
      .deleteFrom('idempotency_keys')
      .where('expires_at', '<=', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
