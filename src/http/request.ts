// What the API's hooks learn about a request and hand to the next: the authenticated key, the
// hash of the raw body (for Idempotency-Key fingerprints) and the idempotent attempt in progress.
import type { FastifyInstance } from 'fastify';
import type { ApiKey } from '../store/ports/access.js';

export interface IdempotentAttempt {
  apiKeyId: string;
  key: string;
  token: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    apiKey: ApiKey | null;
    /** SHA-256 (hex) of the body exactly as received; null without a body. */
    bodyHash: string | null;
    idempotent: IdempotentAttempt | null;
  }
}

export function decorateRequests(app: FastifyInstance): void {
  app.decorateRequest('apiKey', null);
  app.decorateRequest('bodyHash', null);
  app.decorateRequest('idempotent', null);
}
