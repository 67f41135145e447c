// `aftercare migrate`: create or upgrade the schema of the store at AFTERCARE_DB ahead of a
// deploy. Safe to run from several processes at once (PostgreSQL: an advisory lock; SQLite: an
// immediate transaction); every process also migrates on start, so this is optional.
import { loadConfig } from '../config.js';
import { redactUrl } from '../config/redact.js';
import { openStore } from '../store/open.js';
import { EXIT_OK } from './exit.js';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const store = await openStore(config.db);
  try {
    await store.migrate();
    process.stdout.write(`Store is up to date: ${redactUrl(config.db)} (${store.dialect})\n`);
    return EXIT_OK;
  } finally {
    await store.close();
  }
}
