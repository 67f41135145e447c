// What the listener reads about one customer (ListeningState) and what hearing one event decides
// to write (ListeningChanges): the hearing reducer's input and output, the listening port's
// load and apply.
import type { Customer, Millis, Order, StoredEvent, Task, TouchPoint } from '../domain.js';
import type { Concern } from './types.js';

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
  /**
   * The customer with their care fields as they are now (temperature and reasons, open concerns,
   * awaiting a person, last NPS, engagement); only those columns are written, the rest (contact,
   * preferences, consent) belong to intake and are left as stored.
   */
  customer: Customer | null;
  /** Concerns opened or changed (upsert by id). */
  concerns: Concern[];
  /** New tasks (ignored when one with the same touchPointId exists). */
  newTasks: Task[];
  /** Tasks ended because the work they asked for is done or moot. */
  closeTasks: { id: string; status: 'done' | 'cancelled'; outcome: string; at: Millis }[];
  /** Events the listener derives (a concern opened by a low score...), stored as already heard. */
  events: StoredEvent[];
  /**
   * Follow-up touch points planned from what the customer did (core/listening/followUps.ts),
   * stored as scheduled touch point rows (ignored when one with the same id exists).
   */
  newTouchPoints: TouchPoint[];
}

/** What hearing something that changes nothing writes: a fresh value, safe to fill in. */
export function noChanges(): ListeningChanges {
  return { customer: null, concerns: [], newTasks: [], closeTasks: [], events: [], newTouchPoints: [] };
}
