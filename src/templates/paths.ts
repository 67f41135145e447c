// Where the files that ship with Aftercare live (default templates, built-in playbooks), found
// by walking up from this module so it works from src/ (tsx) and from dist/ (compiled) alike.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The absolute path of `relative` inside the installed package (the first ancestor that has it). */
export function packagePath(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${relative} is missing from the Aftercare package`);
    dir = parent;
  }
}

let defaultsDir: string | null = null;

/** src/templates/defaults of the package: the templates every renderer falls back to. */
export function defaultTemplatesDir(): string {
  defaultsDir ??= packagePath(join('src', 'templates', 'defaults'));
  return defaultsDir;
}
