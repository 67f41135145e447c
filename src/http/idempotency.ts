// Idempotency-Key on POST: the first request with a key runs and its answer (status and body,
// errors of the client included) is kept for 24 hours; the same key with the same request gets
// that answer again, marked Idempotent-Replayed; the same key with another method, path or body
// is refused (422). While the first is still running, a second gets 409. Keys are per API key.
// Answers of our own failures (5xx) are not kept: the client may simply retry.
import { createHash, randomUUID } from 'node:crypto';
import type { onSendAsyncHookHandler, preHandlerAsyncHookHandler } from 'fastify';
import type { Clock } from '../engine/clock.js';
import { AftercareError } from '../errors.js';
import type { AccessStore } from '../store/ports/access.js';

export const IDEMPOTENCY_TTL_MS = 24 * 3_600_000;
/** How long a started request holds its key; a crashed one frees it after this. */
export const IDEMPOTENCY_LOCK_MS = 60_000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** The part of the access store these hooks keep their records in. */
export type IdempotencyRecords = Pick<
  AccessStore,
  'beginIdempotent' | 'finishIdempotent' | 'abandonIdempotent'
>;

export function idempotencyCheck(store: IdempotencyRecords, clock: Clock): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    if (request.method !== 'POST') return;
    const header = request.headers['idempotency-key'];
    if (header === undefined) return;
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      throw new AftercareError(
        'AFTERCARE_E_INPUT_INVALID',
        'Idempotency-Key: must be 1-255 visible ASCII characters',
        {
          in: 'header',
          field: 'Idempotency-Key',
        },
      );
    }
    const apiKey = request.apiKey;
    if (apiKey === null) return;
    const fingerprint = createHash('sha256')
      .update(`${request.method} ${request.url}\n${request.bodyHash ?? ''}`)
      .digest('hex');
    const token = randomUUID();
    const now = clock.now();
    const begun = await store.beginIdempotent({
      apiKeyId: apiKey.id,
      key: header,
      fingerprint,
      token,
      now,
      lockUntil: now + IDEMPOTENCY_LOCK_MS,
    });
    switch (begun.state) {
      case 'started':
        request.idempotent = { apiKeyId: apiKey.id, key: header, token };
        return;
      case 'replay':
        return reply
          .code(begun.response.status)
          .header('idempotent-replayed', 'true')
          .type('application/json; charset=utf-8')
          .send(begun.response.body);
      case 'mismatch':
        throw new AftercareError(
          'AFTERCARE_E_IDEMPOTENCY_KEY_REUSED',
          'Idempotency-Key: already used for a different request; use a new key for a new request',
          { in: 'header', field: 'Idempotency-Key' },
        );
      case 'in_progress':
        throw new AftercareError(
          'AFTERCARE_E_CONFLICT',
          'Idempotency-Key: the first request with this key is still being processed; retry shortly',
          { in: 'header', field: 'Idempotency-Key', reason: 'in_progress' },
        );
    }
  };
}

export function idempotencyRecord(store: IdempotencyRecords, clock: Clock): onSendAsyncHookHandler<unknown> {
  return async (request, reply, payload) => {
    const attempt = request.idempotent;
    if (attempt === null) return payload;
    request.idempotent = null;
    try {
      if (reply.statusCode >= 500 || typeof payload !== 'string') {
        await store.abandonIdempotent(attempt.apiKeyId, attempt.key, attempt.token);
      } else {
        await store.finishIdempotent(
          attempt.apiKeyId,
          attempt.key,
          attempt.token,
          { status: reply.statusCode, body: payload },
          clock.now() + IDEMPOTENCY_TTL_MS,
        );
      }
    } catch (error) {
      // The answer still goes out; without a record a retry simply runs again (intake dedupes).
      request.log.error({ err: error }, 'could not record the Idempotency-Key answer');
    }
    return payload;
  };
}
