// Why a touch point was skipped, deferred, cancelled or failed: one typed code from a closed
// list, plus an optional detail (the moment that ended the program, an error's text). Codes
// are decided in core and engine, stored as they are, and shown as they are by the API and
// `simulate`; docs/policies.md lists every one.

/**
 * Skipped at send time (or at planning, for `stale`, `before_sale` and `too_close`): the touch
 * point ends without a send.
 */
export const SKIP_CODES = [
  'unsubscribed',
  'email_bounced',
  'suppressed',
  'no_address',
  'holdout',
  'condition_not_met',
  'concern_open',
  'opted_out',
  'paused',
  'survey_throttled',
  'same_step_recently',
  'coalesced',
  'not_delivered',
  'frequency_cap',
  'stale',
  'before_sale',
  'too_close',
  // Insider offers (core/offers/): no offer in its early-access window for the step, the
  // customer is not warm, delivered too recently for the offer, capped, or the codes ran out.
  'no_offer',
  'not_warm',
  'too_soon',
  'offer_cap',
  'offer_codes_exhausted',
  // Tip series (core/education/): no series fits the order, the series has no tip at this
  // position, or the customer said they are all set.
  'no_tip_series',
  'tip_series_ended',
  'tips_done',
  'no_story',
] as const;

/** Deferred or handed back: the touch point is scheduled again for later. */
export const DEFER_CODES = [
  'quiet_hours',
  'business_hours',
  'frequency_cap',
  'offer_too_soon',
  'paused',
  'awaiting_person',
  'same_step_in_flight',
  'lease_expired',
  'retry',
] as const;

/** Cancelled before it went out. */
export const CANCEL_CODES = [
  'step_removed',
  'program_ended',
  'exit_moment',
  'moment_unknown',
  'condition_not_met',
  'cancelled_by_hand',
  'erased',
  'before_sale',
  'too_close',
  'renewed',
] as const;

/** Failed for good. */
export const FAILURE_CODES = ['no_channel', 'render_failed', 'send_failed', 'orphaned'] as const;

export type SkipCode = (typeof SKIP_CODES)[number];
export type DeferCode = (typeof DEFER_CODES)[number];
export type CancelCode = (typeof CANCEL_CODES)[number];
export type FailureCode = (typeof FAILURE_CODES)[number];
export type ReasonCode = SkipCode | DeferCode | CancelCode | FailureCode;

export const REASON_CODES: readonly ReasonCode[] = [
  ...new Set<ReasonCode>([...SKIP_CODES, ...DEFER_CODES, ...CANCEL_CODES, ...FAILURE_CODES]),
];

const KNOWN: ReadonlySet<string> = new Set(REASON_CODES);

export interface Reason<C extends ReasonCode = ReasonCode> {
  code: C;
  /** What the code alone does not say: the moment, the error text, a person's note. */
  detail: string | null;
}

export function reason<C extends ReasonCode>(code: C, detail: string | null = null): Reason<C> {
  return { code, detail };
}

export function isReasonCode(value: unknown): value is ReasonCode {
  return typeof value === 'string' && KNOWN.has(value);
}

/** `program_ended (returned)`: for log lines and the terminal timeline. */
export function describeReason(value: Reason | null): string {
  if (value === null) return '';
  return value.detail === null || value.detail === '' ? value.code : `${value.code} (${value.detail})`;
}
