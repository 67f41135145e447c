// Bearer authentication for /api/v1. A missing, malformed, unknown, revoked or wrong key all get
// the same 401 with the same body, so a caller learns nothing about which part was wrong.
import type { onRequestAsyncHookHandler } from 'fastify';
import { AftercareError } from '../errors.js';
import type { AccessStore } from '../store/ports/access.js';
import { bearerToken, verifyApiKey } from './apiKeys.js';

export const UNAUTHORIZED_MESSAGE = 'a valid API key is required: Authorization: Bearer ak_...';

export function authenticate(store: AccessStore): onRequestAsyncHookHandler {
  return async (request, reply) => {
    const token = bearerToken(request.headers.authorization);
    const key = token === null ? null : await verifyApiKey(store, token);
    if (key === null) {
      reply.header('www-authenticate', 'Bearer realm="aftercare"');
      throw new AftercareError('AFTERCARE_E_UNAUTHORIZED', UNAUTHORIZED_MESSAGE);
    }
    request.apiKey = key;
  };
}
