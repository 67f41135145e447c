// The webhook inbox on both dialects: appended in one statement per group of requests, taken
// oldest first under a lease, removed once intake has committed.
import type { DomainEvent, Millis } from '../../core/domain.js';
import type { InboxEntry, InboxStore } from '../ports/inbox.js';
import type { SqlHandle } from './db.js';

export class SqlInbox implements InboxStore {
  constructor(private readonly sql: SqlHandle) {}

  async appendInbox(entries: { event: DomainEvent; source: string }[], at: Millis): Promise<void> {
    if (entries.length === 0) return;
    await this.sql.db
      .insertInto('inbox')
      .values(
        entries.map((e) => ({
          source: e.source,
          event: JSON.stringify(e.event),
          received_at: at,
          lease_until: 0,
        })),
      )
      .execute();
  }

  takeInbox(limit: number, now: Millis, leaseUntil: Millis): Promise<InboxEntry[]> {
    return this.sql.db.transaction().execute(async (trx) => {
      let pick = trx
        .selectFrom('inbox')
        .select(['seq', 'source', 'event', 'received_at'])
        .where('lease_until', '<=', now)
        .orderBy('seq')
        .limit(limit);
      if (this.sql.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
      const rows = await pick.execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('inbox')
        .set({ lease_until: leaseUntil })
        .where(
          'seq',
          'in',
          rows.map((r) => r.seq),
        )
        .execute();
      return rows.map((r) => ({
        seq: Number(r.seq),
        source: r.source,
        event: JSON.parse(r.event) as DomainEvent,
        receivedAt: r.received_at,
      }));
    });
  }

  async ackInbox(seqs: number[]): Promise<void> {
    if (seqs.length === 0) return;
    await this.sql.db.deleteFrom('inbox').where('seq', 'in', seqs).execute();
  }

  async inboxDepth(): Promise<number> {
    const row = await this.sql.db
      .selectFrom('inbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
