// `aftercare keys create|list|revoke`: API keys for /api/v1, through the API key commands. A new
// key is printed once, on stdout alone (so a script can capture it); only its SHA-256 is stored,
// so a lost key cannot be shown again, only revoked and replaced. Every keys command works on an
// existing database only: a key made in a mistyped AFTERCARE_DB would be a key the server never
// sees.
import { composeStore, type StoreApp } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { DURATION_HINT, tryParseDuration } from '../core/playbook/duration.js';
import type { ApiKeyInfo } from '../engine/commands/apiKeys.js';
import { AftercareError } from '../errors.js';
import { API_SCOPES } from '../store/ports/access.js';
import { EXIT_OK, usageError } from './exit.js';

async function withApp<T>(work: (app: StoreApp) => Promise<T>): Promise<T> {
  const app = await composeStore(loadConfig(process.env), { create: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

const EXPIRES_HINT = `--expires must be ${DURATION_HINT} from now, or a date like 2027-03-01 (00:00 UTC)`;

/** `90d` from now, or a date (`2027-03-01`, 00:00 UTC) or time (`2027-03-01T12:00:00Z`). */
export function parseExpiry(raw: string, now: number): number {
  const duration = tryParseDuration(raw);
  if (duration !== null && duration > 0) return now + duration;
  const at = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2}))?$/.test(raw.trim()) ? Date.parse(raw) : NaN;
  if (Number.isNaN(at)) throw usageError(EXPIRES_HINT, { field: 'expires' });
  return at;
}

export async function keysCreateCommand(options: {
  name: string;
  scope?: string[];
  expires?: string;
}): Promise<number> {
  const scopes = (options.scope ?? []).flatMap((part) => part.split(','));
  const created = await withApp(async (app) => {
    const expiresAt = options.expires === undefined ? null : parseExpiry(options.expires, app.clock.now());
    return app.commands.apiKeys.create(options.name, { scopes, expiresAt });
  });
  if (!created.ok) {
    switch (created.why) {
      case 'invalid_name':
        throw usageError('--name must be 1-100 letters, digits, spaces or . _ : @ / -', { field: 'name' });
      case 'invalid_scope':
        throw usageError(`--scope: "${created.scope}" is not one of ${API_SCOPES.join(', ')}`, {
          field: 'scope',
        });
      case 'expiry_passed':
        throw usageError('--expires is not in the future', { field: 'expires' });
    }
  }
  const { info } = created;
  process.stdout.write(`${created.key}\n`);
  process.stderr.write(
    `Created API key ${info.id} ("${info.name}") with scopes ${info.scopes.join(', ')}` +
      `${info.expiresAt === null ? ', never expiring' : `, expiring ${iso(info.expiresAt)}`}. ` +
      'Keep it now: it is not shown again.\n' +
      'Use it as: Authorization: Bearer <key>\n',
  );
  return EXIT_OK;
}

const iso = (at: number | null): string => (at === null ? '-' : new Date(at).toISOString());

function status(key: ApiKeyInfo, now: number): string {
  if (key.revokedAt !== null) return 'revoked';
  return key.expiresAt !== null && key.expiresAt <= now ? 'expired' : 'active';
}

export async function keysListCommand(options: { json?: boolean }): Promise<number> {
  const { shown, now } = await withApp(async (app) => ({
    shown: await app.commands.apiKeys.list(),
    now: app.clock.now(),
  }));
  if (options.json) {
    process.stdout.write(`${JSON.stringify(shown)}\n`);
    return EXIT_OK;
  }
  if (shown.length === 0) {
    process.stdout.write('No API keys yet: aftercare keys create --name NAME --scope read\n');
    return EXIT_OK;
  }
  const rows = shown.map((k) => [
    k.id,
    status(k, now),
    k.scopes.length === 0 ? '-' : k.scopes.join(','),
    iso(k.createdAt),
    iso(k.expiresAt),
    iso(k.lastUsedAt),
    iso(k.revokedAt),
    k.name,
  ]);
  const header = ['ID', 'STATUS', 'SCOPES', 'CREATED', 'EXPIRES', 'LAST USED', 'REVOKED', 'NAME'];
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
