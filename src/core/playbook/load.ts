// Reading a playbook file: parse and validate it, then check that every step's template exists,
// parses, and fits its channel (a subject for e-mail, a title for tasks). The one file of
// core/playbook that does I/O; the CLI and the server call it at start-up.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AftercareError } from '../../errors.js';
import { packagePath } from '../../templates/paths.js';
import { TemplateRenderer, type TemplateInfo } from '../../templates/render.js';
import { analyzePlaybook, formatIssue, type PlaybookIssue } from './parse.js';
import { SLUG } from './schema.js';
import type { Playbook, Step } from './types.js';

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

  const issues: PlaybookIssue[] = [];
  playbook.steps.forEach((step, i) => {
    const message = templateProblem(step, templates);
    if (message !== null) {
      issues.push({
        file: path,
        ...analyzed.locate(['steps', i, 'template']),
        field: `steps[${i}].template`,
        message,
      });
    }
  });
  if (issues.length > 0) throw invalid(path, issues);
  return playbook;
}

function templateProblem(step: Step, templates: TemplateRenderer): string | null {
  let info: TemplateInfo;
  try {
    info = templates.load(step.template);
  } catch (error) {
    if (!(error instanceof AftercareError)) throw error;
    if (error.code === 'AFTERCARE_E_TEMPLATE_NOT_FOUND') {
      return `no template "${step.template}" (looked for ${step.template}.liquid in ${templates.dirs.join(', ')})`;
    }
    if (error.code === 'AFTERCARE_E_TEMPLATE_RENDER')
      return `template "${step.template}" is broken: ${error.message}`;
    throw error;
  }
  if (step.channel === 'email' && !info.hasSubject) {
    return `template "${step.template}" (${info.file}) has no subject: in its front matter, and e-mail needs one`;
  }
  if (step.channel.startsWith('task:') && !info.hasTitle) {
    return `template "${step.template}" (${info.file}) has no title: in its front matter, and tasks need one`;
  }
  return null;
}

function invalid(file: string, issues: PlaybookIssue[]): AftercareError {
  const shown = issues.slice(0, 10).map(formatIssue);
  if (issues.length > shown.length) shown.push(`... and ${issues.length - shown.length} more`);
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new AftercareError(
    'AFTERCARE_E_PLAYBOOK_INVALID',
    `playbook ${file} has ${count}:\n${shown.join('\n')}`,
    {
      file,
      issues,
    },
  );
}

/** 'reassure' -> <package>/playbooks/reassure.yaml (whether or not it exists; loading says so). */
export function builtinPlaybookPath(name: string): string {
  if (!SLUG.test(name)) {
    throw new AftercareError('AFTERCARE_E_PLAYBOOK_NOT_FOUND', `"${name}" is not a playbook name`, { name });
  }
  return join(packagePath('playbooks'), `${name}.yaml`);
}
