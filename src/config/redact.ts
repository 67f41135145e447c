// Keeps secrets out of logs: a config object prints (JSON, util.inspect, console.log) with its
// passwords and keys replaced, while code that reads the fields still gets the real values.
import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

/** `smtp://user:secret@host` -> `smtp://user:[redacted]@host`; text that is no URL passes as is. */
export function redactUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.password === '') return text;
  url.password = REDACTED;
  return url.href;
}

/**
 * Makes `target` print as `safe()` in JSON.stringify (pino included) and util.inspect. The hooks
 * are non-enumerable: spreading or iterating the object sees only its own data.
 */
export function printAs<T extends object>(target: T, safe: () => unknown): T {
  Object.defineProperty(target, 'toJSON', { value: safe, enumerable: false });
  Object.defineProperty(target, inspect.custom, {
    value: (_depth: number, options: object) => inspect(safe(), options),
    enumerable: false,
  });
  return target;
}

/** Freezes an object graph of plain data in place. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) {
      deepFreeze((value as Record<string | symbol, unknown>)[key]);
    }
  }
  return value;
}
