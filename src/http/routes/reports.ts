// The measuring report over the API: the whole report, or its metrics, lift or gaps alone, for
// orders placed in a period (`since`, `until`: UTC days) and optionally one playbook. The same
// numbers as `aftercare report`; docs/measuring.md explains each.
import { sharedPlansResource } from '../schemas/deals.js';
import { z } from 'zod';
import { formatReportHtml } from '../../report/html.js';
import { defineRoute, ok } from '../route.js';
import { presentGaps, presentReport } from '../../report/present.js';
import { reportLiftResponse, reportMetricsResponse, reportQuery } from '../schemas/reports.js';
import { gapsResource } from './gaps.js';

const errors = [404] as const;
const TAG = 'Reports';

export const reportRoutes = [
  defineRoute({
    method: 'GET',
    path: '/reports/summary',
    scopes: ['read'],
    tag: TAG,
    summary: 'The whole report: metrics, lift against the holdout, versions compared and gaps',
    query: reportQuery,
    answer: {
      status: 200,
      description: 'the report',
      schema: reportMetricsResponse.extend({
        lift: reportLiftResponse.shape.lift,
        gaps: gapsResource,
        deals: sharedPlansResource.optional(),
      }),
    },
    errors,
    handle: async ({ query }, { deps }) => ok(presentReport(await deps.commands.reports.summary(query))),
  }),
  defineRoute({
    method: 'GET',
    path: '/reports/summary.html',
    scopes: ['read'],
    tag: TAG,
    summary: 'The whole report as one self-contained HTML file (inline CSS and SVG, no script)',
    query: reportQuery,
    answer: { status: 200, description: 'text/html', schema: z.string() },
    errors,
    handle: async ({ query }, { deps, reply }) => {
      const report = await deps.commands.reports.summary(query);
      void reply.type('text/html; charset=utf-8');
      return ok(formatReportHtml(report));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/reports/metrics',
    scopes: ['read'],
    tag: TAG,
    summary: 'What the program did, per playbook, version, step, segment and week of purchase',
    query: reportQuery,
    answer: {
      status: 200,
      description: 'the metrics and the versions side by side',
      schema: reportMetricsResponse,
    },
    errors,
    handle: async ({ query }, { deps }) => {
      const { lift: _lift, ...rest } = await deps.commands.reports.measure(query);
      return ok(rest);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/reports/lift',
    scopes: ['read'],
    tag: TAG,
    summary:
      "The program's effect against the holdout: return, repeat-purchase and cancel rates, CSAT and NPS",
    query: reportQuery,
    answer: {
      status: 200,
      description: 'one entry per metric, in a fixed order',
      schema: reportLiftResponse,
    },
    errors,
    handle: async ({ query }, { deps }) => {
      const { period, generatedAt, playbook, population, lift } = await deps.commands.reports.measure(query);
      return ok({ period, generatedAt, playbook, population, lift });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/reports/gaps',
    scopes: ['read'],
    tag: TAG,
    summary: 'Importance against performance of each interaction, largest gap first, with open actions',
    query: reportQuery,
    answer: { status: 200, description: 'the gap analysis', schema: gapsResource },
    errors,
    handle: async ({ query }, { deps }) => ok(presentGaps(await deps.commands.reports.gaps(query))),
  }),
];
