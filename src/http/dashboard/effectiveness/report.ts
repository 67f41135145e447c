// The effectiveness report: the same report as `aftercare report` (commands.reports.summary) for
// orders placed in a period and optionally one playbook. A card per lift metric (program against
// holdout: n and value of each, the difference with its 95% interval, the smallest difference the
// numbers can detect, the verdict in words, the chart), then the report's own sections (gaps with
// the importance-performance quadrant, deals, what each playbook version did per step) rendered by
// src/report/html.ts, and the same report to download as JSON or as the self-contained HTML file.
// The report is computed once per request: no cache here (it is being made incremental).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Lift } from '../../../core/measuring/lift.js';
import type { Report, ReportQuery } from '../../../engine/commands/report.js';
import {
  LIFT_LABELS,
  count,
  liftDifference,
  liftInterval,
  liftMagnitude,
  liftOutcome,
  liftValue,
  periodText,
} from '../../../report/format.js';
import { dealsSection, detailSection, formatReportHtml, gapsSection } from '../../../report/html.js';
import { presentReport } from '../../../report/present.js';
import { chartIds, liftChart, type ChartIds } from '../../../report/svg.js';
import { activeOf } from '../guard.js';
import type { DashboardContext } from '../index.js';
import { esc, timeIn } from '../layout.js';
import { EFFECTIVENESS, fieldError, queryText, refusalOf, subnav, type FieldErrors } from './parts.js';

const FILTER_FIELDS = ['since', 'until', 'playbook'] as const;

/** The filter of the query string: empty fields left out. */
export function filterOf(query: unknown): ReportQuery {
  const filter: ReportQuery = {};
  for (const field of FILTER_FIELDS) {
    const value = queryText(query, field, 100);
    if (value !== undefined) filter[field] = value;
  }
  return filter;
}

