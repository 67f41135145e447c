// The link secret at start-up: `serve` and `worker` refuse to run without AFTERCARE_SECRET (every
// link they send or open depends on it), except the demo, which makes one once and keeps it in
// the data folder so its links still open after a restart.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Config } from '../config.js';
import { MIN_SECRET_LENGTH, SECRET_HOW_TO } from '../config/secrets.js';
import { AftercareError } from '../errors.js';

/** Throws AFTERCARE_E_CONFIG, saying how to make a secret, when none is configured. */
export function requireSecret(config: Readonly<Config>, command: string): void {
  if (config.secrets.current !== null) return;
  throw new AftercareError(
    'AFTERCARE_E_CONFIG',
    `Invalid configuration:\n  AFTERCARE_SECRET: is required by \`aftercare ${command}\`: it signs the links in ` +
      `every message (unsubscribe, survey, plan); ${SECRET_HOW_TO}, set it for every process ` +
      `and keep it: links made with it stop working when it changes (see AFTERCARE_SECRET_PREVIOUS).`,
    { issues: [{ variable: 'AFTERCARE_SECRET', problem: 'is required' }] },
  );
}

/** The demo's secret from `file`, made and written (mode 0600) the first time. */
export async function demoSecret(file: string): Promise<string> {
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (kept.length >= MIN_SECRET_LENGTH) return kept;
  } catch {
    // Not made yet: make it below.
  }
  const secret = randomBytes(48).toString('base64');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
