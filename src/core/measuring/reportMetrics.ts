// The numbers of one slice of the program (a playbook, a version, a step, a segment, a cohort
// week): sums of the store's additive cells (cells.ts), turned into rates, means and intervals.
import type { AnswerCell, OutcomeCell, StepCell } from './cells.js';
import { meanInterval, npsInterval, npsScore, wilsonInterval } from './stats.js';

export interface ReasonCounts {
  total: number;
  /** Typed reason (core/reasons.ts) -> count; `unknown` when a row carries none. */
  byReason: Record<string, number>;
}

export interface TouchPointMetrics {
  sent: number;
  skipped: ReasonCounts;
  cancelled: ReasonCounts;
  failed: ReasonCounts;
  /** Scheduled or claimed: not due yet, or due and not decided yet. */
  pending: number;
  /** Survey answers traced to these touch points, and answers per message sent. */
  answers: number;
  answerRate: number | null;
  unsubscribes: number;
  unsubscribesPerMessage: number | null;
}

export interface CsatMetrics {
  answers: number;
  /** Mean on the 1-5 scale, with its 95% interval. */
  mean: number | null;
  ci95: [number, number] | null;
  /** How many answers gave each score, 1 to 5. */
  distribution: { score: number; count: number }[];
}

export interface NpsMetrics {
  answers: number;
  /** % promoters (9-10) - % detractors (0-6), -100..100, with its 95% interval. */
  score: number | null;
  ci95: [number, number] | null;
  promoters: number;
  passives: number;
  detractors: number;
}

export interface RateMetric {
  /** Orders the rate is taken over. */
  n: number;
  events: number;
  rate: number | null;
  ci95: [number, number] | null;
}

export interface OrderMetrics {
  orders: number;
  returns: RateMetric;
  cancellations: RateMetric;
  /** Another order of the same customer within 90 (180) days; only orders that old count. */
  repeat90: RateMetric;
  repeat180: RateMetric;
  /** Mean hours from the order to the first message sent or task done. */
  hoursToFirstContact: number | null;
  concernsOpened: number;
  concernsResolved: number;
  hoursToResolve: number | null;
  slaBreaches: number;
}

export interface SliceMetrics {
  touchPoints: TouchPointMetrics;
  csat: CsatMetrics;
  nps: NpsMetrics;
  outcomes: OrderMetrics;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

const sortedCounts = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));

/** One pass over the cells: the report calls this for every slice, so it stays linear and lean. */
export function touchPointMetrics(cells: readonly StepCell[]): TouchPointMetrics {
  let sent = 0;
  let pending = 0;
  let answers = 0;
  let unsubscribes = 0;
  const ended = {
    skipped: { total: 0, byReason: {} as Record<string, number> },
    cancelled: { total: 0, byReason: {} as Record<string, number> },
    failed: { total: 0, byReason: {} as Record<string, number> },
  };
  for (const cell of cells) {
    answers += cell.answers;
    unsubscribes += cell.unsubscribes;
    const status = cell.status;
    if (status === 'sent') sent += cell.count;
    else if (status === 'scheduled' || status === 'claimed') pending += cell.count;
    else {
      const counts = ended[status];
      counts.total += cell.count;
      const reason = cell.reason ?? 'unknown';
      counts.byReason[reason] = (counts.byReason[reason] ?? 0) + cell.count;
    }
  }
  return {
    sent,
    skipped: { total: ended.skipped.total, byReason: sortedCounts(ended.skipped.byReason) },
    cancelled: { total: ended.cancelled.total, byReason: sortedCounts(ended.cancelled.byReason) },
    failed: { total: ended.failed.total, byReason: sortedCounts(ended.failed.byReason) },
    pending,
    answers,
    answerRate: ratio(answers, sent),
    unsubscribes,
    unsubscribesPerMessage: ratio(unsubscribes, sent),
  };
}

export interface CsatSums {
  n: number;
  sum: number;
  sumSquares: number;
}

export function csatSums(cells: readonly AnswerCell[]): CsatSums {
  const sums = { n: 0, sum: 0, sumSquares: 0 };
  for (const cell of cells) {
    if (cell.survey !== 'csat') continue;
    sums.n += cell.count;
    sums.sum += cell.score * cell.count;
    sums.sumSquares += cell.score * cell.score * cell.count;
  }
  return sums;
}