function queryOf(filter: ReportQuery): string {
  const params = new URLSearchParams();
  for (const field of FILTER_FIELDS) {
    const value = filter[field];
    if (value !== undefined) params.set(field, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function filterForm(filter: ReportQuery, playbooks: readonly string[], errors: FieldErrors): string {
  const input = (field: 'since' | 'until', label: string): string => {
    const error = fieldError(field, errors[field]);
    return `<div><label for="${field}">${esc(label)}</label>
<input id="${field}" name="${field}" type="date" value="${esc(filter[field] ?? '')}"${error.attrs}>${error.message}</div>`;
  };
  const playbookError = fieldError('playbook', errors.playbook);
  return `<form class="card" method="get" action="${EFFECTIVENESS}" aria-labelledby="filter">
<h2 id="filter">Which orders</h2>
<p class="muted">Orders placed from the first to the last day (UTC days, both included); empty: from the start, until now.</p>
<div class="inline">
${input('since', 'Placed from')}
${input('until', 'Placed until')}
<div><label for="playbook">Playbook (empty: all)</label>
<input id="playbook" name="playbook" type="text" list="playbook-names" value="${esc(filter.playbook ?? '')}" autocomplete="off"${playbookError.attrs}>${playbookError.message}
<datalist id="playbook-names">${playbooks.map((p) => `<option value="${esc(p)}"></option>`).join('')}</datalist></div>
<div><button type="submit">Show</button></div>
</div>
</form>`;
}

function liftCard(lift: Lift, ids: ChartIds): string {
  const id = `lift-${lift.metric}`;
  const outcome = liftOutcome(lift);
  const label = LIFT_LABELS[lift.metric];
  return `<section class="card" id="${id}" aria-labelledby="${id}-h"><h3 id="${id}-h">${esc(label)}</h3>
<p class="big ${outcome}">${esc(liftDifference(lift.metric, lift.difference))}</p>
<p class="${outcome}">${esc(lift.verdict)}</p>
<dl>
<dt>Program</dt><dd>${esc(liftValue(lift.metric, lift.treatment.value))} <span class="muted">(n = ${esc(count(lift.treatment.n))})</span></dd>
<dt>Holdout</dt><dd>${esc(liftValue(lift.metric, lift.holdout.value))} <span class="muted">(n = ${esc(count(lift.holdout.n))})</span></dd>
<dt>Difference, 95% confidence interval</dt><dd>${esc(liftInterval(lift))}</dd>
<dt>Smallest difference these numbers can detect (MDE)</dt><dd>${esc(liftMagnitude(lift.metric, lift.mde))}</dd>
${lift.neededPerGroup === null ? '' : `<dt>Customers needed per group to tell</dt><dd>${esc(count(lift.neededPerGroup))}</dd>`}
</dl>
${liftChart(ids, lift)}
</section>`;
}

function reportBody(report: Report, filter: ReportQuery, zone: string): string {
  const ids = chartIds();
  const query = queryOf(filter);
  const p = report.population;
  return `<section class="card" aria-labelledby="downloads"><h2 id="downloads">This report</h2>
<p>${esc(periodText(report.period))}${report.playbook === null ? '' : esc(`; playbook ${report.playbook}`)} (${esc(timeIn(Date.parse(report.period.asOf), zone, true))}).</p>
<p>Download the same report: <a href="${EFFECTIVENESS}/report.json${esc(query)}" download>as JSON</a> · <a href="${EFFECTIVENESS}/report.html${esc(query)}" download>as one HTML file</a> (opens offline, can be forwarded).</p>
</section>
<section aria-labelledby="lift"><h2 id="lift">Does the program work?</h2>
<p>First orders in the program against the holdout, who get only the messages an order needs and the measurement surveys: ${esc(count(p.treatment.firstOrders))} in the program, ${esc(count(p.holdout.firstOrders))} held out. On each chart the dot is the difference, the line its 95% confidence interval, the grey band the smallest difference the current numbers can detect.</p>
<div class="grid">${report.lift.map((l) => liftCard(l, ids)).join('\n')}</div>
</section>
<div class="card">${gapsSection(report, ids)}</div>
${report.deals === undefined ? '' : `<div class="card">${dealsSection(report)}</div>`}
<div class="card scroll" tabindex="0" role="group" aria-label="What the program did, per playbook version and step">${detailSection(report, ids)}</div>`;
}

/** The report of the request's filter; a refusal naming a filter field is shown beside it. */
async function reportOr(
  context: DashboardContext,
  request: FastifyRequest,
): Promise<
  | { ok: true; report: Report; filter: ReportQuery }
  | { ok: false; errors: FieldErrors; status: number; filter: ReportQuery }
> {
  const filter = filterOf(request.query);
  try {
    return { ok: true, report: await context.deps.commands.reports.summary(filter), filter };
  } catch (error) {
    const refusal = refusalOf(error, FILTER_FIELDS);
    if (refusal === null) throw error;
    return { ok: false, errors: { [refusal.field]: refusal.message }, status: refusal.status, filter };
  }
}

function download(reply: FastifyReply, type: string, name: string, body: string): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${name}"`)
    .type(type)
    .send(body);
}

/** `aftercare-report-2026-06-01-to-2026-06-30-reassure.json`, from the filter (safe characters only). */
function fileName(filter: ReportQuery, extension: string): string {
  const parts = ['aftercare-report', filter.since ?? 'start', 'to', filter.until ?? 'now'];
  if (filter.playbook !== undefined) parts.push(filter.playbook);
  return `${parts.join('-').replace(/[^A-Za-z0-9._-]/g, '_')}.${extension}`;
}

export function reportRoutes(context: DashboardContext): void {
  const { commands } = context.deps;

  context.route('GET', '/effectiveness', async (request, reply) => {
    const { user } = activeOf(request);
    const playbooks = commands.playbooks.list().map((p) => p.name);
    const result = await reportOr(context, request);
    const form = filterForm(result.filter, playbooks, result.ok ? {} : result.errors);
    const body = `${subnav(EFFECTIVENESS)}${form}${result.ok ? reportBody(result.report, result.filter, user.timeZone) : ''}`;
    return context.send(request, reply, {
      title: 'Effectiveness',
      body,
      current: '/effectiveness',
      status: result.ok ? 200 : result.status,
    });
  });

  context.route('GET', '/effectiveness/report.json', async (request, reply) => {
    const filter = filterOf(request.query);
    const report = await commands.reports.summary(filter);
    return download(
      reply,
      'application/json; charset=utf-8',
      fileName(filter, 'json'),
      `${JSON.stringify(presentReport(report), null, 2)}\n`,
    );
  });

  context.route('GET', '/effectiveness/report.html', async (request, reply) => {
    const filter = filterOf(request.query);
    const report = await commands.reports.summary(filter);
    return download(reply, 'text/html; charset=utf-8', fileName(filter, 'html'), formatReportHtml(report));
  });
}
