// The report as one self-contained HTML file a business owner can open and forward: inline CSS,
// inline SVG charts (svg.ts), no script, no font or image to fetch, no link out. Whether the
// program works comes first, then where the gaps are, then the detail. All data text is escaped.
// The sections are exported: the dashboard's effectiveness page shows the same ones.
import { DEALS_HEADER, DEALS_TITLE, dealsRows } from './deals.js';
import type { SliceMetrics } from '../core/measuring/reportMetrics.js';
import {
  count,
  decimal,
  LIFT_LABELS,
  liftDifference,
  liftInterval,
  liftOutcome,
  liftValue,
  outcomeCells,
  percent,
  periodText,
  utcMinute,
} from './format.js';
import { chartIds, escapeHtml as e, ipaScatter, liftChart, stepBars } from './svg.js';
import type { ReportView } from './view.js';

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#202124;margin:0;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid #dadce0}
h3{font-size:17px;margin:20px 0 6px}h4{font-size:15px;margin:14px 0 6px}
table{border-collapse:collapse;margin:8px 0 16px;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:600;padding:4px 0}
th,td{padding:4px 10px;border-bottom:1px solid #e8eaed;text-align:right;vertical-align:middle}
th:first-child,td:first-child{text-align:left}thead th{background:#f1f3f4}
.helps{color:#1b7a3a}.harms{color:#b3261e}.unclear{color:#5f6368}
.verdict{text-align:left;max-width:360px}.note{color:#5f6368;font-size:13px}
svg{display:block;max-width:100%;height:auto}
@media print{main{padding:0}h2{break-after:avoid}}
`;

function head(cells: readonly string[]): string {
  return `<thead><tr>${cells.map((c) => `<th scope="col">${e(c)}</th>`).join('')}</tr></thead>`;
}

function table(caption: string, header: readonly string[], rows: readonly (readonly string[])[]): string {
  const body = rows
    .map(
      (row) =>
        `<tr><th scope="row">${row[0] ?? ''}</th>${row
          .slice(1)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<table><caption>${e(caption)}</caption>${head(header)}<tbody>${body}</tbody></table>`;
}

const OUTCOME_HEADER = [
  'Orders',
  'Returns',
  'Cancelled',
  'Repeat 90 days',
  'Repeat 180 days',
  'CSAT',
  'NPS',
  'First contact',
  'Concerns',
  'Time to resolve',
  'SLA breaches',
];

function liftSection(report: ReportView, ids: ReturnType<typeof chartIds>): string {
  const rows = report.lift
    .map((l) => {
      const outcome = liftOutcome(l);
      return (
        `<tr><th scope="row">${e(LIFT_LABELS[l.metric])}</th>` +
        `<td>${e(liftValue(l.metric, l.treatment.value))}<br><span class="note">n = ${e(count(l.treatment.n))}</span></td>` +
        `<td>${e(liftValue(l.metric, l.holdout.value))}<br><span class="note">n = ${e(count(l.holdout.n))}</span></td>` +
        `<td class="${outcome}">${e(liftDifference(l.metric, l.difference))}<br><span class="note">${e(liftInterval(l))}</span></td>` +
        `<td class="verdict ${outcome}">${e(l.verdict)}</td>` +
        `<td>${liftChart(ids, l)}</td></tr>`
      );
    })
    .join('');
  const p = report.population;
  return (
    `<section aria-labelledby="lift"><h2 id="lift">Does the program work?</h2>` +
    `<p>Customers in the program against the holdout, who get only the messages an order needs and the measurement surveys. ` +
    `First orders only: ${e(count(p.treatment.firstOrders))} in the program, ${e(count(p.holdout.firstOrders))} held out. ` +
    `The line on each chart is the 95% confidence interval of the difference; the grey band is the smallest difference the current numbers can detect.</p>` +
    `<table><caption>Program against holdout, 95% confidence intervals</caption>` +
    head(['Metric', 'Program', 'Holdout', 'Difference (95% CI)', 'Verdict', 'Chart']) +
    `<tbody>${rows}</tbody></table></section>`
  );
}

export function gapsSection(report: ReportView, ids: ReturnType<typeof chartIds>): string {
  const { gaps } = report;
  const rows = gaps.interactions.map((g) => [
    e(g.name),
    e(g.importance === null ? '–' : `${g.importance.value.toFixed(2)} (${g.importance.source})`),
    e(g.performance === null ? '–' : `${g.performance.value.toFixed(2)} (${g.performance.source})`),
    e(decimal(g.gap, 2)),
    e((g.quadrant ?? '–').replaceAll('_', ' ')),
    e(count(g.n)),
  ]);
  const actions = gaps.actions.flatMap((a) =>
    a.open.map((item) => ({ ...item, interaction: a.interaction })),
  );
  return (
    `<section aria-labelledby="gaps"><h2 id="gaps">Where are the gaps?</h2>` +
    `<p>Each moment that matters, by how much it matters to customers (importance) and how well it goes (performance), both 1 to 5. ` +
    `Top left, “concentrate here”: it matters more than it goes well.</p>` +
    ipaScatter(ids, gaps.interactions, gaps.means) +
    table(
      'Interactions, largest gap first',
      ['Interaction', 'Importance', 'Performance', 'Gap', 'Quadrant', 'Answers or teams'],
      rows,
    ) +
    (actions.length === 0
      ? ''
      : table(
          'What is being done: open actions',
          ['Interaction', 'Action', 'Owner', 'Due'],
          actions.map((a) => [e(a.interaction), e(a.title), e(a.owner), e(a.due)]),
        )) +
    `</section>`
  );
}

export function detailSection(report: ReportView, ids: ReturnType<typeof chartIds>): string {
  const parts = [
    `<section aria-labelledby="detail"><h2 id="detail">What the program did</h2>`,
    `<p>Customers in the program (the holdout is left out of these numbers).</p>`,
    table('All playbooks', ['', ...OUTCOME_HEADER], [['All', ...outcomeCellsHtml(report.metrics.overall)]]),
  ];
  for (const playbook of report.metrics.playbooks) {
    parts.push(
      `<h3>Playbook ${e(playbook.playbook)}</h3>`,
      table(
        `${playbook.playbook} by version`,
        ['Version', ...OUTCOME_HEADER],
        playbook.versions.map((v) => [e(`v${v.version}`), ...outcomeCellsHtml(v)]),
      ),
    );
    for (const version of playbook.versions) {
      const title = `${playbook.playbook} v${version.version}: touch points per step`;
      parts.push(
        `<h4>${e(`${playbook.playbook} v${version.version}`)}</h4>`,
        stepBars(ids, title, version.steps),
        table(
          title,
          [
            'Step',
            'Channel',
            'Sent',
            'Skipped',
            'Cancelled',
            'Failed',
            'Pending',
            'Answered',
            'CSAT',
            'NPS',
            'Unsubscribes per message',
            'Why not sent',
          ],
          version.steps.map((s) => {
            const tp = s.touchPoints;
            const why = (['skipped', 'cancelled', 'failed'] as const)
              .flatMap((status) =>
                Object.entries(tp[status].byReason).map(([r, n]) => `${status} ${r}: ${n}`),
              )
              .join(', ');
            return [
              e(s.measurement ? `${s.step} (measurement)` : s.step),
              e(s.channel),
              e(count(tp.sent)),
              e(count(tp.skipped.total)),
              e(count(tp.cancelled.total)),
              e(count(tp.failed.total)),
              e(count(tp.pending)),
              e(percent(tp.answerRate)),
              e(decimal(s.csat.mean, 2)),
              e(decimal(s.nps.score, 0)),
              e(percent(tp.unsubscribesPerMessage, 2)),
              e(why),
            ];
          }),
        ),
      );
    }
  }
  if (report.versions.length > 1) {
    parts.push(
      `<h3>Versions compared</h3>`,
      table(
        'Each version against its own holdout',
        ['Version', ...report.versions[0]!.lift.map((l) => LIFT_LABELS[l.metric])],
        report.versions.map((v) => [
          e(`${v.playbook} v${v.version}`),
          ...v.lift.map((l) => e(`${liftDifference(l.metric, l.difference)} (${liftInterval(l)})`)),
        ]),
      ),
    );
  }
  parts.push(
    `<h3>By segment</h3>`,
    table(
      'By segment',
      ['Segment', ...OUTCOME_HEADER],
      report.metrics.segments.map((s) => [e(s.segment), ...outcomeCellsHtml(s)]),
    ),
    `<h3>By week of purchase</h3>`,
    table(
      'By ISO week of purchase',
      ['Week', ...OUTCOME_HEADER],
      report.metrics.cohorts.map((c) => [e(c.week), ...outcomeCellsHtml(c)]),
    ),
    `</section>`,
  );
  return parts.join('');
}

function outcomeCellsHtml(m: SliceMetrics): string[] {
  return outcomeCells(m).map(e);
}

export function dealsSection(report: ReportView): string {
  const rows = dealsRows(report.deals);
  if (rows === null || !report.deals) return '';
  return (
    `<section aria-labelledby="deals"><h2 id="deals">${e(DEALS_TITLE)}</h2>` +
    table(
      DEALS_TITLE,
      DEALS_HEADER,
      rows.map((row) => row.map(e)),
    ) +
    `<p class="note">${e(report.deals.note)}</p></section>`
  );
}

export function formatReportHtml(report: ReportView): string {
  const ids = chartIds();
  const period = periodText(report.period);
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${e(`Aftercare report: ${period}`)}</title><style>${CSS}</style></head><body><main>` +
    `<h1>Aftercare report</h1><p>${e(period)}${report.playbook === null ? '' : e(`; playbook ${report.playbook}`)}.</p>` +
    liftSection(report, ids) +
    gapsSection(report, ids) +
    dealsSection(report) +
    detailSection(report, ids) +
    `<footer><p class="note">Generated ${e(utcMinute(report.generatedAt))} by Aftercare. ` +
    `Every number is explained, with its caveats, in Aftercare's docs/measuring.md.</p></footer>` +
    `</main></body></html>\n`
  );
}
