// The playbooks this server runs (list, show) and a check for a playbook under edit: the YAML is
// parsed and validated as at start-up, and each step's template looked up among the server's
// templates. Nothing is loaded or enrolled by validating.
import { z } from 'zod';
import { analyzePlaybook, formatIssue, type PlaybookIssue } from '../../core/playbook/parse.js';
import type { Step } from '../../core/playbook/types.js';
import { AftercareError } from '../../errors.js';
import type { TemplateRenderer } from '../../templates/render.js';
import { presentPlaybook, presentPlaybookSummary } from '../present.js';
import { defineRoute, ok } from '../route.js';
import { validatePlaybookJson } from '../schemas/inputs.js';
import { playbookResource, playbookSummary, validationResult } from '../schemas/resources.js';
import { parseInput } from '../validate.js';
import { listOf } from './customers.js';

export const YAML_TYPES = [
  'application/yaml',
  'application/x-yaml',
  'text/yaml',
  'text/x-yaml',
  'text/plain',
];
const SOURCE = 'request';

/** Whether the server has the step's template and it fits the channel; null when fine. */
function templateProblem(step: Step, renderer: TemplateRenderer): string | null {
  let info;
  try {
    info = renderer.load(step.template);
  } catch (error) {
    if (error instanceof AftercareError && error.code === 'AFTERCARE_E_TEMPLATE_NOT_FOUND')
      return `no template "${step.template}" on this server`;
    if (error instanceof AftercareError && error.code === 'AFTERCARE_E_TEMPLATE_RENDER')
      return `template "${step.template}" is broken: ${error.message}`;
    throw error;
  }
  if (step.channel === 'email' && !info.hasSubject)
    return `template "${step.template}" has no subject, and e-mail needs one`;
  if (step.channel.startsWith('task:') && !info.hasTitle)
    return `template "${step.template}" has no title, and tasks need one`;
  return null;
}

function presentIssue(issue: PlaybookIssue) {
  return {
    line: issue.line,
    column: issue.column,
    field: issue.field,
    message: issue.message,
    text: formatIssue(issue),
  };
}

export const playbookRoutes = [
  defineRoute({
    method: 'GET',
    path: '/playbooks',
    tag: 'Playbooks',
    summary: 'The playbooks every new order is enrolled in',
    answer: { status: 200, description: 'the playbooks', schema: listOf(playbookSummary) },
    handle: (_input, { deps }) => ok({ items: deps.playbooks.map(presentPlaybookSummary) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/playbooks/:name',
    tag: 'Playbooks',
    summary: 'A playbook with its steps',
    params: z.strictObject({ name: z.string().min(1).max(100) }),
    answer: { status: 200, description: 'the playbook', schema: playbookResource },
    errors: [404],
    handle: ({ params }, { deps }) => {
      const playbook = deps.playbooks.find((p) => p.name === params.name);
      if (!playbook) {
        throw new AftercareError(
          'AFTERCARE_E_PLAYBOOK_NOT_FOUND',
          'this server runs no playbook of that name',
          {
            in: 'path',
            field: 'name',
          },
        );
      }
      return ok(presentPlaybook(playbook));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/playbooks/validate',
    tag: 'Playbooks',
    summary:
      'Check a playbook: YAML in the body (or JSON {"yaml": "..."}), every problem with line, column and field',
    body: z.unknown(),
    bodyDoc: validatePlaybookJson,
    bodyTypes: ['application/yaml', 'application/json'],
    answer: { status: 200, description: 'whether it is valid, and every problem', schema: validationResult },
    handle: ({ body }, { deps }) => {
      const text = typeof body === 'string' ? body : parseInput(validatePlaybookJson, body, 'body').yaml;
      const analyzed = analyzePlaybook(text, SOURCE);
      if (!analyzed.result.ok) {
        return ok({ valid: false, issues: analyzed.result.issues.map(presentIssue), playbook: null });
      }
      const playbook = analyzed.result.playbook;
      const issues: PlaybookIssue[] = [];
      playbook.steps.forEach((step, i) => {
        const message = templateProblem(step, deps.renderer);
        if (message !== null) {
          issues.push({
            file: SOURCE,
            ...analyzed.locate(['steps', i, 'template']),
            field: `steps[${i}].template`,
            message,
          });
        }
      });
      return ok({
        valid: issues.length === 0,
        issues: issues.map(presentIssue),
        playbook: presentPlaybookSummary(playbook),
      });
    },
  }),
];
