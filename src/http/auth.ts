// Bearer authentication and scopes for /api/v1. A missing, malformed, unknown, revoked or wrong key
// all get the same 401 with the same body, so a caller learns nothing about which part was wrong;
// only the holder of a real key that expired is told so (they hold the key: nothing leaks). Which
// keys are valid is the API key commands' to say (engine/commands/apiKeys.ts). Each route declares
// the scopes that admit it; a key with none of them gets a 403 naming them, before the body is read.
import type { onRequestAsyncHookHandler, onRequestHookHandler } from 'fastify';
import type { ApiKeyCommands } from '../engine/commands/apiKeys.js';
import { AftercareError } from '../errors.js';
import type { ApiScope } from '../store/ports/access.js';

export const UNAUTHORIZED_MESSAGE = 'a valid API key is required: Authorization: Bearer ak_...';

/** `Authorization: Bearer <key>` -> the key; null for anything else. */
export function bearerToken(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer[ \t]+(\S{1,200})[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

export function authenticate(apiKeys: Pick<ApiKeyCommands, 'authenticate'>): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    const outcome = token === null ? null : await apiKeys.authenticate(token);
    if (outcome === null || !outcome.ok) {
      reply.header('www-authenticate', 'Bearer realm="aftercare"');
      if (outcome?.why === 'expired') {
        const at = new Date(outcome.expiredAt).toISOString();
        throw new AftercareError(
          'AFTERCARE_E_UNAUTHORIZED',
          `this API key expired at ${at}; create a new one: aftercare keys create --name NAME --scope ...`,
          { reason: 'expired', expiredAt: at },
        );
      }
      throw new AftercareError('AFTERCARE_E_UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    }
    request.apiKey = outcome.key;
  };
}

/** "read", "read or tasks". */
function either(scopes: readonly ApiScope[]): string {
  return scopes.map((scope) => `\`${scope}\``).join(' or ');
}

/** A route's check: the authenticated key must hold one of `scopes`. */
export function requireScope(scopes: readonly ApiScope[], what: string): onRequestHookHandler {
  return (request, _reply, done) => {
    const granted = request.apiKey?.scopes ?? [];
    if (scopes.some((scope) => granted.includes(scope))) return done();
    done(
      new AftercareError(
        'AFTERCARE_E_FORBIDDEN',
        `this API key lacks the ${either(scopes)} scope that ${what} needs; ` +
          `create a key with it: aftercare keys create --name NAME --scope ${scopes[0] ?? ''}`,
        { required: [...scopes], granted: [...granted] },
      ),
    );
  };
}
