// How the report's numbers read, shared by the terminal and the HTML report: rates as percent,
// differences of rates in percentage points, CSAT on its 1-5 scale, NPS as a whole number, and a
// dash for a number there is no data for yet.
import type { Lift, LiftMetric } from '../core/measuring/lift.js';
import type { SliceMetrics } from '../core/measuring/reportMetrics.js';
import type { MeasuredReport } from '../core/measuring/report.js';

export const DASH = '–';

export const LIFT_LABELS: Readonly<Record<LiftMetric, string>> = {
  return_rate: 'Returns',
  repeat_purchase_rate: 'Repeat purchase (90 days)',
  cancel_rate: 'Cancellations',
  csat: 'CSAT (1-5)',
  nps: 'NPS (-100 to 100)',
};

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

export function percent(rate: number | null | undefined, digits = 1): string {
  return rate === null || rate === undefined ? DASH : `${(rate * 100).toFixed(digits)}%`;
}

export function decimal(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? DASH : value.toFixed(digits);
}

const isRate = (metric: LiftMetric): boolean => metric !== 'csat' && metric !== 'nps';

/** A group's value in the metric's unit. */
export function liftValue(metric: LiftMetric, value: number | null): string {
  if (isRate(metric)) return percent(value);
  return decimal(value, metric === 'csat' ? 2 : 0);
}

/** A difference (or interval end) in the metric's unit, signed: `-2.1 pts`, `+0.25`, `+6`. */
export function liftDifference(metric: LiftMetric, value: number | null): string {
  if (value === null) return DASH;
  const sign = value > 0 ? '+' : value < 0 ? '-' : '±';
  const size = Math.abs(value);
  if (isRate(metric)) return `${sign}${(size * 100).toFixed(1)} pts`;
  return `${sign}${size.toFixed(metric === 'csat' ? 2 : 0)}`;
}

/** A size without direction (the smallest detectable difference): `2.1 pts`, `0.25`, `6`. */
export function liftMagnitude(metric: LiftMetric, value: number | null): string {
  if (value === null) return DASH;
  const size = Math.abs(value);
  return isRate(metric) ? `${(size * 100).toFixed(1)} pts` : size.toFixed(metric === 'csat' ? 2 : 0);
}

export function liftInterval(lift: Lift): string {
  if (lift.ci95 === null) return DASH;
  return `${liftDifference(lift.metric, lift.ci95[0])} to ${liftDifference(lift.metric, lift.ci95[1])}`;
}

/** Whether the interval says the program helps, harms, or cannot tell yet. */
export function liftOutcome(lift: Lift): 'helps' | 'harms' | 'unclear' {
  if (lift.ci95 === null) return 'unclear';
  const [low, high] = lift.ci95;
  const above = low > 0;
  const below = high < 0;
  if (!above && !below) return 'unclear';
  return above === (lift.better === 'higher') ? 'helps' : 'harms';
}

export function hours(value: number | null): string {
  return value === null ? DASH : `${value.toFixed(1)} h`;
}

/** An ISO 8601 time as the report prints it: `2026-06-15 09:30 UTC`. */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function periodText(period: MeasuredReport['period']): string {
  const range =
    period.since === null && period.until === null
      ? 'all orders'
      : `orders placed ${period.since ?? 'from the start'} to ${period.until ?? 'now'}`;
  const lag =
    period.lag === null
      ? ''
      : `; ${period.lag.days === 1 ? '1 day of purchases' : `${period.lag.days} days of purchases`} changed since ` +
        `${utcMinute(period.lag.countedAt)} ${period.lag.days === 1 ? 'is' : 'are'} shown as counted then`;
  return `${range}, as of ${utcMinute(period.asOf)}${lag}`;
}

/** A slice's outcome figures in the order both the text and the HTML tables show them. */
export function outcomeCells(m: SliceMetrics): string[] {
  const o = m.outcomes;
  return [
    count(o.orders),
    percent(o.returns.rate),
    percent(o.cancellations.rate),
    percent(o.repeat90.rate),
    percent(o.repeat180.rate),
    decimal(m.csat.mean, 2),
    decimal(m.nps.score, 0),
    hours(o.hoursToFirstContact),
    count(o.concernsOpened),
    hours(o.hoursToResolve),
    count(o.slaBreaches),
  ];
}
