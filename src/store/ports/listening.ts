// The listening capability: events not heard yet, what the listener reads about one customer,
// concerns and their stored escalation timers. The listener (engine/listening/) takes unheard
// events in order, decides purely what each changes, and writes it here in one transaction.
import type { Customer, Millis, Order, StoredEvent, Task, TouchPoint } from '../../core/domain.js';
import type { Concern, ConcernStatus } from '../../core/listening/types.js';

/** Everything the listener reads about one customer before hearing their next event. */
export interface ListeningState {
  customer: Customer;
  /** Their whole timeline, oldest first (what temperature is folded from). */
  events: StoredEvent[];
  orders: Order[];
  /** Their touch points, any status. */
  touchPoints: TouchPoint[];
  /** Their concerns, any status, oldest first. */
  concerns: Concern[];
  /** Their tasks that are still open or claimed. */
  openTasks: Task[];
}

/** What hearing one event writes; all of it lands in one transaction with the event marked heard. */
export interface ListeningChanges {
  /** The customer's care fields (temperature and reasons, open concerns, awaiting a person,
   * preferences, last NPS, engagement) as they are now; other columns are left as stored. */
  customer: Customer | null;
  /** Concerns opened or changed (upsert by id). */
  concerns: Concern[];
  /** New tasks (ignored when one with the same touchPointId exists). */
  newTasks: Task[];
  /** Tasks ended because the work they asked for is done or moot. */
  closeTasks: { id: string; status: 'done' | 'cancelled'; outcome: string; at: Millis }[];
  /** Events the listener derives (a concern opened by a low score...), stored as already heard. */
  events: StoredEvent[];
}

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
  /** Write `changes` and mark `heardEventIds` heard, atomically. */
  apply(changes: ListeningChanges, heardEventIds: readonly string[]): Promise<void>;
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
