// Which playbooks a command runs with: names of built-in playbooks or paths to YAML files,
// loaded and checked, plus one template renderer that knows every playbook's own templates.
import { readdir } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { builtinPlaybookPath, loadPlaybookFile } from '../core/playbook/load.js';
import type { Playbook } from '../core/playbook/types.js';
import { AftercareError } from '../errors.js';
import { packagePath } from '../templates/paths.js';
import { TemplateRenderer } from '../templates/render.js';

/** A reference with a path separator or a YAML extension is a file; anything else a built-in name. */
export function playbookPath(ref: string): string {
  return /[\\/]/.test(ref) || /\.ya?ml$/i.test(ref) ? ref : builtinPlaybookPath(ref);
}

export interface LoadedPlaybooks {
  playbooks: Playbook[];
  renderer: TemplateRenderer;
}

export async function loadPlaybooks(refs: readonly string[]): Promise<LoadedPlaybooks> {
  const playbooks: Playbook[] = [];
  for (const ref of refs) {
    const playbook = await loadPlaybookFile(playbookPath(ref));
    const twin = playbooks.find((p) => p.name === playbook.name);
    if (twin) {
      throw new AftercareError(
        'AFTERCARE_E_PLAYBOOK_INVALID',
        `two playbooks are named "${playbook.name}" (${twin.source} and ${playbook.source})`,
        { name: playbook.name },
      );
    }
    playbooks.push(playbook);
  }
  const dirs = playbooks
    .map((p) => p.templatesDir)
    .filter((dir): dir is string => typeof dir === 'string' && dir !== '');
  return { playbooks, renderer: new TemplateRenderer({ dirs: [...new Set(dirs)] }) };
}

/** Names of the playbooks that ship with Aftercare. */
export async function builtinPlaybookNames(): Promise<string[]> {
  const files = await readdir(packagePath('playbooks'));
  return files
    .filter((file) => /\.ya?ml$/i.test(file))
    .map((file) => basename(file, extname(file)))
    .sort();
}
