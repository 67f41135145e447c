// Picks the Store adapter from a database URL: PostgreSQL URLs for scale-out, anything else is
// a SQLite file path (optionally written `sqlite:<path>` or `file:<path>`).
import { openPostgresStore } from './postgres/store.js';
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './store.js';

/** Opens and migrates the store named by `url`. */
export async function openStore(url: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    // The schema comes from the URL (`?schema=name`, default `aftercare`).
    return openPostgresStore(url);
  }
  return openSqliteStore(sqlitePath(url));
}

/** `sqlite:///abs/x.db` -> `/abs/x.db`, `sqlite://rel/x.db` and `sqlite:rel/x.db` -> `rel/x.db`. */
export function sqlitePath(url: string): string {
  const match = /^(?:sqlite|file):(?:\/\/)?(.*)$/i.exec(url);
  return match ? (match[1] ?? '') : url;
}
