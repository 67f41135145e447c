// The effect of the program on one metric: treatment against holdout, with a 95% interval from a
// method fit for the metric, the smallest effect the current sizes could detect, and a verdict in
// words. Computed by core/measuring/stats.ts; shown by the report (JSON `lift`).
export const LIFT_METRICS = ['return_rate', 'repeat_purchase_rate', 'cancel_rate', 'csat', 'nps'] as const;
export type LiftMetric = (typeof LIFT_METRICS)[number];

/**
 * Units: rates as fractions (0.051 = 5.1%, differences in fractions, verdicts in percentage
 * points); `csat` as the mean score on its 1-5 scale; `nps` from -100 to 100.
 */
export interface Lift {
  metric: LiftMetric;
  /** Which way is good: fewer returns and cancellations, more of the rest. */
  better: 'lower' | 'higher';
  treatment: { n: number; value: number | null };
  holdout: { n: number; value: number | null };
  /** treatment - holdout; null when either group has no data. */
  difference: number | null;
  ci95: [number, number] | null;
  /** Method used for the interval, e.g. `newcombe-wilson`, `welch-t`, `nps-wald`. */
  method: string;
  /** The smallest difference (absolute, in the metric's unit) these sizes detect with 80% power at 5% two-sided. */
  mde: number | null;
  /** Customers still needed per group to detect the target effect, when the interval cannot yet. */
  neededPerGroup: number | null;
  verdict: string;
}
