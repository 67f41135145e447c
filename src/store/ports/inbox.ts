// The inbox capability: webhooks are acknowledged once their events are durably appended here;
// intake then takes them in large batches (engine/inboxDrain.ts). Entries are taken under a
// lease and removed after their intake committed, so a crash in between only repeats an intake,
// which event ids make harmless.
import type { DomainEvent, Millis } from '../../core/domain.js';

export interface InboxEntry {
  seq: number;
  event: DomainEvent;
  /** Which integration delivered it (`shopify`, `stripe`, ...), for logs and metrics. */
  source: string;
  receivedAt: Millis;
}

export interface InboxStore {
  /** Append durably; resolves once committed. */
  appendInbox(entries: { event: DomainEvent; source: string }[], at: Millis): Promise<void>;
  /** Up to `limit` of the oldest entries nobody else holds, held until `leaseUntil`. */
  takeInbox(limit: number, now: Millis, leaseUntil: Millis): Promise<InboxEntry[]>;
  /** Forget entries whose intake has committed. */
  ackInbox(seqs: number[]): Promise<void>;
  /** Entries waiting (held or not). */
  inboxDepth(): Promise<number>;
}
