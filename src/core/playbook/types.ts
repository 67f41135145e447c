// The normalized shape of a playbook, as the planner and policies consume it. The YAML form
// (documented in docs/playbooks.md) is parsed and validated into this by playbook/parse.ts.
import type { ChannelName, FollowUpMoment, Millis, Moment, Purpose, Survey } from '../domain.js';

export interface LocalTimeOfDay {
  hour: number;
  minute: number;
}

/**
 * When a step is due: `offsetMs` after (negative: before) `moment`. With `atLocal` the offset is
 * a whole number of calendar days in the customer's zone and the step fires at that local time
 * (moved to the next day if that would fall before the moment itself). `on: shipped` is
 * `{ moment: 'shipped', offsetMs: 0, atLocal: null }`.
 */
export interface StepTiming {
  /** An order's moment; or, for a follow-up step, something the customer did (never `before`). */
  moment: Moment | FollowUpMoment;
  offsetMs: Millis;
  atLocal: LocalTimeOfDay | null;
}

export const CONDITION_OPS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'not_in',
  'contains',
  'exists',
] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { field: string; op: ConditionOp; value: unknown };

export interface Step {
  key: string;
  description: string | null;
  timing: StepTiming;
  channel: ChannelName;
  /** Template name, resolved by the template loader (playbook's own folder first, then defaults). */
  template: string;
  purpose: Purpose;
  /** Must hold when planned and again at send time (else the touch point is skipped). */
  when: Condition | null;
  /** Moments whose arrival cancels this step if it has not gone out yet (exit conditions). */
  cancelOn: Moment[];
  survey: Survey | null;
  /** For task channels: the role or person who owns the work item. */
  owner: string | null;
  /**
   * A measurement survey: sent to the holdout group as well, with the same words and timing, so
   * satisfaction can be compared between the groups (policy/holdout.ts, AFTERCARE_MEASUREMENT).
   * Present only when true, so the stored definition of a playbook without one stays as it was.
   */
  measurement?: true;
  /**
   * An education step that sends tip N (1-based) of the order's tip series
   * (core/education/series.ts). Present only when set, like `measurement`.
   */
  tip?: number;
  /**
   * Tells a customer story from the library (core/stories/): matched to the buyer at send time,
   * never the same one twice to a customer, and skipped (`no_story`) when none matches. Present
   * only when true.
   */
  story?: true;
}

export interface Playbook {
  name: string;
  version: number;
  description: string | null;
  /** Moments that end the whole program: pending touch points are cancelled, except steps timed from that very moment. */
  exitOn: Moment[];
  /** `return_window_closed` = delivered + this. */
  returnWindowMs: Millis;
  /** A shipment not delivered this long after its promise counts as `delayed`. */
  delayGraceMs: Millis;
  /** The planner skips a step that is already this late when it is planned (e.g. an order imported late). */
  staleAfterMs: Millis;
  /**
   * A step timed from `renewal` that would be due this close to another step of the program
   * through the same kind of channel is skipped (`too_close`). Unset: 3 days.
   */
  renewalGapMs?: Millis;
  steps: Step[];
  /** Where it came from (file path or `builtin:reassure`), for error messages and template lookup. */
  source: string;
  /** The playbook's own template folder (from `templates:`, resolved against the YAML file), searched before the defaults. */
  templatesDir?: string | null;
}
