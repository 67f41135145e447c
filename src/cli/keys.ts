// `aftercare keys create|list|revoke`: API keys for /api/v1. A new key is printed once, on
// stdout alone (so a script can capture it); only its SHA-256 is stored, so a lost key cannot be
// shown again, only revoked and replaced.
import { loadConfig } from '../config.js';
import { AftercareError } from '../errors.js';
import { apiKeyId, newApiKey } from '../http/apiKeys.js';
import type { ApiKey } from '../store/ports/access.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/store.js';
import { EXIT_OK, usageError } from './exit.js';

async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const store = await openStore(config.db);
  try {
    await store.migrate();
    return await work(store);
  } finally {
    await store.close();
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!/^[\p{L}\p{N} ._:@/-]{1,100}$/u.test(trimmed)) {
    throw usageError('--name must be 1-100 letters, digits, spaces or . _ : @ / -', { field: 'name' });
  }
  return trimmed;
}

export async function keysCreateCommand(options: { name: string }): Promise<number> {
  const name = checkName(options.name);
  const created = newApiKey(name, Date.now());
  await withStore((store) => store.access.createApiKey(created.record));
  process.stdout.write(`${created.key}\n`);
  process.stderr.write(
    `Created API key ${created.record.id} ("${name}"). Keep it now: it is not shown again.\n` +
      'Use it as: Authorization: Bearer <key>\n',
  );
  return EXIT_OK;
}

const iso = (at: number | null): string => (at === null ? '-' : new Date(at).toISOString());

export async function keysListCommand(options: { json?: boolean }): Promise<number> {
  const keys = await withStore((store) => store.access.listApiKeys());
  // The hash is of no use to anyone reading the list.
  const shown = keys.map(({ hash: _hash, ...key }: ApiKey) => key);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(shown)}\n`);
    return EXIT_OK;
  }
  if (shown.length === 0) {
    process.stdout.write('No API keys yet: aftercare keys create --name NAME\n');
    return EXIT_OK;
  }
  const rows = shown.map((k) => [
    k.id,
    k.revokedAt === null ? 'active' : 'revoked',
    iso(k.createdAt),
    iso(k.revokedAt),
    k.name,
  ]);
  const header = ['ID', 'STATUS', 'CREATED', 'REVOKED', 'NAME'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${[header, ...rows].map(line).join('\n')}\n`);
  return EXIT_OK;
}

export async function keysRevokeCommand(ref: string): Promise<number> {
  // The id, or the whole key when that is what is at hand.
  const id = apiKeyId(ref.trim()) ?? ref.trim();
  const revoked = await withStore((store) => store.access.revokeApiKey(id, Date.now()));
  if (revoked === null) {
    throw new AftercareError('AFTERCARE_E_NOT_FOUND', `no API key ${id} (see aftercare keys list)`, { id });
  }
  process.stdout.write(`Revoked API key ${revoked.id} ("${revoked.name}") at ${iso(revoked.revokedAt)}\n`);
  return EXIT_OK;
}
