// Configuration of the gift catalogue gift tasks suggest from (AFTERCARE_GIFTS_FILE; default the
// built-in playbooks/gifts.yaml). Read and checked once with the rest of the config, so a bad
// catalogue stops start-up with every problem as FILE:LINE:COL: field: message.
// config.ts merges these variables into its own; docs/configuration.md documents them.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import type { ConfigIssue } from '../config.js';
import type { GiftCatalogue } from '../core/gifts.js';
import { parseGiftCatalogue } from '../core/giftsParse.js';
import { formatIssue } from '../core/playbook/parse.js';
import { packagePath } from '../templates/paths.js';
import { text } from './env.js';

export const GIFTS_ENV = {
  AFTERCARE_GIFTS_FILE: text,
};

type GiftsEnv = { [K in keyof typeof GIFTS_ENV]: z.output<(typeof GIFTS_ENV)[K]> };

/** The built-in catalogue's path. */
export function builtinGiftsPath(): string {
  return packagePath('playbooks/gifts.yaml');
}

/** The catalogue in the base currency `base`; null (with issues) when it cannot be read or is invalid. */
export function loadGifts(
  values: Partial<GiftsEnv>,
  base: string,
  issues: ConfigIssue[],
): GiftCatalogue | null {
  const file = values.AFTERCARE_GIFTS_FILE ?? builtinGiftsPath();
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    const code =
      typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unreadable';
    issues.push({ variable: 'AFTERCARE_GIFTS_FILE', problem: `cannot read "${file}" (${code})` });
    return null;
  }
  const parsed = parseGiftCatalogue(source, file, base);
  if (parsed.ok) return parsed.catalogue;
  for (const issue of parsed.issues)
    issues.push({ variable: 'AFTERCARE_GIFTS_FILE', problem: formatIssue(issue) });
  return null;
}
