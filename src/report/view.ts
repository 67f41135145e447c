// What the renderers (text.ts, html.ts) read of a report: the measured part as assembled by
// core/measuring/report.ts, and of the gap analysis only the fields they show, so the engine's
// full report (with everything the gap analysis knows) can be passed as it is.
import type { MeasuredReport } from '../core/measuring/report.js';
import type { SharedPlanComparison } from '../core/measuring/sharedPlans.js';

export interface GapView {
  interaction: string;
  name: string;
  importance: { value: number; source: string } | null;
  performance: { value: number; source: string } | null;
  gap: number | null;
  quadrant: string | null;
  n: number;
}

export interface ActionView {
  title: string;
  owner: string;
  due: string;
}

export interface GapsView {
  interactions: readonly GapView[];
  /** Where the quadrants split; null with too few interactions scored. */
  means: { importance: number; performance: number } | null;
  /** Open action items per interaction. */
  actions: readonly { interaction: string; open: readonly ActionView[] }[];
}

export interface ReportView extends MeasuredReport {
  gaps: GapsView;
  /** Deal customers whose plan was shared before the close against the others; absent: no deals. */
  deals?: SharedPlanComparison;
}
