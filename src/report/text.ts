// The report in the terminal (`aftercare report`): whether the program works first (lift
// verdicts), then what it did per playbook version and step, per segment and cohort week, and the
// largest gaps. Plain text tables, no colour, so it reads the same in a pipe or a mail.
import { DEALS_HEADER, DEALS_TITLE, dealsRows } from './deals.js';
import type { TouchPointMetrics } from '../core/measuring/reportMetrics.js';
import {
  count,
  decimal,
  LIFT_LABELS,
  liftDifference,
  liftInterval,
  liftMagnitude,
  liftValue,
  outcomeCells,
  percent,
  periodText,
} from './format.js';
import type { ReportView } from './view.js';

type Row = readonly string[];

/** Columns padded to their widest cell; the first column left-aligned, numbers right-aligned. */
export function table(header: Row, rows: readonly Row[], indent = '  '): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (row: Row): string =>
    indent +
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function reasons(tp: TouchPointMetrics): string {
  const parts = (['skipped', 'cancelled', 'failed'] as const).flatMap((status) =>
    Object.entries(tp[status].byReason).map(([reason, n]) => `${status} ${reason} ${count(n)}`),
  );
  return parts.length === 0 ? '' : parts.join(', ');
}

const OUTCOME_HEADER = [
  'orders',
  'returns',
  'cancelled',
  'repeat 90d',
  'repeat 180d',
  'CSAT',
  'NPS',
  '1st contact',
  'concerns',
  'resolve',
  'SLA breaches',
];

const STEP_HEADER = [
  'step',
  'channel',
  'sent',
  'skipped',
  'cancelled',
  'failed',
  'pending',
  'answered',
  'CSAT',
  'NPS',
  'unsub/msg',
];

export function formatReportText(report: ReportView): string {
  const out: string[] = [];
  const { population } = report;
  out.push(`Aftercare report: ${periodText(report.period)}`);
  if (report.playbook !== null) out.push(`Playbook: ${report.playbook}`);
  out.push(
    `First orders: ${count(population.treatment.firstOrders)} in the program, ` +
      `${count(population.holdout.firstOrders)} held out ` +
      `(all orders: ${count(population.treatment.orders)} and ${count(population.holdout.orders)})`,
    '',
    'Does the program work? Program against holdout, first orders, 95% confidence interval',
  );
  out.push(
    table(
      ['metric', 'program', 'n', 'holdout', 'n', 'difference', '95% CI', 'detectable'],
      report.lift.map((l) => [
        LIFT_LABELS[l.metric],
        liftValue(l.metric, l.treatment.value),
        count(l.treatment.n),
        liftValue(l.metric, l.holdout.value),
        count(l.holdout.n),
        liftDifference(l.metric, l.difference),
        liftInterval(l),
        liftMagnitude(l.metric, l.mde),
      ]),
    ),
    '',
  );
  for (const l of report.lift) out.push(`  ${LIFT_LABELS[l.metric]}: ${l.verdict}`);
  out.push('');

  out.push('What the program did (customers in the program; holdout left out)');
  out.push(table(['', ...OUTCOME_HEADER], [['all', ...outcomeCells(report.metrics.overall)]]), '');
  for (const playbook of report.metrics.playbooks) {
    out.push(`Playbook ${playbook.playbook}`);
    out.push(
      table(
        ['version', ...OUTCOME_HEADER],
        playbook.versions.map((v) => [`v${v.version}`, ...outcomeCells(v)]),
      ),
      '',
    );
    for (const version of playbook.versions) {
      out.push(`  ${playbook.playbook} v${version.version}, steps`);
      out.push(
        table(
          STEP_HEADER,
          version.steps.map((s) => [
            s.measurement ? `${s.step} (measurement)` : s.step,
            s.channel,
            count(s.touchPoints.sent),
            count(s.touchPoints.skipped.total),
            count(s.touchPoints.cancelled.total),
            count(s.touchPoints.failed.total),
            count(s.touchPoints.pending),
            percent(s.touchPoints.answerRate),
            decimal(s.csat.mean, 2),
            decimal(s.nps.score, 0),
            percent(s.touchPoints.unsubscribesPerMessage, 2),
          ]),
          '    ',
        ),
      );
      const why = version.steps
        .map((s) => [s.step, reasons(s.touchPoints)] as const)
        .filter(([, text]) => text !== '');
      for (const [step, text] of why) out.push(`    ${step}: ${text}`);
      out.push('');
    }
  }
  if (report.versions.length > 1) {
    out.push('Versions compared: returns against their own holdout');
    out.push(
      table(
        ['version', 'program', 'holdout', 'difference', '95% CI'],
        report.versions.map((v) => {
          const l = v.lift[0]!;
          return [
            `${v.playbook} v${v.version}`,
            liftValue(l.metric, l.treatment.value),
            liftValue(l.metric, l.holdout.value),
            liftDifference(l.metric, l.difference),
            liftInterval(l),
          ];
        }),
      ),
      '',
    );
  }
  out.push('By segment');
  out.push(
    table(
      ['segment', ...OUTCOME_HEADER],
      report.metrics.segments.map((s) => [s.segment, ...outcomeCells(s)]),
    ),
    '',
  );
  out.push('By week of purchase');
  out.push(
    table(
      ['week', ...OUTCOME_HEADER],
      report.metrics.cohorts.map((c) => [c.week, ...outcomeCells(c)]),
    ),
    '',
  );

  out.push('Gaps: importance against performance (1-5), largest gap first');
  const gaps = report.gaps.interactions.filter((g) => g.gap !== null);
  if (gaps.length === 0) out.push('  no interaction has both an importance and a performance yet');
  else
    out.push(
      table(
        ['interaction', 'importance', 'performance', 'gap', 'quadrant', 'n'],
        gaps.map((g) => [
          g.name,
          `${decimal(g.importance?.value ?? null, 2)} ${g.importance?.source ?? ''}`.trim(),
          `${decimal(g.performance?.value ?? null, 2)} ${g.performance?.source ?? ''}`.trim(),
          decimal(g.gap, 2),
          (g.quadrant ?? '').replaceAll('_', ' '),
          count(g.n),
        ]),
      ),
    );
  const actions = report.gaps.actions.flatMap((a) =>
    a.open.map((item) => ({ ...item, interaction: a.interaction })),
  );
  if (actions.length > 0) {
    out.push('', 'Open actions');
    out.push(
      table(
        ['interaction', 'action', 'owner', 'due'],
        actions.map((a) => [a.interaction, a.title, a.owner, a.due]),
      ),
    );
  }
  const deals = dealsRows(report.deals);
  if (deals !== null && report.deals) {
    out.push('', DEALS_TITLE, table([...DEALS_HEADER], deals), `  ${report.deals.note}`);
  }
  out.push('');
  return out.join('\n');
}
