// Reading playbooks for a process: a built-in name or a YAML path per reference, each file read,
// parsed and validated (core/playbook/parse.ts), its templates checked, and no two playbooks of one
// name; plus one template renderer that knows every playbook's own templates. The file I/O of
// playbooks lives here, on the composition side, so that core stays pure.
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { analyzePlaybook, formatIssue, type PlaybookIssue } from '../core/playbook/parse.js';
import { SLUG } from '../core/playbook/schema.js';
import type { Playbook } from '../core/playbook/types.js';
import { templateIssues } from '../engine/playbookTemplates.js';
import { AftercareError } from '../errors.js';
import { packagePath } from '../templates/paths.js';
import { TemplateRenderer } from '../templates/render.js';

/** 'reassure' -> <package>/playbooks/reassure.yaml (whether or not it exists; loading says so). */
export function builtinPlaybookPath(name: string): string {
  if (!SLUG.test(name)) {
    throw new AftercareError('AFTERCARE_E_PLAYBOOK_NOT_FOUND', `"${name}" is not a playbook name`, { name });
  }
  return join(packagePath('playbooks'), `${name}.yaml`);
}

/** A reference with a path separator or a YAML extension is a file; anything else a built-in name. */
export function playbookPath(ref: string): string {
  return /[\\/]/.test(ref) || /\.ya?ml$/i.test(ref) ? ref : builtinPlaybookPath(ref);
}

/** YAML files beside the playbooks that are not playbooks: gap analysis's interaction catalogue. */
const NOT_PLAYBOOKS: ReadonlySet<string> = new Set(['interactions.yaml']);

/** Names of the playbooks that ship with Aftercare. */
export async function builtinPlaybookNames(): Promise<string[]> {
  const files = await readdir(packagePath('playbooks'));
  return files
    .filter((file) => /\.ya?ml$/i.test(file) && !NOT_PLAYBOOKS.has(file))
    .map((file) => basename(file, extname(file)))
    .sort();
}

function invalid(file: string, issues: PlaybookIssue[]): AftercareError {
  const shown = issues.slice(0, 10).map(formatIssue);
  if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new AftercareError(
    'AFTERCARE_E_PLAYBOOK_INVALID',
    `playbook ${file} has ${count}:\n${shown.join('\n')}`,
    { file, issues },
  );
}

/**
 * Throws AFTERCARE_E_PLAYBOOK_NOT_FOUND when the file cannot be read, and
 * AFTERCARE_E_PLAYBOOK_INVALID with `details.issues` (every problem, with line and column).
 * Without a renderer, templates are looked up in the playbook's `templates:` folder, then the
 * defaults.
 */
export async function loadPlaybookFile(path: string, renderer?: TemplateRenderer): Promise<Playbook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? null;
    throw new AftercareError(
      'AFTERCARE_E_PLAYBOOK_NOT_FOUND',
      `cannot read playbook ${path}`,
      { file: path, code },
      { cause: error },
    );
  }
  const analyzed = analyzePlaybook(text, path);
  if (!analyzed.result.ok) throw invalid(path, analyzed.result.issues);
  const playbook = analyzed.result.playbook;
  const templates =
    renderer ?? new TemplateRenderer({ dirs: playbook.templatesDir ? [playbook.templatesDir] : [] });
  // A person at this machine is told where templates were looked for.
  const issues = templateIssues(playbook, templates, {
    file: path,
    locate: (path) => analyzed.locate(path),
    showFiles: true,
  });
  if (issues.length > 0) throw invalid(path, issues);
  return playbook;
}

export interface LoadedPlaybooks {
  playbooks: Playbook[];
  renderer: TemplateRenderer;
}

/** The playbooks `refs` name, checked, with a renderer for all of their templates. */
export async function loadPlaybooks(refs: readonly string[]): Promise<LoadedPlaybooks> {
  const playbooks: Playbook[] = [];
  for (const ref of refs) {
    const playbook = await loadPlaybookFile(playbookPath(ref));
    // Enrollments, touch point ids and the API know a playbook by its name alone.
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
