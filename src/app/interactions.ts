// Reading the interaction catalogue for a process: AFTERCARE_INTERACTIONS_FILE or the built-in
// playbooks/interactions.yaml, checked against the configured playbooks' steps
// (core/measuring/interactionsParse.ts). Read when a gap command first needs it, not at start-up,
// so a mistake in it never stops the engine from sending.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { InteractionCatalogue } from '../core/measuring/interactions.js';
import { parseInteractions } from '../core/measuring/interactionsParse.js';
import { formatIssue } from '../core/playbook/parse.js';
import { AftercareError } from '../errors.js';
import { packagePath } from '../templates/paths.js';
import { loadPlaybookFile, playbookPath } from './playbooks.js';

/** The file name of the built-in catalogue in the package's playbooks/ folder (not a playbook). */
export const BUILTIN_INTERACTIONS_FILE = 'interactions.yaml';

/**
 * The catalogue, or null when none applies: no file was set and the built-in one's playbook is
 * not configured. Throws AFTERCARE_E_CONFIG naming file, line, column and field.
 */
export async function loadInteractions(
  config: Pick<Config, 'playbooks' | 'interactionsFile'>,
): Promise<InteractionCatalogue | null> {
  const given = config.interactionsFile ?? null;
  const path = given ?? join(packagePath('playbooks'), BUILTIN_INTERACTIONS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new AftercareError(
      'AFTERCARE_E_CONFIG',
      `cannot read the interaction catalogue ${path} (AFTERCARE_INTERACTIONS_FILE)`,
      { file: path, code: (error as NodeJS.ErrnoException).code ?? null },
      { cause: error },
    );
  }
  const playbooks = await Promise.all(config.playbooks.map((ref) => loadPlaybookFile(playbookPath(ref))));
  const parsed = parseInteractions(text, path, playbooks);
  if (parsed.ok) return parsed.catalogue;
  // The built-in catalogue describes the built-in playbook only: with others, there is none.
  if (given === null && !playbooks.some((p) => p.name === 'reassure')) return null;
  const shown = parsed.issues.slice(0, 10).map(formatIssue);
  if (parsed.issues.length > shown.length) shown.push(`... and ${parsed.issues.length - shown.length} more`);
  throw new AftercareError(
    'AFTERCARE_E_CONFIG',
    `interaction catalogue ${path} has ${parsed.issues.length === 1 ? '1 problem' : `${parsed.issues.length} problems`}:\n${shown.join('\n')}`,
    { file: path, issues: parsed.issues },
  );
}
