// The mailing list over maps: subscribers by id and by address key, news items, and the digest
// claims keyed by subscriber and period; the same answers as the SQL stores
// (test/store-contract/mailingListContract.ts).
import type { Millis } from '../../core/domain.js';
import {
  emailKey,
  type ConfirmationRule,
  type ConsentProof,
  type DigestOutcome,
  type MailingListStore,
  type NewsItem,
  type SignUp,
  type Subscriber,
} from '../ports/mailingList.js';
import { settle } from './settle.js';

interface Claim {
  status: 'claimed' | DigestOutcome;
  leaseUntil: Millis;
  doneAt: Millis | null;
}

const frozen = <T extends object>(value: T): T => Object.freeze({ ...value });

export class MemoryMailingList implements MailingListStore {
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly byEmail = new Map<string, string>();
  private readonly news = new Map<string, NewsItem>();
  /** `${subscriberId}\n${period}` -> claim. */
  private readonly claims = new Map<string, Claim>();

  clear(): void {
    this.subscribers.clear();
    this.byEmail.clear();
    this.news.clear();
    this.claims.clear();
  }

  private put(subscriber: Subscriber): Subscriber {
    const row = frozen(subscriber);
    this.subscribers.set(row.id, row);
    return row;
  }

  signUp(input: SignUp): Promise<Subscriber> {
    return settle(() => {
      const key = emailKey(input.email);
      const known = this.subscribers.get(this.byEmail.get(key) ?? '');
      if (known !== undefined && known.status !== 'unsubscribed') return known;
      const request = {
        customerId: input.customerId ?? known?.customerId ?? null,
        locale: input.locale,
        timezone: input.timezone,
        status: 'pending' as const,
        requestedAt: input.at,
        requestSource: input.source,
        requestIp: input.ip,
        consent: null,
        unsubscribedAt: null,
        unsubscribeSource: null,
      };
      if (known !== undefined) return this.put({ ...known, ...request });
      this.byEmail.set(key, input.id);
      return this.put({
        id: input.id,
        email: input.email.trim(),
        ...request,
        confirmationsSent: 0,
        lastConfirmationAt: null,
        lastDigestAt: null,
        lastDigestPeriod: null,
      });
    });
  }

  get(id: string): Promise<Subscriber | null> {
    return settle(() => this.subscribers.get(id) ?? null);
  }

  findByEmail(email: string): Promise<Subscriber | null> {
    return settle(() => this.subscribers.get(this.byEmail.get(emailKey(email)) ?? '') ?? null);
  }

  takeConfirmationSend(id: string, rule: ConfirmationRule): Promise<boolean> {
    return settle(() => {
      const s = this.subscribers.get(id);
      if (s === undefined || s.status !== 'pending') return false;
      const last = s.lastConfirmationAt;
      if (last !== null && last > rule.at - rule.minGapMs) return false;
      const newWindow = last === null || last <= rule.at - rule.windowMs;
      if (!newWindow && s.confirmationsSent >= rule.max) return false;
      this.put({
        ...s,
        confirmationsSent: newWindow ? 1 : s.confirmationsSent + 1,
        lastConfirmationAt: rule.at,
      });
      return true;
    });
  }

  confirm(id: string, proof: ConsentProof): Promise<Subscriber | null> {
    return settle(() => {
      const s = this.subscribers.get(id);
      if (s === undefined) return null;
      if (s.status === 'confirmed') return s;
      if (s.status !== 'pending') return null;
      return this.put({ ...s, status: 'confirmed', consent: frozen(proof), confirmationsSent: 0 });
    });
  }

  unsubscribe(id: string, at: Millis, source: string): Promise<Subscriber | null> {
    return settle(() => {
      const s = this.subscribers.get(id);
      if (s === undefined) return null;
      if (s.status === 'unsubscribed') return s;
      return this.put({ ...s, status: 'unsubscribed', unsubscribedAt: at, unsubscribeSource: source });
    });
  }

