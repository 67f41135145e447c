// The one registry of error codes. Every error that crosses a boundary (CLI exit, HTTP response,
// log line) carries one of these codes; docs/errors.md lists them and test/errors.test.ts keeps
// the two in step. HTTP statuses are mapped here and nowhere else.

export const ERROR_CODES = {
  AFTERCARE_E_CONFIG: { status: 500, message: 'Invalid configuration' },
  AFTERCARE_E_PLAYBOOK_INVALID: { status: 422, message: 'Invalid playbook' },
  AFTERCARE_E_PLAYBOOK_NOT_FOUND: { status: 404, message: 'Playbook not found' },
  AFTERCARE_E_PLAYBOOK_VERSION_CHANGED: { status: 409, message: 'Playbook changed without a new version' },
  AFTERCARE_E_TEMPLATE_NOT_FOUND: { status: 422, message: 'Template not found' },
  AFTERCARE_E_TEMPLATE_RENDER: { status: 422, message: 'Template could not be rendered' },
  AFTERCARE_E_INPUT_INVALID: { status: 400, message: 'Invalid input' },
  AFTERCARE_E_CSV_INVALID: { status: 400, message: 'Invalid CSV file' },
  AFTERCARE_E_FILE_NOT_FOUND: { status: 404, message: 'File not found' },
  AFTERCARE_E_NOT_FOUND: { status: 404, message: 'Not found' },
  AFTERCARE_E_CONFLICT: { status: 409, message: 'Conflict' },
  AFTERCARE_E_ERASED: { status: 422, message: 'Person erased' },
  AFTERCARE_E_IDEMPOTENCY_KEY_REUSED: { status: 422, message: 'Idempotency-Key reused for another request' },
  AFTERCARE_E_UNAUTHORIZED: { status: 401, message: 'Unauthorized' },
  AFTERCARE_E_FORBIDDEN: { status: 403, message: 'Forbidden' },
  AFTERCARE_E_PAYLOAD_TOO_LARGE: { status: 413, message: 'Payload too large' },
  AFTERCARE_E_RATE_LIMITED: { status: 429, message: 'Too many requests' },
  AFTERCARE_E_STORE: { status: 503, message: 'Store unavailable' },
  AFTERCARE_E_STORE_NOT_FOUND: { status: 503, message: 'No Aftercare database there' },
  AFTERCARE_E_CHANNEL: { status: 502, message: 'Channel failed' },
  AFTERCARE_E_INTERNAL: { status: 500, message: 'Internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AftercareError extends Error {
  readonly code: ErrorCode;
  /** Where the problem is: file, line, field... whatever the caller can point at. */
  readonly details: Record<string, unknown>;
  constructor(
    code: ErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AftercareError';
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return ERROR_CODES[this.code].status;
  }
}

export function httpStatusOf(error: unknown): number {
  return error instanceof AftercareError ? error.status : 500;
}
