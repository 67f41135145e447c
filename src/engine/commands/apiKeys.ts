// API keys for /api/v1: create one (the key is handed out once; only its hash is kept), list them
// (never the hash), revoke one by its id or by the key itself, and authenticate a presented key.
// `aftercare keys` and the API's Bearer check both come here.
import type { Clock } from '../clock.js';
import type { AccessStore, ApiKey } from '../../store/ports/access.js';
import { apiKeyId, matchesApiKey, newApiKey } from './apiKeyTokens.js';

export type ApiKeyAccess = Pick<AccessStore, 'createApiKey' | 'findApiKey' | 'listApiKeys' | 'revokeApiKey'>;

/** A key as it may be shown: everything but the hash, which is of no use to anyone reading it. */
export type ApiKeyInfo = Omit<ApiKey, 'hash'>;

export type CreatedApiKey =
  | { ok: true; key: string; info: ApiKeyInfo }
  /** The name must be 1-100 letters, digits, spaces or `. _ : @ / -` (it shows up in listings and logs). */
  | { ok: false; why: 'invalid_name' };

export type RevokedApiKey = { ok: true; info: ApiKeyInfo } | { ok: false; why: 'not_found'; id: string };

export interface ApiKeyCommands {
  create(name: string): Promise<CreatedApiKey>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyInfo[]>;
  /** `ref` is the key's id, or the whole key when that is what is at hand. */
  revoke(ref: string): Promise<RevokedApiKey>;
  /** The active key `presented` is, or null (malformed, unknown, wrong or revoked alike). */
  authenticate(presented: string): Promise<ApiKey | null>;
}

const NAME = /^[\p{L}\p{N} ._:@/-]{1,100}$/u;

function info({ hash: _hash, ...shown }: ApiKey): ApiKeyInfo {
  return shown;
}

export function apiKeyCommands(deps: { access: ApiKeyAccess; clock: Clock }): ApiKeyCommands {
  const { access, clock } = deps;
  return {
    async create(name) {
      const trimmed = name.trim();
      if (!NAME.test(trimmed)) return { ok: false, why: 'invalid_name' };
      const created = newApiKey(trimmed, clock.now());
      await access.createApiKey(created.record);
      return { ok: true, key: created.key, info: info(created.record) };
    },
    async list() {
      return (await access.listApiKeys()).map(info);
    },
    async revoke(ref) {
      const id = apiKeyId(ref.trim()) ?? ref.trim();
      const revoked = await access.revokeApiKey(id, clock.now());
      return revoked === null ? { ok: false, why: 'not_found', id } : { ok: true, info: info(revoked) };
    },
    async authenticate(presented) {
      const id = apiKeyId(presented);
      const record = id === null ? null : await access.findApiKey(id);
      // Compared even when nothing was found, so a miss takes as long as a hit.
      const matches = matchesApiKey(record, presented);
      return matches && record !== null && record.revokedAt === null ? record : null;
    },
  };
}