export function npsCounts(cells: readonly AnswerCell[]): {
  promoters: number;
  passives: number;
  detractors: number;
} {
  const counts = { promoters: 0, passives: 0, detractors: 0 };
  for (const cell of cells) {
    if (cell.survey !== 'nps') continue;
    if (cell.score >= 9) counts.promoters += cell.count;
    else if (cell.score >= 7) counts.passives += cell.count;
    else counts.detractors += cell.count;
  }
  return counts;
}

export function csatMetrics(cells: readonly AnswerCell[]): CsatMetrics {
  const sums = csatSums(cells);
  const distribution = [1, 2, 3, 4, 5].map((score) => ({ score, count: 0 }));
  for (const cell of cells) {
    if (cell.survey !== 'csat') continue;
    const bucket = distribution[Math.min(5, Math.max(1, Math.round(cell.score))) - 1]!;
    bucket.count += cell.count;
  }
  return {
    answers: sums.n,
    mean: ratio(sums.sum, sums.n),
    ci95: sums.n > 0 ? meanInterval(sums) : null,
    distribution,
  };
}

export function npsMetrics(cells: readonly AnswerCell[]): NpsMetrics {
  const counts = npsCounts(cells);
  const answers = counts.promoters + counts.passives + counts.detractors;
  return {
    answers,
    score: answers > 0 ? npsScore(counts) : null,
    ci95: answers > 0 ? npsInterval(counts) : null,
    ...counts,
  };
}

function rate(events: number, n: number): RateMetric {
  return { n, events, rate: ratio(events, n), ci95: n > 0 ? wilsonInterval(events, n) : null };
}

export function orderMetrics(cells: readonly OutcomeCell[]): OrderMetrics {
  const sum = {
    orders: 0,
    returned: 0,
    cancelled: 0,
    repeat90Eligible: 0,
    repeat90: 0,
    repeat180Eligible: 0,
    repeat180: 0,
    firstContacts: 0,
    firstContactHours: 0,
    concernsOpened: 0,
    concernsResolved: 0,
    resolveHours: 0,
    slaBreaches: 0,
  };
  for (const cell of cells) {
    sum.orders += cell.enrollments;
    sum.returned += cell.returned;
    sum.cancelled += cell.cancelled;
    sum.repeat90Eligible += cell.repeat90Eligible;
    sum.repeat90 += cell.repeat90;
    sum.repeat180Eligible += cell.repeat180Eligible;
    sum.repeat180 += cell.repeat180;
    sum.firstContacts += cell.firstContacts;
    sum.firstContactHours += cell.firstContactHours;
    sum.concernsOpened += cell.concernsOpened;
    sum.concernsResolved += cell.concernsResolved;
    sum.resolveHours += cell.resolveHours;
    sum.slaBreaches += cell.slaBreaches;
  }
  return {
    orders: sum.orders,
    returns: rate(sum.returned, sum.orders),
    cancellations: rate(sum.cancelled, sum.orders),
    repeat90: rate(sum.repeat90, sum.repeat90Eligible),
    repeat180: rate(sum.repeat180, sum.repeat180Eligible),
    hoursToFirstContact: ratio(sum.firstContactHours, sum.firstContacts),
    concernsOpened: sum.concernsOpened,
    concernsResolved: sum.concernsResolved,
    hoursToResolve: ratio(sum.resolveHours, sum.concernsResolved),
    slaBreaches: sum.slaBreaches,
  };
}

export function sliceMetrics(
  steps: readonly StepCell[],
  answers: readonly AnswerCell[],
  outcomes: readonly OutcomeCell[],
): SliceMetrics {
  return {
    touchPoints: touchPointMetrics(steps),
    csat: csatMetrics(answers),
    nps: npsMetrics(answers),
    outcomes: orderMetrics(outcomes),
  };
}

/** `2026-03-02` -> `2026-W10` (ISO 8601 week: Monday first, week 1 holds the first Thursday). */
const weeks = new Map<string, string>();

export function isoWeek(day: string): string {
  const known = weeks.get(day);
  if (known !== undefined) return known;
  const week = weekOf(day);
  // A few hundred distinct days at most: every cell of a day asks for the same week.
  if (weeks.size < 10_000) weeks.set(day, week);
  return week;
}

function weekOf(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = (date.getUTCDay() + 6) % 7;
  // The Thursday of this week decides the year the week belongs to.
  date.setUTCDate(date.getUTCDate() - weekday + 3);
  const year = date.getUTCFullYear();
  const dayOfYear = (date.getTime() - Date.UTC(year, 0, 1)) / 86_400_000;
  const week = Math.floor(dayOfYear / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
