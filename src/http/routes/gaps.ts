// Gap analysis over the API: the gaps (importance against performance per interaction, largest
// first), team audits and how far two teams agree, and action items that close the gaps. Reads
// need `read`; adding and completing action items `write`. docs/gaps.md explains the numbers.
import { z } from 'zod';
import { QUADRANTS } from '../../core/measuring/ipa.js';
import type { ActionItem } from '../../store/ports/gaps.js';
import { ACTION_STATUSES } from '../../store/ports/gaps.js';
import { AftercareError } from '../../errors.js';
import { defineRoute, ok } from '../route.js';
import { listOf } from './customers.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day like 2026-03-02');
const slug = z
  .string()
  .regex(/^[a-z0-9-]{1,100}$/, 'must be an interaction id (lower-case letters, digits and -)');
const score = z.number().describe('1-5');
const isoOrNull = z.string().nullable();

const actionResource = z.object({
  id: z.number().int(),
  interaction: z.string(),
  title: z.string(),
  owner: z.string(),
  due: z.string().describe('YYYY-MM-DD'),
  status: z.enum(ACTION_STATUSES),
  createdAt: z.string(),
  doneAt: isoOrNull,
  playbookVersion: z.string().nullable().describe('`name@version` of the playbook change that addressed it'),
});

const auditEntry = z.object({
  team: z.string(),
  interaction: z.string(),
  importance: score,
  performance: score,
  note: z.string().nullable(),
  importedAt: z.string(),
});

const teamScores = z.object({ importance: score, performance: score, note: z.string().nullable() });
const comparisonResource = z.object({
  teams: z.tuple([z.string(), z.string()]),
  compared: z.number().int().describe('interactions both teams scored'),
  method: z.literal('krippendorff-alpha-ordinal'),
  alpha: z.object({ importance: z.number().nullable(), performance: z.number().nullable() }),
  verdict: z.object({ importance: z.string(), performance: z.string() }),
  disagreements: z.array(
    z.object({
      interaction: z.string(),
      a: teamScores,
      b: teamScores,
      importanceDifference: z.number(),
      performanceDifference: z.number(),
      distance: z.number(),
    }),
  ),
  onlyA: z.array(z.string()),
  onlyB: z.array(z.string()),
});

const question = z.object({ step: z.string(), survey: z.enum(['csat', 'nps']) });
const gapResource = z.object({
  interaction: z.string(),
  name: z.string(),
  importance: z.object({ value: score, source: z.enum(['asked', 'derived']) }).nullable(),
  performance: z.object({ value: score, source: z.enum(['survey', 'audit']) }).nullable(),
  gap: z.number().nullable().describe('importance - performance'),
  quadrant: z.enum(QUADRANTS).nullable(),
  n: z.number().int().describe('survey answers (or teams) behind the performance'),
  evidence: z.object({
    asked: z.object({ value: score, teams: z.number().int() }).nullable(),
    derived: z
      .object({
        value: score,
        r: z.number(),
        pairs: z
          .number()
          .int()
          .describe('pairs of answers about the same order: this one and the overall question'),
      })
      .nullable(),
    survey: z.object({ value: score, answers: z.number().int() }).nullable(),
    audit: z.object({ value: score, teams: z.number().int() }).nullable(),
  }),
});

export const gapsResource = z.object({
  catalogue: z
    .object({ playbook: z.string(), source: z.string(), interactions: z.number().int() })
    .nullable(),
  window: z.object({ since: z.string().nullable(), until: z.string().nullable() }),
  interactions: z.array(gapResource),
  means: z.object({ importance: z.number(), performance: z.number() }).nullable(),
  overall: question.nullable(),
  teams: z.array(comparisonResource),
  actions: z.array(z.object({ interaction: z.string(), open: z.array(actionResource) })),
  answers: z
    .object({ read: z.number().int(), complete: z.boolean() })
    .describe('the survey answers counted: every answer to the catalogue questions in the window'),
});

const iso = (at: number | null): string | null => (at === null ? null : new Date(at).toISOString());

function presentAction(a: ActionItem): z.input<typeof actionResource> {
  return { ...a, createdAt: iso(a.createdAt)!, doneAt: iso(a.doneAt) };
}

function noCatalogue(): AftercareError {
  return new AftercareError(
    'AFTERCARE_E_CONFIG',
    'there is no interaction catalogue for the configured playbooks (AFTERCARE_INTERACTIONS_FILE)',
  );
}

const invalid = (where: 'body' | 'query' | 'path', field: string, message: string): AftercareError =>
  new AftercareError('AFTERCARE_E_INPUT_INVALID', `${field}: ${message}`, { in: where, field });

export const addActionInput = z.strictObject({
  interaction: slug.describe('an interaction id of the catalogue'),
  title: z.string().trim().min(1, 'must not be empty').max(200).describe('what is to be done'),
  owner: z.string().trim().min(1, 'must not be empty').max(200).describe('who does it'),
  due: day.describe('by when (YYYY-MM-DD)'),
});

export const doneActionInput = z.strictObject({
  playbookVersion: z
    .string()
    .regex(/^[a-z0-9-]+@[1-9]\d{0,8}$/, 'must be NAME@VERSION, e.g. reassure@4')
    .optional()
    .describe('the playbook version whose change closed it; it must have run here'),
});

