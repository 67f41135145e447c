// The webhook inbox in memory: appended with increasing sequence numbers, taken oldest first
// under a lease, removed once intake has committed. Events are kept as JSON, so what is taken
// is a copy, exactly as a database hands it back.
import type { DomainEvent, Millis } from '../../core/domain.js';
import type { InboxEntry, InboxStore } from '../ports/inbox.js';
import { settle } from './settle.js';
import type { MemoryTables } from './tables.js';

export class MemoryInbox implements InboxStore {
  constructor(private readonly tables: MemoryTables) {}

  appendInbox(entries: { event: DomainEvent; source: string }[], at: Millis): Promise<void> {
    return settle(() => {
      // Encoded first: an event that cannot be stored leaves none of the group appended.
      const encoded = entries.map((e) => ({ source: e.source, event: JSON.stringify(e.event) }));
      for (const { source, event } of encoded) {
        const seq = ++this.tables.lastInboxSeq;
        this.tables.inbox.set(seq, Object.freeze({ seq, source, event, receivedAt: at, leaseUntil: 0 }));
      }
    });
  }

  takeInbox(limit: number, now: Millis, leaseUntil: Millis): Promise<InboxEntry[]> {
    return settle(() => {
      const taken: InboxEntry[] = [];
      if (limit <= 0) return taken;
      for (const row of this.tables.inbox.values()) {
        if (row.leaseUntil > now) continue;
        this.tables.inbox.set(row.seq, Object.freeze({ ...row, leaseUntil }));
        taken.push({
          seq: row.seq,
          source: row.source,
          event: JSON.parse(row.event) as DomainEvent,
          receivedAt: row.receivedAt,
        });
        if (taken.length >= limit) break;
      }
      return taken;
    });
  }

  ackInbox(seqs: number[]): Promise<void> {
    return settle(() => {
      for (const seq of seqs) this.tables.inbox.delete(seq);
    });
  }

  inboxDepth(): Promise<number> {
    return settle(() => this.tables.inbox.size);
  }
}
