// `aftercare keys create|list|revoke`: API keys for /api/v1, through the API key commands. A new
// key is printed once, on stdout alone (so a script can capture it); only its SHA-256 is stored,
// so a lost key cannot be shown again, only revoked and replaced.
import { composeStore, type StoreApp } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { AftercareError } from '../errors.js';
import { EXIT_OK, usageError } from './exit.js';

async function withApp<T>(work: (app: StoreApp) => Promise<T>): Promise<T> {
  const app = await composeStore(loadConfig(process.env));
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

export async function keysCreateCommand(options: { name: string }): Promise<number> {
  const created = await withApp((app) => app.commands.apiKeys.create(options.name));
  if (!created.ok) {
    throw usageError('--name must be 1-100 letters, digits, spaces or . _ : @ / -', { field: 'name' });
  }
  process.stdout.write(`${created.key}\n`);
  process.stderr.write(
    `Created API key ${created.info.id} ("${created.info.name}"). Keep it now: it is not shown again.\n` +
      'Use it as: Authorization: Bearer <key>\n',
  );
  return EXIT_OK;
}

const iso = (at: number | null): string => (at === null ? '-' : new Date(at).toISOString());

export async function keysListCommand(options: { json?: boolean }): Promise<number> {
  const shown = await withApp((app) => app.commands.apiKeys.list());
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
  const revoked = await withApp((app) => app.commands.apiKeys.revoke(ref));
  if (!revoked.ok) {
    throw new AftercareError('AFTERCARE_E_NOT_FOUND', `no API key ${revoked.id} (see aftercare keys list)`, {
      id: revoked.id,
    });
  }
  const { info } = revoked;
  process.stdout.write(`Revoked API key ${info.id} ("${info.name}") at ${iso(info.revokedAt)}\n`);
  return EXIT_OK;
}
