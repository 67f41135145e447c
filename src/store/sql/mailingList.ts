// The mailing list for both dialects: subscribers unique by address key, news items, and digest
// claims whose primary key (subscriber, period) lets exactly one worker take a period.
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
  type SubscriberStatus,
} from '../ports/mailingList.js';
import type { SqlHandle } from './db.js';
import type { ListNewsTable, ListSubscribersTable } from './tables.js';

const num = (value: number | string | null): number | null => (value === null ? null : Number(value));

function subscriberFromRow(row: ListSubscribersTable): Subscriber {
  return {
    id: row.id,
    email: row.email,
    customerId: row.customer_id,
    locale: row.locale,
    timezone: row.timezone,
    status: row.status as SubscriberStatus,
    requestedAt: Number(row.requested_at),
    requestSource: row.request_source,
    requestIp: row.request_ip,
    confirmationsSent: Number(row.confirmations_sent),
    lastConfirmationAt: num(row.last_confirmation_at),
    consent: row.consent === null ? null : (JSON.parse(row.consent) as ConsentProof),
    unsubscribedAt: num(row.unsubscribed_at),
    unsubscribeSource: row.unsubscribe_source,
    lastDigestAt: num(row.last_digest_at),
    lastDigestPeriod: num(row.last_digest_period),
  };
}

function newsFromRow(row: ListNewsTable): NewsItem {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    locale: row.locale,
    createdAt: Number(row.created_at),
  };
}

export class SqlMailingList implements MailingListStore {
  constructor(private readonly sql: SqlHandle) {}

  async signUp(input: SignUp): Promise<Subscriber> {
    const key = emailKey(input.email);
    const request = {
      locale: input.locale,
      timezone: input.timezone,
      status: 'pending',
      requested_at: input.at,
      request_source: input.source,
      request_ip: input.ip,
      consent: null,
      unsubscribed_at: null,
      unsubscribe_source: null,
    };
    // A new address is inserted; should another sign-up insert it first, the row is read back.
    await this.sql.db
      .insertInto('list_subscribers')
      .values({
        id: input.id,
        email: input.email.trim(),
        email_key: key,
        customer_id: input.customerId,
        ...request,
        confirmations_sent: 0,
        last_confirmation_at: null,
        last_digest_at: null,
        last_digest_period: null,
      })
      .onConflict((oc) => oc.column('email_key').doNothing())
      .execute();
    // An unsubscribed address asks again: pending with this request (fenced on the status).
    await this.sql.db
      .updateTable('list_subscribers')
      .set((eb) => ({
        ...request,
        customer_id: eb.fn.coalesce('customer_id', eb.val(input.customerId)),
      }))
      .where('email_key', '=', key)
      .where('status', '=', 'unsubscribed')
      .execute();
    const row = await this.sql.db
      .selectFrom('list_subscribers')
      .selectAll()
      .where('email_key', '=', key)
      .executeTakeFirstOrThrow();
    return subscriberFromRow(row);
  }

