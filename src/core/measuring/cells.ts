// What the store counts for the report: additive cells, so any roll-up (per playbook, version,
// step, channel, segment, cohort; treatment against holdout) is a sum of cells. The store
// (store/ports/measuring.ts) fills them with aggregate queries or incremental tallies; the report
// (core/measuring/report.ts) sums them and adds the statistics (core/measuring/stats.ts).
import type { Survey, TouchPointStatus } from '../domain.js';

/**
 * Where a cell belongs. `cohort` is the UTC day the order was placed (`2026-03-02`); the report
 * rolls days up to ISO weeks. `firstOrder`: the order is the customer's first (Order.sequence 1),
 * the unit the lift is computed on, since one customer's orders are not independent of each other.
 */
export interface CellKey {
  playbook: string;
  version: number;
  segment: string;
  cohort: string;
  holdout: boolean;
  firstOrder: boolean;
}

/**
 * Touch points of one step by final status (and pending), with the typed reason. Both forms a
 * touch point takes are counted: rows (any status, `claimed` included) and compact-plan entries
 * not yet handed to the queue (scheduled, or skipped/cancelled at planning). Keyed by the
 * enrollment the touch point belongs to (a follow-up: the enrollment that carries it).
 */
export interface StepCell extends CellKey {
  /** The playbook step: a renewal cycle's key (`renewal-notice.2`) and a follow-up's anchor digest roll up into it. */
  step: string;
  channel: string;
  status: TouchPointStatus;
  /** core/reasons.ts; null when sent. */
  reason: string | null;
  count: number;
  /**
   * Survey answers and unsubscribes traced to these touch points: events whose `data.touchPointId`
   * names one of the same customer's touch point rows, each (customer, touch point) once. The
   * preferences page records no touch point (`customer.preferences_changed`), so only the
   * unsubscribe link's `customer.unsubscribed` can be traced.
   */
  answers: number;
  unsubscribes: number;
}

/**
 * One value of a survey's scale and how many answers gave it; `step` null when the answer came
 * without a touch point (API). An answer naming a touch point counts for that touch point's
 * enrollment, once per customer and touch point (the latest); any other for the customer's
 * enrollment of the latest order placed at or before it (store/records/cellTally.ts).
 */
export interface AnswerCell extends CellKey {
  step: string | null;
  survey: Survey;
  score: number;
  count: number;
}

/**
 * Two answers about the same order to different steps, by the score of each: how one step's
 * scores move with another's (gap analysis derives an interaction's importance from it:
 * core/measuring/ipa.ts). Every pair of such answers counts once, with the two steps in name
 * order (`step` < `otherStep`). Counted among the answers that name a touch point, after the
 * same rule as AnswerCell (the latest per customer and touch point); keyed by the playbook and
 * the order's placed day only, so a day's pairs add up like every other cell.
 */
export interface PairCell {
  playbook: string;
  cohort: string;
  step: string;
  survey: Survey;
  score: number;
  otherStep: string;
  otherSurvey: Survey;
  otherScore: number;
  count: number;
}

/** Orders (enrollments) and what became of them. Repeat purchase counts only orders old enough to tell. */
export interface OutcomeCell extends CellKey {
  enrollments: number;
  returned: number;
  cancelled: number;
  /** Orders placed at least 90 (180) days before `asOf`, and of those, how many were followed by another order of the same customer within 90 (180) days. */
  repeat90Eligible: number;
  repeat90: number;
  repeat180Eligible: number;
  repeat180: number;
  /**
   * Orders that had a first sent message or completed task, and the sum of hours from placed to
   * it. A task channel's touch point (a call, a letter) counts when a person completed its task,
   * not when the task was handed out.
   */
  firstContacts: number;
  firstContactHours: number;
  concernsOpened: number;
  concernsResolved: number;
  resolveHours: number;
  /** Concerns about this enrollment's order (`concern.orderId`) that escalated past their first level (an SLA passed). */
  slaBreaches: number;
}

/** An outcome cell's counts with nothing counted yet: what a new cell starts from. */
export const NO_OUTCOMES: Readonly<Omit<OutcomeCell, keyof CellKey>> = {
  enrollments: 0,
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

export interface MeasureQuery {
  /** Orders placed on or after this UTC day (inclusive), `YYYY-MM-DD`. */
  since?: string;
  /** Orders placed on or before this UTC day (inclusive). */
  until?: string;
  playbook?: string;
  /** Repeat-purchase eligibility is judged at this time (ms). */
  asOf: number;
  /**
   * A store that keeps cells per day may read a day changed since it was counted as it was
   * counted, if that count is at most this old (ms, by the store's clock); default 0: every
   * changed day is counted afresh. AFTERCARE_REPORT_MAX_LAG (docs/measuring.md).
   */
  maxLagMs?: number;
}

/** Days read as last counted although changed since (MeasureQuery.maxLagMs). */
export interface MeasureLag {
  days: number;
  /** When the oldest of them was counted (ms). */
  countedAt: number;
}

export interface MeasureCells {
  steps: StepCell[];
  answers: AnswerCell[];
  outcomes: OutcomeCell[];
  pairs: PairCell[];
  /** Present only when some changed day was read as last counted. */
  lag?: MeasureLag;
}
