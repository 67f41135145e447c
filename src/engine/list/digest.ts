// The news digest, a periodic job of the worker: once per period (AFTERCARE_LIST_DIGEST_EVERY,
// counted from the Unix epoch) each confirmed subscriber gets the news items written since their
// last digest, in their language. A subscriber is claimed for the period first (the store's
// unique claim: two workers never both send it; a worker that dies leaves a lease that ends, and
// the next tick takes over), then:
// - waits (the claim is handed back, a later tick tries again) while it is night in their zone
//   (quiet hours) or their frequency cap is full (the shop's other optional mails and digests);
// - is skipped for the period when the address is suppressed, the customer with this address has
//   turned news or e-mail off, paused, or unsubscribed from everything after confirming, or there
//   is nothing new (their items keep waiting for the next period);
// - is sent otherwise, and the period recorded as given.
// A crash between the send and its record repeats that one digest with the same Message-ID.
import { capFreesAt } from '../../core/policy/frequencyCap.js';
import { quietHoursEnd } from '../../core/policy/quietHours.js';
import type { PolicyConfig } from '../../core/policy/types.js';
import { resolveZone } from '../../core/localTime.js';
import type { Customer, Millis } from '../../core/domain.js';
import { ChannelError } from '../../channels/port.js';
import type { ConsentStore } from '../../store/ports/consent.js';
import type { MailingListStore, NewsItem, Subscriber } from '../../store/ports/mailingList.js';
import type { DispatchQueue } from '../../store/ports/queue.js';
import type { ReadStore } from '../../store/ports/reads.js';
import type { PeriodicJob } from '../periodic.js';
import { digestMail, type ListMailDeps } from './mail.js';
import { listLanguageOf } from './texts.js';

export interface DigestDeps {
  list: MailingListStore;
  reads: Pick<ReadStore, 'findCustomerByEmail'>;
  consent: Pick<ConsentStore, 'suppressed'>;
  queue: Pick<DispatchQueue, 'recentNonTransactional'>;
  mail: ListMailDeps;
  policy: Pick<PolicyConfig, 'quietHours' | 'frequencyCap' | 'defaultTimezone'>;
  digestEveryMs: Millis;
  checkEveryMs: Millis;
  /** How long a claim holds before another worker may take it over. Default 10 minutes. */
  leaseMs?: Millis;
  /** Subscribers read per page. Default 200. */
  pageSize?: number;
}

export interface DigestReport {
  period: number;
  sent: number;
  skipped: number;
  /** Handed back: quiet hours, a full cap, a mail server that said try later. */
  waiting: number;
  /** Claimed by another worker this tick. */
  elsewhere: number;
}

type Verdict =
  { kind: 'send'; items: NewsItem[] } | { kind: 'skip'; why: string } | { kind: 'wait'; why: string };

export function digestPeriod(now: Millis, everyMs: Millis): number {
  return Math.floor(now / everyMs);
}

export function digestJob(deps: DigestDeps): PeriodicJob<DigestReport> {
  return {
    name: 'list-digest',
    everyMs: deps.checkEveryMs,
    run: (now) => runDigest(deps, now),
  };
}

