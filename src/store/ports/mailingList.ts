// The mailing list capability: who asked for the news digest and whether they confirmed (double
// opt-in, with the proof of consent), the news items the business writes for it, and one claim
// per subscriber and digest period, so a digest goes out once however many workers look. Every
// store answers alike (test/store-contract/mailingListContract.ts).
import type { Millis } from '../../core/domain.js';

export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** How and when a person asked, and how and when they confirmed (kept for GDPR export). */
export interface ConsentProof {
  /** Where the sign-up came from: `form`, `preferences`, `api`. */
  requestSource: string;
  requestedAt: Millis;
  /** The sign-up's client address, when it came over HTTP from the person themselves. */
  requestIp: string | null;
  confirmedAt: Millis;
  confirmIp: string | null;
  confirmUserAgent: string | null;
  /** What the person agreed to, in their words (the confirmation page's text). */
  wording: string;
}

export interface Subscriber {
  /** Random; carried (sealed) by the confirm and unsubscribe links. */
  id: string;
  email: string;
  /** The shop's customer with this address at sign-up, if any. */
  customerId: string | null;
  locale: string | null;
  timezone: string | null;
  status: SubscriberStatus;
  requestedAt: Millis;
  requestSource: string;
  requestIp: string | null;
  /** Confirmation mails sent in the current spell (see takeConfirmationSend). */
  confirmationsSent: number;
  lastConfirmationAt: Millis | null;
  consent: ConsentProof | null;
  unsubscribedAt: Millis | null;
  unsubscribeSource: string | null;
  /** Items up to this time have been sent (or were there when the first digest was due). */
  lastDigestAt: Millis | null;
  /** The last digest period given (sent, or skipped with nothing to send). */
  lastDigestPeriod: number | null;
}

export interface SignUp {
  /** Used when the address is new. */
  id: string;
  email: string;
  customerId: string | null;
  locale: string | null;
  timezone: string | null;
  source: string;
  ip: string | null;
  at: Millis;
}

export interface NewsItem {
  id: string;
  title: string;
  body: string;
  /** Only subscribers of this language get it (`de`, `fr`...); null: everyone. */
  locale: string | null;
  createdAt: Millis;
}

export interface ConfirmationRule {
  at: Millis;
  /** No second mail within this long of the last one. */
  minGapMs: Millis;
  /** At most this many mails... */
  max: number;
  /** ...until this long has passed since the last one, which starts a new count. */
  windowMs: Millis;
}

export type DigestOutcome = 'sent' | 'skipped';

export interface MailingListStore {
  /**
   * A pending subscriber for the address (any case), or the one there is: a pending or confirmed
   * one is returned as it is; an unsubscribed one is pending again with this request.
   */
  signUp(input: SignUp): Promise<Subscriber>;
  get(id: string): Promise<Subscriber | null>;
  findByEmail(email: string): Promise<Subscriber | null>;
  /**
   * Counts one confirmation mail if the rule allows one now (atomically: two sign-ups at once
   * take one); false when the subscriber is not pending or the rule says wait.
   */
  takeConfirmationSend(id: string, rule: ConfirmationRule): Promise<boolean>;
  /** Pending -> confirmed with the proof; confirmed stays as it is; otherwise null. */
  confirm(id: string, proof: ConsentProof): Promise<Subscriber | null>;
  /** Confirmed or pending -> unsubscribed (the first time is kept); null for an unknown id. */
  unsubscribe(id: string, at: Millis, source: string): Promise<Subscriber | null>;
  addNews(item: NewsItem): Promise<NewsItem>;
  /** Items created in (after, until], oldest first (then by id). */
  listNews(query: { after?: Millis; until?: Millis; limit?: number }): Promise<NewsItem[]>;
  /** Confirmed subscribers not given `period` yet, by id after `afterId`, at most `limit`. */
  dueForDigest(period: number, afterId: string | null, limit: number): Promise<Subscriber[]>;
  /**
   * Claims the subscriber's digest of `period` until `leaseUntil`: true for exactly one caller,
   * or for a later one once a claim's lease has ended unfinished (its worker died).
   */
  claimDigest(subscriberId: string, period: number, at: Millis, leaseUntil: Millis): Promise<boolean>;
  /**
   * Ends a claim: the period is given; `sent` also moves the subscriber's lastDigestAt to
   * `itemsUntil`. Fenced: a claim already finished is left as it is (false).
   */
  finishDigest(
    subscriberId: string,
    period: number,
    outcome: DigestOutcome,
    at: Millis,
    itemsUntil: Millis,
  ): Promise<boolean>;
  /** Hands a claim back (quiet hours, a full frequency cap): a later tick may claim it again. */
  releaseDigest(subscriberId: string, period: number): Promise<void>;
  /** When digests were sent to the subscriber at or after `since` (the frequency cap). */
  digestsSentSince(subscriberId: string, since: Millis): Promise<Millis[]>;
  /** Every subscription of the customer's id or address (any case), for export. */
  subscriptionsOf(customerId: string, email: string | null): Promise<Subscriber[]>;
  /** Removes them and their digest claims; how many subscribers were removed. */
  erase(customerId: string, email: string | null): Promise<number>;
}

/** The key an address is unique by. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}