export const gapRoutes = [
  defineRoute({
    method: 'GET',
    path: '/gaps',
    scopes: ['read'],
    tag: 'Gaps',
    summary:
      'Importance against performance per interaction, largest gap first, with team agreement and open actions',
    description:
      'The window is of orders placed (UTC days, inclusive), as the report. docs/gaps.md explains how importance ' +
      'and performance are found and the quadrants.',
    query: z.strictObject({ since: day.optional(), until: day.optional() }),
    answer: { status: 200, description: 'the gap analysis', schema: gapsResource },
    handle: async ({ query }, { deps }) => {
      const report = await deps.commands.gaps.analyse({
        ...(query.since ? { since: query.since } : {}),
        ...(query.until ? { until: query.until } : {}),
      });
      return ok({
        ...report,
        actions: report.actions.map((a) => ({ interaction: a.interaction, open: a.open.map(presentAction) })),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/audits',
    scopes: ['read'],
    tag: 'Gaps',
    summary: "Every team's audit: importance and performance (1-5) per interaction, with notes",
    answer: {
      status: 200,
      description: 'the teams and their entries, by team then interaction',
      schema: z.object({
        teams: z.array(
          z.object({ team: z.string(), interactions: z.number().int(), importedAt: z.string() }),
        ),
        items: z.array(auditEntry),
      }),
    },
    handle: async (_input, { deps }) => {
      const { teams, entries } = await deps.commands.gaps.listAudits();
      return ok({
        teams: teams.map((t) => ({ ...t, importedAt: iso(t.importedAt) })),
        items: entries.map((e) => ({ ...e, importedAt: iso(e.importedAt) })),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/audits/compare',
    scopes: ['read'],
    tag: 'Gaps',
    summary: "How far two teams' audits agree (Krippendorff's alpha, ordinal) and where they disagree most",
    query: z.strictObject({
      teams: z
        .string()
        .max(201)
        .transform((raw) => raw.split(',').map((t) => t.trim()))
        .refine((teams) => teams.length === 2 && teams.every((t) => t !== ''), 'must name two teams: A,B')
        .describe('two team names, comma-separated'),
    }),
    answer: { status: 200, description: 'the comparison', schema: comparisonResource },
    errors: [404],
    handle: async ({ query }, { deps }) => {
      const [a, b] = query.teams as [string, string];
      const result = await deps.commands.gaps.compareAudits(a, b);
      if (result.ok) return ok(result.comparison);
      if (result.why === 'same_team') throw invalid('query', 'teams', 'must name two different teams');
      throw new AftercareError('AFTERCARE_E_NOT_FOUND', `team "${result.team}" has no audit`, {
        in: 'query',
        field: 'teams',
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/actions',
    scopes: ['read'],
    tag: 'Gaps',
    summary: 'Action items, oldest first, by status and interaction',
    query: z.strictObject({ status: z.enum(ACTION_STATUSES).optional(), interaction: slug.optional() }),
    answer: { status: 200, description: 'the action items', schema: listOf(actionResource) },
    handle: async ({ query }, { deps }) => {
      const items = await deps.commands.gaps.listActions({
        ...(query.status ? { status: query.status } : {}),
        ...(query.interaction ? { interaction: query.interaction } : {}),
      });
      return ok({ items: items.map(presentAction) });
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/actions',
    scopes: ['write'],
    tag: 'Gaps',
    summary: 'Add an action item for an interaction of the catalogue',
    body: addActionInput,
    answer: { status: 201, description: 'the new action item', schema: actionResource },
    handle: async ({ body }, { deps }) => {
      const added = await deps.commands.gaps.addAction(body);
      if (added.ok) return ok(presentAction(added.action), 201);
      switch (added.why) {
        case 'no_catalogue':
          throw noCatalogue();
        case 'unknown_interaction':
          throw invalid('body', 'interaction', `must be one of ${added.known.join(', ')}`);
        case 'invalid':
          throw invalid('body', added.field, added.message);
      }
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/actions/:id/done',
    scopes: ['write'],
    tag: 'Gaps',
    summary: 'Mark an action item done, with the playbook version that addressed it',
    params: z.strictObject({
      id: z.coerce.number().int('must be an action id').min(1).max(Number.MAX_SAFE_INTEGER),
    }),
    body: doneActionInput,
    answer: { status: 200, description: 'the action item as it is now', schema: actionResource },
    errors: [404],
    handle: async ({ params, body }, { deps }) => {
      const done = await deps.commands.gaps.completeAction(params.id, body.playbookVersion ?? null);
      if (done.ok) return ok(presentAction(done.action));
      switch (done.why) {
        case 'not_found':
          throw new AftercareError('AFTERCARE_E_NOT_FOUND', 'no action item with this id', {
            in: 'path',
            field: 'id',
          });
        case 'invalid_playbook_version':
          throw invalid('body', 'playbookVersion', 'must be NAME@VERSION, e.g. reassure@4');
        case 'unknown_playbook_version':
          throw invalid('body', 'playbookVersion', `${done.playbookVersion} has never run here`);
      }
    },
  }),
];