export async function runDigest(deps: DigestDeps, now: Millis): Promise<DigestReport> {
  const { list } = deps;
  const period = digestPeriod(now, deps.digestEveryMs);
  const leaseMs = deps.leaseMs ?? 10 * 60_000;
  const pageSize = deps.pageSize ?? 200;
  const report: DigestReport = { period, sent: 0, skipped: 0, waiting: 0, elsewhere: 0 };
  let after: string | null = null;
  for (;;) {
    const page = await list.dueForDigest(period, after, pageSize);
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    for (const subscriber of page) {
      if (!(await list.claimDigest(subscriber.id, period, now, now + leaseMs))) {
        report.elsewhere += 1;
        continue;
      }
      const verdict = await decide(deps, subscriber, now);
      if (verdict.kind === 'wait') {
        await list.releaseDigest(subscriber.id, period);
        report.waiting += 1;
        continue;
      }
      if (verdict.kind === 'skip') {
        await list.finishDigest(subscriber.id, period, 'skipped', now, now);
        report.skipped += 1;
        continue;
      }
      const outcome = await send(deps, subscriber, period, verdict.items, now);
      if (outcome === 'wait') {
        await list.releaseDigest(subscriber.id, period);
        report.waiting += 1;
      } else {
        // Items up to the newest one sent are given; any written since wait for the next period.
        await list.finishDigest(subscriber.id, period, outcome, now, verdict.items.at(-1)!.createdAt);
        report[outcome === 'sent' ? 'sent' : 'skipped'] += 1;
      }
    }
    if (page.length < pageSize) break;
  }
  return report;
}

async function send(
  deps: DigestDeps,
  subscriber: Subscriber,
  period: number,
  items: NewsItem[],
  now: Millis,
): Promise<'sent' | 'skipped' | 'wait'> {
  const channel = deps.mail.email();
  if (channel === null) return 'wait';
  try {
    await channel.send(digestMail(deps.mail, subscriber, period, items, now));
    return 'sent';
  } catch (error) {
    if (error instanceof ChannelError) return error.kind === 'permanent' ? 'skipped' : 'wait';
    throw error;
  }
}

/** Whether a customer's own choices hold the digest back this period. */
function heldByCustomer(customer: Customer, subscriber: Subscriber, now: Millis): string | null {
  const confirmedAt = subscriber.consent?.confirmedAt ?? subscriber.requestedAt;
  // Unsubscribing from everything after the sign-up was confirmed wins; a sign-up after it is newer consent.
  if (customer.unsubscribedAt !== null && customer.unsubscribedAt >= confirmedAt) return 'unsubscribed';
  const prefs = customer.preferences;
  if (prefs.topicsOff.includes('news')) return 'preferences:news_off';
  if (prefs.channelsOff.includes('email')) return 'preferences:email_off';
  if (prefs.pausedUntil !== null && prefs.pausedUntil > now) return 'preferences:paused';
  return null;
}

async function decide(deps: DigestDeps, subscriber: Subscriber, now: Millis): Promise<Verdict> {
  const customer = await deps.reads.findCustomerByEmail(subscriber.email);
  const zone = resolveZone(subscriber.timezone ?? customer?.timezone ?? null, deps.policy.defaultTimezone);
  if (quietHoursEnd(now, zone, deps.policy.quietHours) !== null) return { kind: 'wait', why: 'quiet_hours' };
  if ((await deps.consent.suppressed([subscriber.email])).size > 0)
    return { kind: 'skip', why: 'suppressed' };
  if (customer !== null) {
    const held = heldByCustomer(customer, subscriber, now);
    if (held !== null) return { kind: 'skip', why: held };
  }
  const since = subscriber.lastDigestAt ?? subscriber.consent?.confirmedAt ?? subscriber.requestedAt;
  const lang = listLanguageOf(subscriber.locale) ?? 'en';
  const items = (await deps.list.listNews({ after: since, until: now, limit: 50 })).filter(
    (item) => item.locale === null || item.locale === lang,
  );
  if (items.length === 0) return { kind: 'skip', why: 'nothing_new' };
  const cap = deps.policy.frequencyCap;
  const windowStart = now - cap.windowMs;
  const sends = [...(await deps.list.digestsSentSince(subscriber.id, windowStart))];
  if (customer !== null) {
    const recent = await deps.queue.recentNonTransactional([customer.id], windowStart);
    for (const send of recent.get(customer.id) ?? []) sends.push(send.at);
  }
  if (capFreesAt(sends, now, cap) !== null) return { kind: 'wait', why: 'frequency_cap' };
  return { kind: 'send', items };
}
