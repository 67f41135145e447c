// A playbook's steps drawn on a timeline, server-side, as inline SVG (no script): one lane per
// moment a step is timed from (placed, shipped, delivered, renewal...), in lifecycle order, and
// each step a numbered mark at its offset from that moment. Offsets run from minutes to months,
// so the axis is logarithmic in days on both sides of the moment (before it: renewal steps).
// Messages are circles, tasks for people squares, so the kind does not rest on colour alone.
// The SVG is one image with a text summary; the table beside it is the accessible version.
import type { Playbook, Step } from '../../core/playbook/types.js';
import { esc } from './layout.js';
import { momentRank, offsetText, taskKind, timingText } from './playbookSteps.js';

const DAY = 86_400_000;
const WIDTH = 960;
const LABEL = 170;
const PAD = 24;
const AXIS = 34;
const ROW = 24;
const LANE_PAD = 10;
const MARK = 9;
/** Marks closer than this (px) in one lane are stacked. */
const MIN_GAP = 2 * MARK + 4;

const TICKS: readonly { days: number; label: string }[] = [
  { days: 0, label: '0' },
  { days: 1, label: '1d' },
  { days: 7, label: '1w' },
  { days: 30, label: '30d' },
  { days: 90, label: '90d' },
  { days: 365, label: '1y' },
];

const COLOURS: Record<string, string> = {
  email: '#0b57d0',
  sms: '#0d652d',
  webhook: '#5f3dc4',
  task: '#a50e0e',
};

/** Symmetric log scale: days on either side of the moment. */
function scaled(offsetMs: number): number {
  const days = Math.abs(offsetMs) / DAY;
  return Math.sign(offsetMs) * Math.log2(1 + days);
}

export interface TimelineMark {
  /** 1-based, as in the steps table. */
  number: number;
  step: Step;
}

export function timelineSvg(playbook: Playbook): string {
  const marks: TimelineMark[] = playbook.steps.map((step, i) => ({ number: i + 1, step }));
  if (marks.length === 0) return '<p class="muted">This playbook has no steps.</p>';
  const values = marks.map((m) => scaled(m.step.timing.offsetMs));
  const low = Math.min(0, ...values);
  const high = Math.max(scaled(DAY), ...values);
  const left = LABEL + PAD;
  const span = WIDTH - left - PAD;
  const x = (offsetMs: number): number => left + ((scaled(offsetMs) - low) / (high - low)) * span;

  const lanes = [...new Set(marks.map((m) => m.step.timing.moment))].sort(
    (a, b) => momentRank(a) - momentRank(b),
  );
  let y = AXIS;
  const backgrounds: string[] = [];
  const parts: string[] = [];
  for (const [index, moment] of lanes.entries()) {
    const inLane = marks
      .filter((m) => m.step.timing.moment === moment)
      .sort((a, b) => a.step.timing.offsetMs - b.step.timing.offsetMs || a.number - b.number);
    // Greedy stacking: each mark takes the first row whose last mark is far enough to its left.
    const rows: number[] = [];
    const placed = inLane.map((mark) => {
      const at = x(mark.step.timing.offsetMs);
      let row = rows.findIndex((last) => at - last >= MIN_GAP);
      if (row < 0) row = rows.push(at) - 1;
      else rows[row] = at;
      return { mark, at, row };
    });
    const height = LANE_PAD * 2 + rows.length * ROW;
    if (index % 2 === 0)
      backgrounds.push(`<rect x="0" y="${y}" width="${WIDTH}" height="${height}" fill="#f1f3f4"/>`);
    parts.push(
      `<text x="${PAD / 2}" y="${y + LANE_PAD + ROW / 2 + 5}" font-size="14" fill="#1a1a1a">${esc(moment)}</text>`,
    );
    for (const { mark, at, row } of placed) {
      const cy = y + LANE_PAD + row * ROW + ROW / 2;
      const task = taskKind(mark.step) !== null;
      const colour = COLOURS[task ? 'task' : mark.step.channel] ?? '#3c4043';
      const shape = task
        ? `<rect x="${(at - MARK).toFixed(1)}" y="${cy - MARK}" width="${2 * MARK}" height="${2 * MARK}" rx="2" fill="${colour}"/>`
        : `<circle cx="${at.toFixed(1)}" cy="${cy}" r="${MARK + 1}" fill="${colour}"/>`;
      parts.push(
        `<g><title>${esc(`${mark.number}. ${mark.step.key}: ${timingText(mark.step.timing)} by ${mark.step.channel}`)}</title>${shape}<text x="${at.toFixed(1)}" y="${cy + 4}" font-size="11" font-weight="700" text-anchor="middle" fill="#ffffff">${mark.number}</text></g>`,
      );
    }
    y += height;
  }
  const ticks = TICKS.flatMap((t) =>
    t.days === 0
      ? [0]
      : [t.days * DAY, -t.days * DAY].filter((ms) => scaled(ms) >= low && scaled(ms) <= high),
  ).map((ms) => {
    const at = x(ms).toFixed(1);
    const label = ms === 0 ? 'moment' : offsetText(ms);
    return `<line x1="${at}" y1="${AXIS - 6}" x2="${at}" y2="${y}" stroke="${ms === 0 ? '#3c4043' : '#c4c7cc'}" stroke-width="${ms === 0 ? 2 : 1}"/><text x="${at}" y="${AXIS - 12}" font-size="12" text-anchor="middle" fill="#3c4043">${esc(label)}</text>`;
  });
  const height = y + 8;
  const summary = `${marks.length} steps of ${playbook.name} v${playbook.version} on ${lanes.length} moments: ${lanes.join(', ')}. Each step is listed with its timing in the table below.`;
  return `<figure class="timeline"><svg role="img" aria-labelledby="timeline-title timeline-desc" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">
<title id="timeline-title">Steps of ${esc(playbook.name)} by moment and offset</title>
<desc id="timeline-desc">${esc(summary)}</desc>
${backgrounds.join('')}${ticks.join('')}${parts.join('')}
</svg>
<figcaption class="muted">Offsets on a logarithmic scale of days before (left) and after (right) each moment. ● a message (e-mail <span class="key email">blue</span>, SMS <span class="key sms">green</span>, webhook <span class="key webhook">violet</span>), ■ a task for a person (<span class="key task">red</span>). Numbers are the steps in the table.</figcaption>
</figure>`;
}
