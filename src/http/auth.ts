// Bearer authentication for /api/v1. A missing, malformed, unknown, revoked or wrong key all get
// the same 401 with the same body, so a caller learns nothing about which part was wrong. Which
// keys are valid is the API key commands' to say (engine/commands/apiKeys.ts).
import type { onRequestAsyncHookHandler } from 'fastify';
import type { ApiKeyCommands } from '../engine/commands/apiKeys.js';
import { AftercareError } from '../errors.js';

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
    const key = token === null ? null : await apiKeys.authenticate(token);
    if (key === null) {
      reply.header('www-authenticate', 'Bearer realm="aftercare"');
      throw new AftercareError('AFTERCARE_E_UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    }
    request.apiKey = key;
  };
}
