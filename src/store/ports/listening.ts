// The listening capability: events not heard yet, what the listener reads about one customer,
// concerns and their stored escalation timers. The listener (engine/listening/) takes unheard
// events in order, decides purely what each changes, and writes it here in one transaction.
import type { Millis, StoredEvent } from '../../core/domain.js';
import type { ListeningChanges, ListeningState } from '../../core/listening/changes.js';
import type { Concern, ConcernStatus } from '../../core/listening/types.js';

export type { ListeningChanges, ListeningState };

export interface ConcernQuery {
  /** 'unresolved' = open or acknowledged. */
  status?: ConcernStatus | 'unresolved';
  customerId?: string;
  owner?: string;
  limit?: number;
}

export interface ListeningStore {
  /** Up to `limit` events not heard yet, by received time then id. */
  unheard(limit: number): Promise<StoredEvent[]>;
  /** Null when the customer is gone (erased): their events are then just marked heard. */
  stateOf(customerId: string): Promise<ListeningState | null>;
  /**
   * Write `changes` and mark `heard.ids` heard at `heard.at`, atomically. Only the customer's care
   * columns are written (temperature and reasons, open concerns, awaiting a person, last NPS,
   * engagement). False, and nothing written, when one of the events was heard already (another
   * listener got there first: its state was newer).
   */
  apply(changes: ListeningChanges, heard: { ids: readonly string[]; at: Millis }): Promise<boolean>;
  getConcern(id: string): Promise<Concern | null>;
  /** Newest opened first. */
  listConcerns(query: ConcernQuery): Promise<Concern[]>;
  /** Unresolved concerns whose escalation timer has passed at `now`, earliest timer first. */
  dueEscalations(now: Millis, limit: number): Promise<Concern[]>;
  /**
   * Store an escalated concern only if it is still at `expected.level` and unresolved (so a
   * resolve or another sweep in between wins); false when it was not.
   */
  escalate(concern: Concern, expected: { level: number }): Promise<boolean>;
}