  addNews(item: NewsItem): Promise<NewsItem> {
    return settle(() => {
      if (this.news.has(item.id)) throw new Error(`news item ${item.id} exists already`);
      const row = frozen(item);
      this.news.set(row.id, row);
      return row;
    });
  }

  listNews(query: { after?: Millis; until?: Millis; limit?: number }): Promise<NewsItem[]> {
    return settle(() =>
      [...this.news.values()]
        .filter(
          (n) =>
            (query.after === undefined || n.createdAt > query.after) &&
            (query.until === undefined || n.createdAt <= query.until),
        )
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, query.limit ?? Number.POSITIVE_INFINITY),
    );
  }

  dueForDigest(period: number, afterId: string | null, limit: number): Promise<Subscriber[]> {
    return settle(() =>
      [...this.subscribers.values()]
        .filter(
          (s) =>
            s.status === 'confirmed' &&
            (s.lastDigestPeriod === null || s.lastDigestPeriod < period) &&
            (afterId === null || s.id > afterId),
        )
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, limit),
    );
  }

  claimDigest(subscriberId: string, period: number, at: Millis, leaseUntil: Millis): Promise<boolean> {
    return settle(() => {
      const key = `${subscriberId}\n${period}`;
      const claim = this.claims.get(key);
      if (claim !== undefined && (claim.status !== 'claimed' || claim.leaseUntil > at)) return false;
      this.claims.set(key, { status: 'claimed', leaseUntil, doneAt: null });
      return true;
    });
  }

  finishDigest(
    subscriberId: string,
    period: number,
    outcome: DigestOutcome,
    at: Millis,
    itemsUntil: Millis,
  ): Promise<boolean> {
    return settle(() => {
      const key = `${subscriberId}\n${period}`;
      const claim = this.claims.get(key);
      if (claim === undefined || claim.status !== 'claimed') return false;
      this.claims.set(key, { status: outcome, leaseUntil: claim.leaseUntil, doneAt: at });
      const s = this.subscribers.get(subscriberId);
      if (s !== undefined) {
        this.put({
          ...s,
          lastDigestPeriod: Math.max(s.lastDigestPeriod ?? period, period),
          lastDigestAt:
            outcome === 'sent' ? Math.max(s.lastDigestAt ?? itemsUntil, itemsUntil) : s.lastDigestAt,
        });
      }
      return true;
    });
  }

  releaseDigest(subscriberId: string, period: number): Promise<void> {
    return settle(() => {
      const key = `${subscriberId}\n${period}`;
      if (this.claims.get(key)?.status === 'claimed') this.claims.delete(key);
    });
  }

  digestsSentSince(subscriberId: string, since: Millis): Promise<Millis[]> {
    return settle(() => {
      const prefix = `${subscriberId}\n`;
      const times: Millis[] = [];
      for (const [key, claim] of this.claims) {
        if (
          key.startsWith(prefix) &&
          claim.status === 'sent' &&
          claim.doneAt !== null &&
          claim.doneAt >= since
        )
          times.push(claim.doneAt);
      }
      return times.sort((a, b) => a - b);
    });
  }

  private idsOf(customerId: string, email: string | null): string[] {
    const ids = new Set<string>();
    for (const s of this.subscribers.values()) if (s.customerId === customerId) ids.add(s.id);
    const byAddress = email === null ? undefined : this.byEmail.get(emailKey(email));
    if (byAddress !== undefined) ids.add(byAddress);
    return [...ids].sort();
  }

  subscriptionsOf(customerId: string, email: string | null): Promise<Subscriber[]> {
    return settle(() => this.idsOf(customerId, email).map((id) => this.subscribers.get(id)!));
  }

  erase(customerId: string, email: string | null): Promise<number> {
    return settle(() => {
      const ids = this.idsOf(customerId, email);
      for (const id of ids) {
        const s = this.subscribers.get(id)!;
        this.byEmail.delete(emailKey(s.email));
        this.subscribers.delete(id);
        for (const key of [...this.claims.keys()]) if (key.startsWith(`${id}\n`)) this.claims.delete(key);
      }
      return ids.length;
    });
  }
}
