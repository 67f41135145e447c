// What Aftercare holds about customers, as the API, the CLI and the dashboard show it: find one
// by e-mail, their orders, their timeline of events, their touch points, and single orders. A
// list about an unknown customer is null, not empty, so a caller can tell the two apart.
import type {
  Customer,
  EventType,
  Order,
  StoredEvent,
  TouchPoint,
  TouchPointStatus,
} from '../../core/domain.js';
import type { ReadStore } from '../../store/ports/reads.js';

/** A customer's touch points are few: by default all of them (up to this many) are listed. */
export const DEFAULT_CUSTOMER_TOUCH_POINT_LIMIT = 1000;

export interface CustomerCommands {
  get(id: string): Promise<Customer | null>;
  /** The earliest customer with this address (any case). */
  findByEmail(email: string): Promise<Customer | null>;
  /** By placed time; null when there is no such customer. */
  orders(customerId: string): Promise<Order[] | null>;
  /** By time, only of these types when any are given; null when there is no such customer. */
  timeline(customerId: string, types?: readonly EventType[]): Promise<StoredEvent[] | null>;
  /** By due time; null when there is no such customer. */
  touchPoints(
    customerId: string,
    query?: { status?: TouchPointStatus; limit?: number },
  ): Promise<TouchPoint[] | null>;
  order(id: string): Promise<Order | null>;
}

export function customerCommands(deps: { reads: ReadStore }): CustomerCommands {
  const { reads } = deps;
  /** `list` for a known customer; null for an unknown one. */
  async function ofCustomer<T>(customerId: string, list: () => Promise<T[]>): Promise<T[] | null> {
    return (await reads.getCustomer(customerId)) === null ? null : list();
  }
  return {
    get: (id) => reads.getCustomer(id),
    findByEmail: (email) => reads.findCustomerByEmail(email),
    orders: (customerId) => ofCustomer(customerId, () => reads.listOrders(customerId)),
    timeline: (customerId, types) =>
      ofCustomer(customerId, () =>
        reads.listEvents(customerId, types && types.length > 0 ? [...types] : undefined),
      ),
    touchPoints: (customerId, query = {}) =>
      ofCustomer(customerId, () =>
        reads.listTouchPoints({
          customerId,
          ...(query.status ? { status: query.status } : {}),
          limit: query.limit ?? DEFAULT_CUSTOMER_TOUCH_POINT_LIMIT,
        }),
      ),
    order: (id) => reads.getOrder(id),
  };
}
