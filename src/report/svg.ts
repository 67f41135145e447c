// The report's charts, drawn as inline SVG from the numbers (no script, no font, no network), each
// with a title and a description for screen readers. Every text that comes from data is escaped.
import type { Lift } from '../core/measuring/lift.js';
import type { StepMetrics } from '../core/measuring/report.js';
import { LIFT_LABELS, liftDifference, liftInterval, liftOutcome } from './format.js';
import type { GapView } from './view.js';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const fixed = (value: number): string => (Math.round(value * 10) / 10).toString();

/** Ids for aria-labelledby, unique within one document: one counter per document rendered. */
export type ChartIds = () => string;

export function chartIds(): ChartIds {
  let n = 0;
  return () => `chart${(n += 1)}`;
}

function svg(id: string, width: number, height: number, title: string, desc: string, body: string): string {
  return (
    `<svg role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    `aria-labelledby="${id}t ${id}d"><title id="${id}t">${escapeHtml(title)}</title>` +
    `<desc id="${id}d">${escapeHtml(desc)}</desc>${body}</svg>`
  );
}

const COLORS = { helps: '#1b7a3a', harms: '#b3261e', unclear: '#5f6368' } as const;

/**
 * One lift as a dot (the difference) with whiskers (its 95% interval) on an axis centred at zero;
 * the shaded band is the smallest difference these sizes can detect.
 */
export function liftChart(ids: ChartIds, lift: Lift): string {
  const width = 320;
  const height = 44;
  const label = LIFT_LABELS[lift.metric];
  if (lift.difference === null) {
    return svg(
      ids(),
      width,
      height,
      `${label}: no comparison yet`,
      lift.verdict,
      `<line x1="160" y1="8" x2="160" y2="36" stroke="#9aa0a6"/>` +
        `<text x="170" y="26" font-size="12" fill="#5f6368">no comparison yet</text>`,
    );
  }
  const ends = [lift.difference, ...(lift.ci95 ?? []), lift.mde ?? 0].map(Math.abs);
  const span = Math.max(...ends, 1e-9) * 1.15;
  const x = (value: number): number => width / 2 + (value / span) * (width / 2 - 12);
  const color = COLORS[liftOutcome(lift)];
  const parts = [`<line x1="12" y1="30" x2="${width - 12}" y2="30" stroke="#9aa0a6"/>`];
  if (lift.mde !== null) {
    const left = x(-lift.mde);
    parts.push(
      `<rect x="${fixed(left)}" y="14" width="${fixed(x(lift.mde) - left)}" height="24" fill="#e8eaed"/>`,
    );
  }
  parts.push(
    `<line x1="${width / 2}" y1="8" x2="${width / 2}" y2="40" stroke="#202124" stroke-dasharray="2 2"/>`,
  );
  if (lift.ci95 !== null) {
    const [low, high] = lift.ci95.map(x) as [number, number];
    parts.push(
      `<line x1="${fixed(low)}" y1="26" x2="${fixed(high)}" y2="26" stroke="${color}" stroke-width="2"/>`,
      `<line x1="${fixed(low)}" y1="20" x2="${fixed(low)}" y2="32" stroke="${color}" stroke-width="2"/>`,
      `<line x1="${fixed(high)}" y1="20" x2="${fixed(high)}" y2="32" stroke="${color}" stroke-width="2"/>`,
    );
  }
  parts.push(
    `<circle cx="${fixed(x(lift.difference))}" cy="26" r="5" fill="${color}"/>`,
    `<text x="${width / 2 + 4}" y="11" font-size="10" fill="#5f6368">0</text>`,
  );
  return svg(
    ids(),
    width,
    height,
    `${label}: difference ${liftDifference(lift.metric, lift.difference)}, 95% CI ${liftInterval(lift)}`,
    lift.verdict,
    parts.join(''),
  );
}

const STATUS_COLORS = [
  ['sent', '#1a73e8'],
  ['skipped', '#f9ab00'],
  ['cancelled', '#9aa0a6'],
  ['failed', '#b3261e'],
  ['pending', '#d2e3fc'],
] as const;

/** Each step's touch points as one stacked bar: sent, skipped, cancelled, failed, pending. */
export function stepBars(ids: ChartIds, title: string, steps: readonly StepMetrics[]): string {
  const row = 22;
  const labelWidth = 170;
  const barWidth = 380;
  const width = labelWidth + barWidth + 70;
  const height = steps.length * row + 30;
  const totals = steps.map((s) => STATUS_COLORS.reduce((n, [status]) => n + amount(s, status), 0));
  const max = Math.max(1, ...totals);
  const parts: string[] = [];
  steps.forEach((step, i) => {
    const y = i * row + 4;
    parts.push(
      `<text x="${labelWidth - 6}" y="${y + 14}" font-size="12" text-anchor="end">${escapeHtml(step.step)}</text>`,
    );
    let at = labelWidth;
    for (const [status, color] of STATUS_COLORS) {
      const w = (amount(step, status) / max) * barWidth;
      if (w <= 0) continue;
      parts.push(
        `<rect x="${fixed(at)}" y="${y}" width="${fixed(w)}" height="16" fill="${color}">` +
          `<title>${escapeHtml(`${step.step}: ${amount(step, status)} ${status}`)}</title></rect>`,
      );
      at += w;
    }
    parts.push(`<text x="${fixed(at + 4)}" y="${y + 14}" font-size="11">${totals[i]}</text>`);
  });
  let legend = labelWidth;
  const legendY = steps.length * row + 18;
  for (const [status, color] of STATUS_COLORS) {
    parts.push(
      `<rect x="${legend}" y="${legendY - 9}" width="10" height="10" fill="${color}"/>`,
      `<text x="${legend + 14}" y="${legendY}" font-size="11">${status}</text>`,
    );
    legend += 76;
  }
  const desc = steps
    .map((s) => `${s.step}: ${STATUS_COLORS.map(([status]) => `${amount(s, status)} ${status}`).join(', ')}`)
    .join('; ');
  return svg(ids(), width, height, title, desc, parts.join(''));
}

function amount(step: StepMetrics, status: (typeof STATUS_COLORS)[number][0]): number {
  const tp = step.touchPoints;
  if (status === 'sent' || status === 'pending') return tp[status];
  return tp[status].total;
}

/** Importance (up) against performance (right), both 1-5, split at the means into quadrants. */
export function ipaScatter(
  ids: ChartIds,
  gaps: readonly GapView[],
  means: { importance: number; performance: number } | null,
): string {
  const size = 360;
  const pad = 40;
  const scale = (value: number): number => pad + ((value - 1) / 4) * (size - 2 * pad);
  const x = scale;
  const y = (value: number): number => size - scale(value);
  const points = gaps.filter((g) => g.importance !== null && g.performance !== null);
  const parts = [
    `<rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="none" stroke="#9aa0a6"/>`,
    `<text x="${size / 2}" y="${size - 8}" font-size="12" text-anchor="middle">performance</text>`,
    `<text x="12" y="${size / 2}" font-size="12" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">importance</text>`,
  ];
  for (const tick of [1, 2, 3, 4, 5]) {
    parts.push(
      `<text x="${x(tick)}" y="${size - pad + 14}" font-size="10" text-anchor="middle">${tick}</text>`,
      `<text x="${pad - 6}" y="${y(tick) + 4}" font-size="10" text-anchor="end">${tick}</text>`,
    );
  }
  if (means !== null) {
    parts.push(
      `<line x1="${fixed(x(means.performance))}" y1="${pad}" x2="${fixed(x(means.performance))}" y2="${size - pad}" stroke="#5f6368" stroke-dasharray="4 3"/>`,
      `<line x1="${pad}" y1="${fixed(y(means.importance))}" x2="${size - pad}" y2="${fixed(y(means.importance))}" stroke="#5f6368" stroke-dasharray="4 3"/>`,
      `<text x="${pad + 4}" y="${pad + 12}" font-size="10" fill="#b3261e">concentrate here</text>`,
      `<text x="${size - pad - 4}" y="${pad + 12}" font-size="10" text-anchor="end" fill="#1b7a3a">keep up the good work</text>`,
      `<text x="${pad + 4}" y="${size - pad - 6}" font-size="10" fill="#5f6368">low priority</text>`,
      `<text x="${size - pad - 4}" y="${size - pad - 6}" font-size="10" text-anchor="end" fill="#5f6368">possible overkill</text>`,
    );
  }
  for (const g of points) {
    const cx = x(g.performance!.value);
    const cy = y(g.importance!.value);
    parts.push(
      `<circle cx="${fixed(cx)}" cy="${fixed(cy)}" r="5" fill="${g.quadrant === 'concentrate_here' ? '#b3261e' : '#1a73e8'}">` +
        `<title>${escapeHtml(`${g.name}: importance ${g.importance!.value.toFixed(2)}, performance ${g.performance!.value.toFixed(2)}`)}</title></circle>`,
      `<text x="${fixed(cx + 7)}" y="${fixed(cy + 4)}" font-size="10">${escapeHtml(g.name)}</text>`,
    );
  }
  const desc =
    points.length === 0
      ? 'No interaction has both an importance and a performance yet.'
      : points
          .map(
            (g) =>
              `${g.name}: importance ${g.importance!.value.toFixed(2)}, performance ${g.performance!.value.toFixed(2)}`,
          )
          .join('; ');
  return svg(ids(), size, size, 'Importance against performance of each interaction', desc, parts.join(''));
}
