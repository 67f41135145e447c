// API keys for /api/v1: create one (the key is handed out once; only its hash is kept) with its
// scopes and expiry, list them (never the hash), revoke one by its id or by the key itself, and
// authenticate a presented key (noting when it was last used). `aftercare keys` and the API's
// Bearer check both come here.
import type { Millis } from '../../core/domain.js';
import type { Clock } from '../clock.js';
import { API_SCOPES, type AccessStore, type ApiKey, type ApiScope } from '../../store/ports/access.js';
import { apiKeyId, matchesApiKey, newApiKey } from './apiKeyTokens.js';

export type ApiKeyAccess = Pick<
  AccessStore,
  'createApiKey' | 'findApiKey' | 'listApiKeys' | 'revokeApiKey' | 'noteApiKeyUse'
>;

/** A key as it may be shown: everything but the hash, which is of no use to anyone reading it. */
export type ApiKeyInfo = Omit<ApiKey, 'hash'>;

/** What a key created without scopes may do: read, nothing more (grant the rest by name). */
export const DEFAULT_SCOPES: readonly ApiScope[] = ['read'];

/**
 * How finely `lastUsedAt` is kept. Noting every request would turn every GET into a write: on
 * SQLite each would queue behind the dispatcher for the one write lock, on PostgreSQL each would
 * leave a dead row version of the same hot row. "Used in the last minute" is all anyone deciding
 * whether a key can be revoked needs, so a key is written at most once a minute.
 */
export const LAST_USED_RESOLUTION_MS: Millis = 60_000;

export type CreatedApiKey =
  | { ok: true; key: string; info: ApiKeyInfo }
  /** The name must be 1-100 letters, digits, spaces or `. _ : @ / -` (it shows up in listings and logs). */
  | { ok: false; why: 'invalid_name' }
  /** `scope` is not one of API_SCOPES. */
  | { ok: false; why: 'invalid_scope'; scope: string }
  /** The expiry is not after now. */
  | { ok: false; why: 'expiry_passed' };

export type RevokedApiKey = { ok: true; info: ApiKeyInfo } | { ok: false; why: 'not_found'; id: string };

export type Authentication =
  | { ok: true; key: ApiKey }
  /** The presented key is this one, but it expired: worth telling its holder, who has the key. */
  | { ok: false; why: 'expired'; expiredAt: Millis }
  /** Malformed, unknown, wrong or revoked alike: the caller learns nothing about which. */
  | { ok: false; why: 'invalid' };

export interface NewKeyOptions {
  /** Scope names as given (`read`, `tasks`...); none or empty: DEFAULT_SCOPES. */
  scopes?: readonly string[];
  /** When the key stops working; null or absent: never. */
  expiresAt?: Millis | null;
}

export interface ApiKeyCommands {
  create(name: string, options?: NewKeyOptions): Promise<CreatedApiKey>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<ApiKeyInfo[]>;
  /** `ref` is the key's id, or the whole key when that is what is at hand. */
  revoke(ref: string): Promise<RevokedApiKey>;
  authenticate(presented: string): Promise<Authentication>;
}

const NAME = /^[\p{L}\p{N} ._:@/-]{1,100}$/u;

function info({ hash: _hash, ...shown }: ApiKey): ApiKeyInfo {
  return shown;
}

function isScope(name: string): name is ApiScope {
  return (API_SCOPES as readonly string[]).includes(name);
}

export function apiKeyCommands(deps: { access: ApiKeyAccess; clock: Clock }): ApiKeyCommands {
  const { access, clock } = deps;
  return {
    async create(name, options = {}) {
      const trimmed = name.trim();
      if (!NAME.test(trimmed)) return { ok: false, why: 'invalid_name' };
      const given = (options.scopes ?? []).map((scope) => scope.trim().toLowerCase()).filter(Boolean);
      const unknown = given.find((scope) => !isScope(scope));
      if (unknown !== undefined) return { ok: false, why: 'invalid_scope', scope: unknown };
      const now = clock.now();
      const expiresAt = options.expiresAt ?? null;
      if (expiresAt !== null && expiresAt <= now) return { ok: false, why: 'expiry_passed' };
      const scopes = given.length === 0 ? DEFAULT_SCOPES : given.filter(isScope);
      const created = newApiKey(trimmed, now, { scopes, expiresAt });
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
      if (!matches || record === null || record.revokedAt !== null) return { ok: false, why: 'invalid' };
      const now = clock.now();
      if (record.expiresAt !== null && record.expiresAt <= now) {
        return { ok: false, why: 'expired', expiredAt: record.expiresAt };
      }
      if (record.lastUsedAt === null || record.lastUsedAt <= now - LAST_USED_RESOLUTION_MS) {
        await access.noteApiKeyUse(record.id, now, LAST_USED_RESOLUTION_MS);
      }
      return { ok: true, key: record };
    },
  };
}