  async get(id: string): Promise<Subscriber | null> {
    const row = await this.sql.db
      .selectFrom('list_subscribers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? null : subscriberFromRow(row);
  }

  async findByEmail(email: string): Promise<Subscriber | null> {
    const row = await this.sql.db
      .selectFrom('list_subscribers')
      .selectAll()
      .where('email_key', '=', emailKey(email))
      .executeTakeFirst();
    return row === undefined ? null : subscriberFromRow(row);
  }

  async takeConfirmationSend(id: string, rule: ConfirmationRule): Promise<boolean> {
    const windowStart = rule.at - rule.windowMs;
    const rows = await this.sql.db
      .updateTable('list_subscribers')
      .set((eb) => ({
        confirmations_sent: eb
          .case()
          .when(
            eb.or([eb('last_confirmation_at', 'is', null), eb('last_confirmation_at', '<=', windowStart)]),
          )
          .then(1)
          .else(eb('confirmations_sent', '+', 1))
          .end(),
        last_confirmation_at: rule.at,
      }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) =>
        eb.or([
          eb('last_confirmation_at', 'is', null),
          eb.and([
            eb('last_confirmation_at', '<=', rule.at - rule.minGapMs),
            eb.or([eb('confirmations_sent', '<', rule.max), eb('last_confirmation_at', '<=', windowStart)]),
          ]),
        ]),
      )
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  async confirm(id: string, proof: ConsentProof): Promise<Subscriber | null> {
    await this.sql.db
      .updateTable('list_subscribers')
      .set({ status: 'confirmed', consent: JSON.stringify(proof), confirmations_sent: 0 })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    const now = await this.get(id);
    return now !== null && now.status === 'confirmed' ? now : null;
  }

  async unsubscribe(id: string, at: Millis, source: string): Promise<Subscriber | null> {
    await this.sql.db
      .updateTable('list_subscribers')
      .set({ status: 'unsubscribed', unsubscribed_at: at, unsubscribe_source: source })
      .where('id', '=', id)
      .where('status', '!=', 'unsubscribed')
      .execute();
    return this.get(id);
  }

  async addNews(item: NewsItem): Promise<NewsItem> {
    await this.sql.db
      .insertInto('list_news')
      .values({
        id: item.id,
        title: item.title,
        body: item.body,
        locale: item.locale,
        created_at: item.createdAt,
      })
      .execute();
    return { ...item };
  }

  async listNews(query: { after?: Millis; until?: Millis; limit?: number }): Promise<NewsItem[]> {
    let q = this.sql.db.selectFrom('list_news').selectAll().orderBy('created_at').orderBy('id');
    if (query.after !== undefined) q = q.where('created_at', '>', query.after);
    if (query.until !== undefined) q = q.where('created_at', '<=', query.until);
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(newsFromRow);
  }

  async dueForDigest(period: number, afterId: string | null, limit: number): Promise<Subscriber[]> {
    let q = this.sql.db
      .selectFrom('list_subscribers')
      .selectAll()
      .where('status', '=', 'confirmed')
      .where((eb) => eb.or([eb('last_digest_period', 'is', null), eb('last_digest_period', '<', period)]))
      .orderBy('id')
      .limit(limit);
    if (afterId !== null) q = q.where('id', '>', afterId);
    return (await q.execute()).map(subscriberFromRow);
  }

  async claimDigest(subscriberId: string, period: number, at: Millis, leaseUntil: Millis): Promise<boolean> {
    const inserted = await this.sql.db
      .insertInto('list_digests')
      .values({
        subscriber_id: subscriberId,
        period,
        status: 'claimed',
        lease_until: leaseUntil,
        done_at: null,
      })
      .onConflict((oc) => oc.columns(['subscriber_id', 'period']).doNothing())
      .returning('subscriber_id')
      .execute();
    if (inserted.length === 1) return true;
    // Taken over only from a claim whose worker let its lease end unfinished.
    const taken = await this.sql.db
      .updateTable('list_digests')
      .set({ lease_until: leaseUntil })
      .where('subscriber_id', '=', subscriberId)
      .where('period', '=', period)
      .where('status', '=', 'claimed')
      .where('lease_until', '<=', at)
      .returning('subscriber_id')
      .execute();
    return taken.length === 1;
  }

  async finishDigest(
    subscriberId: string,
    period: number,
    outcome: DigestOutcome,
    at: Millis,
    itemsUntil: Millis,
  ): Promise<boolean> {
    return this.sql.db.transaction().execute(async (trx) => {
      const ended = await trx
        .updateTable('list_digests')
        .set({ status: outcome, done_at: at })
        .where('subscriber_id', '=', subscriberId)
        .where('period', '=', period)
        .where('status', '=', 'claimed')
        .returning('subscriber_id')
        .execute();
      if (ended.length === 0) return false;
      const current = await trx
        .selectFrom('list_subscribers')
        .select(['last_digest_period', 'last_digest_at'])
        .where('id', '=', subscriberId)
        .executeTakeFirst();
      if (current === undefined) return true;
      const lastPeriod = num(current.last_digest_period);
      const lastAt = num(current.last_digest_at);
      await trx
        .updateTable('list_subscribers')
        .set({
          last_digest_period: Math.max(lastPeriod ?? period, period),
          last_digest_at: outcome === 'sent' ? Math.max(lastAt ?? itemsUntil, itemsUntil) : lastAt,
        })
        .where('id', '=', subscriberId)
        .execute();
      return true;
    });
  }

  async releaseDigest(subscriberId: string, period: number): Promise<void> {
    await this.sql.db
      .deleteFrom('list_digests')
      .where('subscriber_id', '=', subscriberId)
      .where('period', '=', period)
      .where('status', '=', 'claimed')
      .execute();
  }

  async digestsSentSince(subscriberId: string, since: Millis): Promise<Millis[]> {
    const rows = await this.sql.db
      .selectFrom('list_digests')
      .select('done_at')
      .where('subscriber_id', '=', subscriberId)
      .where('status', '=', 'sent')
      .where('done_at', '>=', since)
      .orderBy('done_at')
      .execute();
    return rows.map((r) => Number(r.done_at));
  }

  private async idsOf(customerId: string, email: string | null): Promise<string[]> {
    const rows = await this.sql.db
      .selectFrom('list_subscribers')
      .select('id')
      .where((eb) =>
        email === null
          ? eb('customer_id', '=', customerId)
          : eb.or([eb('customer_id', '=', customerId), eb('email_key', '=', emailKey(email))]),
      )
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  async subscriptionsOf(customerId: string, email: string | null): Promise<Subscriber[]> {
    const ids = await this.idsOf(customerId, email);
    if (ids.length === 0) return [];
    const rows = await this.sql.db
      .selectFrom('list_subscribers')
      .selectAll()
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    return rows.map(subscriberFromRow);
  }

  async erase(customerId: string, email: string | null): Promise<number> {
    return this.sql.db.transaction().execute(async (trx) => {
      const ids = (
        await trx
          .selectFrom('list_subscribers')
          .select('id')
          .where((eb) =>
            email === null
              ? eb('customer_id', '=', customerId)
              : eb.or([eb('customer_id', '=', customerId), eb('email_key', '=', emailKey(email))]),
          )
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) return 0;
      await trx.deleteFrom('list_digests').where('subscriber_id', 'in', ids).execute();
      await trx.deleteFrom('list_subscribers').where('id', 'in', ids).execute();
      return ids.length;
    });
  }
}
