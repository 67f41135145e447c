// Inputs and outputs of the send-time policies. A policy is a pure function from a
// DispatchContext to a Decision; the dispatcher executes the decision.
import type { Customer, Enrollment, Millis, Order, Survey, TouchPoint } from '../domain.js';
import type { TipCatalogue } from '../education/series.js';
import type { CurrencyRates } from '../money.js';
import type { LocalTimeOfDay, Playbook, Step } from '../playbook/types.js';
import type { CancelCode, DeferCode, Reason, SkipCode } from '../reasons.js';

export interface PolicyConfig {
  /** IANA zone of the business; used when a customer's zone is unknown or invalid. */
  defaultTimezone: string;
  /** The base currency and rates `order.total_base` is worked out with (AFTERCARE_FX_RATES). */
  currency: CurrencyRates;
  /** Local quiet hours for messages to customers; start > end means "over midnight". */
  quietHours: { start: LocalTimeOfDay; end: LocalTimeOfDay };
  /** Calls and meetings: ISO weekdays (1 = Monday) and local hours. */
  businessHours: { days: number[]; start: LocalTimeOfDay; end: LocalTimeOfDay };
  /** Non-transactional messages per customer across all programs. */
  frequencyCap: { max: number; windowMs: Millis };
  /** No offer before delivered + this. */
  offerDelayAfterDeliveryMs: Millis;
  /** An education message deferred by the cap is dropped once it is this late (so is any
   * optional message a customer's pause or a waiting reply would make this late). */
  maxLatenessMs: Millis;
  /** At most one survey per customer within this long (AFTERCARE_SURVEY_INTERVAL). */
  surveyIntervalMs: Millis;
  /** While a reply waits for a person, automated messages are looked at again after this. */
  awaitingPersonRecheckMs: Millis;
  /**
   * One customer gets one message of a step (or template) within this long, whichever program or
   * order it is for: touch points due together are coalesced into one naming every order, a later
   * one is skipped `same_step_recently` (AFTERCARE_SAME_STEP_WINDOW; 0 turns both off).
   */
  sameStepWindowMs: Millis;
  /**
   * Measurement steps (`measurement: true`) reach the holdout group too (AFTERCARE_MEASUREMENT;
   * false: they are held back from the holdout like any other non-transactional step).
   */
  measurementSurveys: boolean;
  /**
   * The tip series a `tip: N` step sends from (AFTERCARE_TIPS_DIR, core/education/series.ts).
   * Absent or empty: every tip step is skipped `no_tip_series`.
   */
  tips?: TipCatalogue;
}

/** A step that went out to the customer: which step, and which template it rendered. */
export interface RecentStep {
  at: Millis;
  playbook: string;
  stepKey: string;
  template: string;
}

/** A survey step that went out to the customer (for the survey throttle). */
export interface RecentSurvey {
  at: Millis;
  stepKey: string;
  survey: Survey;
}

/** Why a policy skips (`stale`: the planner's too, for a step already late when planned). */
export type SkipReason = SkipCode;
/** Why a policy defers (lease and retry hand-backs are the dispatcher's, not a policy's). */
export type DeferReason = Exclude<DeferCode, 'lease_expired' | 'retry'>;
export type CancelReason = Extract<CancelCode, 'step_removed' | 'program_ended' | 'exit_moment'>;

export type Decision =
  | { kind: 'send' }
  | { kind: 'skip'; reason: SkipReason; detail?: string | null }
  | { kind: 'defer'; until: Millis; reason: DeferReason }
  | { kind: 'cancel'; reason: Reason<CancelReason> };

export interface DispatchContext {
  now: Millis;
  touchPoint: TouchPoint;
  /** null when the playbook no longer has this step. */
  step: Step | null;
  customer: Customer;
  order: Order;
  enrollment: Enrollment;
  /** When this customer's non-transactional messages went out within the cap window, oldest first. */
  recentNonTransactional: Millis[];
  /** Survey steps sent to this customer within `surveyIntervalMs`, oldest first. */
  recentSurveys: RecentSurvey[];
  /** Non-transactional e-mail and SMS steps sent to this customer within `sameStepWindowMs`, oldest first. */
  recentSteps: RecentStep[];
  /** The address is on the suppression list (erased or hard-bounced elsewhere). */
  suppressed: boolean;
  /**
   * The step's playbook, when the caller has it: exits and cancel-on then see the moments the
   * playbook derives (return window, delay from a promise) and its exit list, exactly as the
   * planner does. Without it, only stored moments count and the exit is read from the enrollment.
   */
  playbook?: Playbook | null;
}
