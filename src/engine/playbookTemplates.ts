// Whether each step of a playbook can be rendered here: its template exists, parses, and fits its
// channel (a subject for e-mail, a title for tasks), in every locale it comes in (`name.fr.liquid`
// beside `name.liquid`, which every other locale falls back to, so it must exist). Checked when playbooks are loaded at start-up
// and when the API validates a playbook under edit; each problem points at the step's `template`.
import type { Position } from '../core/playbook/parse.js';
import type { PlaybookIssue } from '../core/playbook/parse.js';
import type { PathSegment } from '../core/playbook/conditionSyntax.js';
import type { Playbook, Step } from '../core/playbook/types.js';
import { AftercareError } from '../errors.js';
import type { TemplateRenderer } from '../templates/render.js';

export type TemplateLookup = Pick<TemplateRenderer, 'load' | 'dirs' | 'locales'>;

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
  // The base file first: without it, a customer in a locale not translated gets nothing.
  for (const locale of ['', ...templates.locales(step.template).filter((l) => l !== '')]) {
    const problem = variantProblem(step, templates, showFiles, locale);
    if (problem !== null) return problem;
  }
  return null;
}

function variantProblem(
  step: Step,
  templates: TemplateLookup,
  showFiles: boolean,
  locale: string,
): string | null {
  let info: ReturnType<TemplateLookup['load']>;
  try {
    info = templates.load(step.template, locale);
  } catch (error) {
    if (!(error instanceof AftercareError)) throw error;
    if (error.code === 'AFTERCARE_E_TEMPLATE_NOT_FOUND') {
      const only = templates.locales(step.template);
      if (only.length > 0) {
        return `template "${step.template}" comes only in ${only.join(', ')}: add ${step.template}.liquid, which every other locale falls back to`;
      }
      return showFiles
        ? `no template "${step.template}" (looked for ${step.template}.liquid in ${templates.dirs.join(', ')})`
        : `no template "${step.template}" on this server`;
    }
    if (error.code === 'AFTERCARE_E_TEMPLATE_RENDER')
      return `template "${step.template}" is broken: ${error.message}`;
    throw error;
  }
  const variant = locale === '' ? step.template : `${step.template}.${locale}`;
  const named = showFiles ? `template "${variant}" (${info.file})` : `template "${variant}"`;
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
