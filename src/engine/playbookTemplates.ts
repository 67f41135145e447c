// Whether each step of a playbook can be rendered here: its template exists, parses, and fits its
// channel (a subject for e-mail, a title for tasks). Checked when playbooks are loaded at start-up
// and when the API validates a playbook under edit; each problem points at the step's `template`.
import type { Position } from '../core/playbook/parse.js';
import type { PlaybookIssue } from '../core/playbook/parse.js';
import type { PathSegment } from '../core/playbook/conditionSyntax.js';
import type { Playbook, Step } from '../core/playbook/types.js';
import { AftercareError } from '../errors.js';
import type { TemplateRenderer } from '../templates/render.js';

export type TemplateLookup = Pick<TemplateRenderer, 'load' | 'dirs'>;

export interface TemplateCheck {
  /** The file (or `request`) the playbook came from, for the issues. */
  file: string;
  /** Where a field of the playbook's text is (AnalyzedPlaybook.locate). */
  locate: (path: PathSegment[]) => Position;
  /**
   * Name the folders searched and the template files found. True for a person at this machine;
   * false for remote callers of the API, who learn nothing of the server's file system.
   */
  showFiles: boolean;
}

export function templateIssues(
  playbook: Playbook,
  templates: TemplateLookup,
  check: TemplateCheck,
): PlaybookIssue[] {
  const issues: PlaybookIssue[] = [];
  playbook.steps.forEach((step, i) => {
    const message = templateProblem(step, templates, check.showFiles);
    if (message !== null) {
      issues.push({
        file: check.file,
        ...check.locate(['steps', i, 'template']),
        field: `steps[${i}].template`,
        message,
      });
    }
  });
  return issues;
}

function templateProblem(step: Step, templates: TemplateLookup, showFiles: boolean): string | null {
  let info: ReturnType<TemplateLookup['load']>;
  try {
    info = templates.load(step.template);
  } catch (error) {
    if (!(error instanceof AftercareError)) throw error;
    if (error.code === 'AFTERCARE_E_TEMPLATE_NOT_FOUND') {
      return showFiles
        ? `no template "${step.template}" (looked for ${step.template}.liquid in ${templates.dirs.join(', ')})`
        : `no template "${step.template}" on this server`;
    }
    if (error.code === 'AFTERCARE_E_TEMPLATE_RENDER')
      return `template "${step.template}" is broken: ${error.message}`;
    throw error;
  }
  const named = showFiles ? `template "${step.template}" (${info.file})` : `template "${step.template}"`;
  if (step.channel === 'email' && !info.hasSubject) {
    return showFiles
      ? `${named} has no subject: in its front matter, and e-mail needs one`
      : `${named} has no subject, and e-mail needs one`;
  }
  if (step.channel.startsWith('task:') && !info.hasTitle) {
    return showFiles
      ? `${named} has no title: in its front matter, and tasks need one`
      : `${named} has no title, and tasks need one`;
  }
  return null;
}
