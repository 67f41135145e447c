// `aftercare users create|list|disable`: the people who sign in to the dashboard. A password is
// read from stdin (--password-stdin, so it never shows in the process list or shell history) or
// generated and printed once on stdout; only its scrypt hash is stored. Works on an existing
// database only, like `keys`: a user made in a mistyped AFTERCARE_DB could never sign in.
import { composeStore, type StoreApp } from '../app/compose.js';
import { loadConfig } from '../config.js';
import { ROLES } from '../core/roles.js';
import { AftercareError } from '../errors.js';
import { EXIT_OK, usageError } from './exit.js';

async function withApp<T>(work: (app: StoreApp) => Promise<T>): Promise<T> {
  const app = await composeStore(loadConfig(process.env), { create: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd();
}

export interface UsersCreateOptions {
  email: string;
  role: string;
  name?: string;
  zone?: string;
  passwordStdin?: boolean;
}

export async function usersCreateCommand(options: UsersCreateOptions): Promise<number> {
  if (!(ROLES as readonly string[]).includes(options.role)) {
    throw usageError(`--role must be one of ${ROLES.join(', ')} (got "${options.role}")`, { field: 'role' });
  }
  const password = options.passwordStdin ? await readStdinLine() : null;
  if (password === '') throw usageError('--password-stdin: stdin held no password', { field: 'password' });
  const created = await withApp((app) =>
    app.commands.users.create({
      email: options.email,
      role: options.role,
      name: options.name ?? null,
      password,
      timeZone: options.zone ?? null,
    }),
  );
  if (!created.ok) {
    throw new AftercareError(
      'AFTERCARE_E_CONFLICT',
      `a user with the address ${options.email} exists already`,
      {
        field: 'email',
      },
    );
  }
  const { user, generatedPassword } = created;
  if (generatedPassword !== null) process.stdout.write(`${generatedPassword}\n`);
  process.stderr.write(
    `Created ${user.role} ${user.email}${user.name ? ` (${user.name})` : ''}, times shown in ${user.timeZone}.` +
      (generatedPassword !== null ? ' The password above is shown once: hand it over now.' : '') +
      '\n',
  );
  return EXIT_OK;
}

const iso = (at: number | null): string => (at === null ? '-' : new Date(at).toISOString());

export async function usersListCommand(options: { json?: boolean }): Promise<number> {
  const users = await withApp((app) => app.commands.users.list());
  // Never the hash.
  const shown = users.map(({ passwordHash: _hash, ...rest }) => rest);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(shown)}\n`);
    return EXIT_OK;
  }
  if (shown.length === 0) {
    process.stdout.write('No users yet: aftercare users create --email you@example.com --role owner\n');
    return EXIT_OK;
  }
  const rows = shown.map((u) => [
    u.email,
    u.role,
    u.disabledAt === null ? 'active' : 'disabled',
    iso(u.createdAt),
    u.timeZone,
    u.name ?? '-',
  ]);
  const header = ['EMAIL', 'ROLE', 'STATUS', 'CREATED', 'ZONE', 'NAME'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${[header, ...rows].map(line).join('\n')}\n`);
  return EXIT_OK;
}

export async function usersDisableCommand(email: string): Promise<number> {
  const user = await withApp((app) => app.commands.users.disable(email));
  if (user === null) {
    throw new AftercareError('AFTERCARE_E_NOT_FOUND', `no user ${email} (see aftercare users list)`, {
      field: 'email',
    });
  }
  process.stdout.write(`Disabled ${user.email} at ${iso(user.disabledAt)}; their sessions have ended\n`);
  return EXIT_OK;
}
