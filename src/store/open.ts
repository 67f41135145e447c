// Picks the Store adapter from a database URL: PostgreSQL URLs for scale-out, anything else is
// a SQLite file path (optionally written `sqlite:<path>` or `file:<path>`).
import { openPostgresStore } from './postgres/store.js';
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /**
   * Create the database when there is none (default: serve, worker, import, migrate). With false
   * (commands that only read or manage keys), no Aftercare database at `url` refuses with
   * AFTERCARE_E_STORE_NOT_FOUND and nothing is created.
   */
  create?: boolean;
  /** Migrate on open (default true); `aftercare doctor` looks at the schema as it is. */
  migrate?: boolean;
}

/** Opens and migrates the store named by `url`. */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // The schema comes from the URL (`?schema=name`, default `aftercare`).
    return openPostgresStore(url, options);
  }
  return openSqliteStore(sqlitePath(url), options);
}

/** `sqlite:///abs/x.db` -> `/abs/x.db`, `sqlite://rel/x.db` and `sqlite:rel/x.db` -> `rel/x.db`. */
export function sqlitePath(url: string): string {
  const match = /^(?:sqlite|file):(?:\/\/)?(.*)$/i.exec(url);
  return match ? (match[1] ?? '') : url;
}
