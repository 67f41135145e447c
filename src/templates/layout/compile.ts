// Compiles email.mjml into skeleton.ts, once, at build time: `npm run layout`. MJML (with its
// ~150 packages) is a devDependency only, so neither a server start nor a message pays for it;
// layout.test.ts compiles again and fails if skeleton.ts is out of step with email.mjml.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A slot of the skeleton, written `%%NAME%%` in email.mjml. */
export const SLOTS = ['LANG', 'TITLE', 'PREVIEW', 'HEADER', 'BODY', 'FOOTER'] as const;
export type Slot = (typeof SLOTS)[number];

/** The compiled layout: `parts[0] slot[0] parts[1] slot[1] ... parts[n]`. */
export interface Skeleton {
  parts: readonly string[];
  slots: readonly Slot[];
}

type Mjml = (
  source: string,
  options: { validationLevel: 'strict'; filePath: string },
) => Promise<{ html: string; errors: { formattedMessage: string }[] }>;

const HERE = fileURLToPath(new URL('.', import.meta.url));
export const MJML_FILE = join(HERE, 'email.mjml');
const SKELETON_FILE = join(HERE, 'skeleton.ts');

export async function compileLayout(file = MJML_FILE): Promise<Skeleton> {
  const mjml = createRequire(import.meta.url)('mjml') as Mjml;
  const { html, errors } = await mjml(readFileSync(file, 'utf8'), {
    validationLevel: 'strict',
    filePath: file,
  });
  if (errors.length > 0) throw new Error(`${file}: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  // MJML indents its output; every message would carry (and every send copy) that whitespace.
  // Lines are trimmed and empty ones dropped: a line break is whitespace like any indentation,
  // and the output has no <pre> or inline element whose spacing a line break would change.
  const compact = html
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join('\n');
  const pieces = compact.split(/%%([A-Z]+)%%/);
  const parts: string[] = [];
  const slots: Slot[] = [];
  pieces.forEach((piece, i) => {
    if (i % 2 === 0) parts.push(piece);
    else if ((SLOTS as readonly string[]).includes(piece)) slots.push(piece as Slot);
    else throw new Error(`${file}: unknown slot %%${piece}%% (known: ${SLOTS.join(', ')})`);
  });
  for (const slot of SLOTS) {
    if (!slots.includes(slot)) throw new Error(`${file}: slot %%${slot}%% is missing from the output`);
  }
  return { parts, slots };
}

export function skeletonModule(skeleton: Skeleton): string {
  return (
    '// Generated from email.mjml by `npm run layout` (compile.ts); do not edit by hand.\n' +
    "import type { Skeleton } from './compile.js';\n\n" +
    `export const SKELETON: Skeleton = ${JSON.stringify(skeleton, null, 2)};\n`
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SKELETON_FILE, skeletonModule(await compileLayout()));
  process.stdout.write(`wrote ${SKELETON_FILE}\n`);
}
