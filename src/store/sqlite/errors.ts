// SQLite's own failures (busy, full disk, corrupt file...) leave the store as AFTERCARE_E_STORE,
// whichever capability they came through; anything else (an intake reducer's error, say) passes
// through unchanged.
import Database from 'better-sqlite3';
import { AftercareError } from '../../errors.js';

export function asStoreError(error: unknown): unknown {
  if (error instanceof Database.SqliteError) {
    return new AftercareError(
      'AFTERCARE_E_STORE',
      `SQLite: ${error.message}`,
      { sqliteCode: error.code },
      { cause: error },
    );
  }
  return error;
}

/** The same object, every method's failure translated by asStoreError. */
export function guarded<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
          return result instanceof Promise
            ? result.catch((error: unknown) => {
                throw asStoreError(error);
              })
            : result;
        } catch (error) {
          throw asStoreError(error);
        }
      };
    },
  });
}
