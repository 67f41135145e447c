// The playbooks this server runs (list, show) and a check for a playbook under edit. Parsing,
// validating and the template lookup are the playbook commands'; nothing is loaded or enrolled
// by validating. This file reads YAML (or JSON-wrapped YAML) and presents every problem.
import { z } from 'zod';
import { formatIssue, MAX_PLAYBOOK_BYTES, type PlaybookIssue } from '../../core/playbook/parse.js';
import { AftercareError } from '../../errors.js';
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
/** What the issues call the text they are about. */
const SOURCE = 'request';

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
    scopes: ['read'],
    tag: 'Playbooks',
    summary: 'The playbooks every new order is enrolled in',
    answer: { status: 200, description: 'the playbooks', schema: listOf(playbookSummary) },
    handle: (_input, { deps }) => ok({ items: deps.commands.playbooks.list().map(presentPlaybookSummary) }),
  }),
  defineRoute({
    method: 'GET',
    path: '/playbooks/:name',
    scopes: ['read'],
    tag: 'Playbooks',
    summary: 'A playbook with its steps',
    params: z.strictObject({ name: z.string().min(1).max(100) }),
    answer: { status: 200, description: 'the playbook', schema: playbookResource },
    errors: [404],
    handle: ({ params }, { deps }) => {
      const playbook = deps.commands.playbooks.get(params.name);
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
    scopes: ['write'],
    tag: 'Playbooks',
    summary:
      'Check a playbook: YAML in the body (or JSON {"yaml": "..."}), every problem with line, column and field',
    body: z.unknown(),
    bodyDoc: validatePlaybookJson,
    bodyTypes: ['application/yaml', 'application/json'],
    answer: { status: 200, description: 'whether it is valid, and every problem', schema: validationResult },
    handle: ({ body }, { deps }) => {
      const text = typeof body === 'string' ? body : parseInput(validatePlaybookJson, body, 'body').yaml;
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes > MAX_PLAYBOOK_BYTES) {
        throw new AftercareError(
          'AFTERCARE_E_PAYLOAD_TOO_LARGE',
          `the playbook is ${bytes} bytes; at most ${MAX_PLAYBOOK_BYTES} are validated`,
          { field: 'body', limit: MAX_PLAYBOOK_BYTES },
        );
      }
      const checked = deps.commands.playbooks.validate(text, SOURCE);
      return ok({
        valid: checked.valid,
        issues: checked.issues.map(presentIssue),
        playbook: checked.playbook === null ? null : presentPlaybookSummary(checked.playbook),
      });
    },
  }),
];
