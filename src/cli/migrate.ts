// `aftercare migrate`: create or upgrade the schema of the store at AFTERCARE_DB ahead of a
// deploy. Safe to run from several processes at once (PostgreSQL: an advisory lock; SQLite: an
// immediate transaction); the composition root migrates on every start, so this is optional.
import { composeStore } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { redactUrl } from '../config/redact.js';
import { EXIT_OK } from './exit.js';

export async function migrateCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const app = await composeStore(config);
  try {
    process.stdout.write(`Store is up to date: ${redactUrl(config.db)} (${app.store.dialect})\n`);
    return EXIT_OK;
  } finally {
    await app.close();
  }
}
