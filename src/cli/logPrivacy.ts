// What may not reach a log line: e-mail addresses, phone numbers, names, subjects and task
// titles. Log calls pass ids; this is the net under them, for a key someone adds later and for
// text we do not write ourselves (an SMTP refusal quoting the recipient, a provider's error).
import pino, { type LoggerOptions } from 'pino';

/** Keys whose values are personal wherever they appear (top level or one object down). */
const PERSONAL_KEYS = ['email', 'to', 'from', 'phone', 'firstName', 'lastName', 'subject', 'title', 'script'];

const EMAIL = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+\.[^\s<>()[\]"',;:]+/g;
// Seven or more digits with the separators people write them with: phone numbers, not ids
// such as order numbers (which rarely carry spaces or a leading +).
const PHONE = /\+\d[\d\s().-]{6,}\d/g;

/** `text` with e-mail addresses and international phone numbers masked. */
export function maskPersonal(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/** Strings masked inside plain objects and arrays, a few levels down (errors: the serializer). */
function maskAny(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPersonal(value);
  if (depth >= 4 || typeof value !== 'object' || value === null || value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => maskAny(item, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = maskAny(item, depth + 1);
  return out;
}

export const PERSONAL_DATA_OPTIONS: LoggerOptions = {
  redact: { paths: [...PERSONAL_KEYS, ...PERSONAL_KEYS.map((key) => `*.${key}`)], censor: '[redacted]' },
  serializers: {
    err: (error: Error) => {
      const serialized = pino.stdSerializers.err(error) as unknown as Record<string, unknown>;
      for (const key of ['message', 'stack', 'response']) {
        if (typeof serialized[key] === 'string') serialized[key] = maskPersonal(serialized[key]);
      }
      return serialized;
    },
  },
  hooks: {
    logMethod(args, method) {
      method.apply(this, args.map((arg) => maskAny(arg)) as Parameters<typeof method>);
    },
  },
};
