// How every failure is answered over HTTP, in one place: an AftercareError keeps its code and the
// status errors.ts maps it to; what Fastify or a plugin reports about a bad request (malformed
// JSON, a body over the limit, an unknown content type) becomes the matching AFTERCARE_E_* code;
// anything else is a 500 that names no detail. Bad input never ends as a 500.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AftercareError, ERROR_CODES, type ErrorCode } from '../errors.js';

export interface ErrorBody {
  error: { code: ErrorCode; message: string; details: Record<string, unknown> };
}

export function errorBody(
  code: ErrorCode,
  message: string,
  details: Record<string, unknown> = {},
): ErrorBody {
  return { error: { code, message, details } };
}

/** The AftercareError an arbitrary error stands for, or null for a fault of ours. */
export function asRequestError(error: unknown): AftercareError | null {
  if (error instanceof AftercareError) return error;
  const status = statusOf(error);
  if (status === null || status < 400 || status >= 500) return null;
  const fastifyCode = typeof (error as FastifyError).code === 'string' ? (error as FastifyError).code : '';
  switch (status) {
    case 413:
      return new AftercareError(
        'AFTERCARE_E_PAYLOAD_TOO_LARGE',
        'the request body is larger than the server accepts',
      );
    case 404:
      return new AftercareError('AFTERCARE_E_NOT_FOUND', 'no such route');
    case 415:
      return new AftercareError(
        'AFTERCARE_E_INPUT_INVALID',
        'unsupported Content-Type; send application/json',
        {
          field: 'content-type',
        },
      );
    case 429:
      return new AftercareError('AFTERCARE_E_RATE_LIMITED', 'too many requests; retry later');
    default:
      // Fastify's own wording (e.g. "Body cannot be empty when content-type is set to
      // 'application/json'") names the problem and never echoes the input.
      return new AftercareError('AFTERCARE_E_INPUT_INVALID', messageOf(error), {
        reason: fastifyCode.startsWith('FST_ERR_') ? fastifyCode : 'bad_request',
      });
  }
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request, reply) => {
    const known = asRequestError(error);
    if (known !== null) {
      if (known.code === 'AFTERCARE_E_STORE') request.log.error({ err: error }, 'store unavailable');
      return reply.code(known.status).send(errorBody(known.code, known.message, known.details));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(ERROR_CODES.AFTERCARE_E_INTERNAL.status)
      .send(errorBody('AFTERCARE_E_INTERNAL', ERROR_CODES.AFTERCARE_E_INTERNAL.message));
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(errorBody('AFTERCARE_E_NOT_FOUND', 'no such route; see /api/v1/openapi.json')),
  );
}

function statusOf(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : null;
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  return message !== '' && message.length <= 300 ? message : 'the request could not be read';
}

/**
 * The security headers of an answer that never reached the routing (and so the helmet hook):
 * a URL that cannot be decoded, a path parameter over the length limit.
 */
const BARE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** Fastify's `frameworkErrors`: a URL the router cannot take is a 400 like any other bad input. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply
    .code(400)
    .headers(BARE_SECURITY_HEADERS)
    .send(
      errorBody('AFTERCARE_E_INPUT_INVALID', 'the URL cannot be read (malformed or too long)', {
        in: 'path',
        reason: error.code,
      }),
    );
}
