// The reads capability: customers, orders, timelines and touch points as the API, the CLI and
// the dashboard show them. Touch points still in a compact plan are listed like queued ones.
import type {
  Customer,
  EventType,
  Order,
  StoredEvent,
  Task,
  TouchPoint,
  TouchPointStatus,
} from '../../core/domain.js';

export interface TouchPointQuery {
  customerId?: string;
  orderId?: string;
  status?: TouchPointStatus;
  limit?: number;
}

/** Sent touch points, newest first (the dashboard's outbox), a keyset page at a time. */
export interface SentQuery {
  channel?: string;
  stepKey?: string;
  /** The last one of the page before: only those sent before it (by time, then id) follow. */
  before?: { at: number; id: string } | null;
  limit: number;
}

export interface StatusCounts {
  customers: number;
  orders: number;
  events: number;
  touchPoints: Record<TouchPointStatus, number>;
  tasks: Record<Task['status'], number>;
}

export interface ReadStore {
  getCustomer(id: string): Promise<Customer | null>;
  /** The earliest customer with this address (any case). */
  findCustomerByEmail(email: string): Promise<Customer | null>;
  getOrder(id: string): Promise<Order | null>;
  /** By placed time, then id. */
  listOrders(customerId: string): Promise<Order[]>;
  /** The customer's timeline: by time, then received time, then id. */
  listEvents(customerId: string, types?: EventType[]): Promise<StoredEvent[]>;
  /** By due time, then purpose priority, then id. */
  listTouchPoints(query: TouchPointQuery): Promise<TouchPoint[]>;
  getTouchPoint(id: string): Promise<TouchPoint | null>;
  /**
   * Touch points with status `sent`, by outcome time then id, newest first. On SQL it walks
   * `(outcome_at, id)` of the sent rows; see docs/dashboard.md for the index it wants.
   */
  listSent(query: SentQuery): Promise<TouchPoint[]>;
  counts(): Promise<StatusCounts>;
}
