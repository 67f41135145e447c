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
import { foldName, nameKeyOf } from '../../core/nameKey.js';
import { AftercareError } from '../../errors.js';
import type { CustomerSearchStore } from '../../store/ports/customerSearch.js';
import type { ReadStore } from '../../store/ports/reads.js';

/** Customers a search page holds when the caller names no limit; the most it may hold. */
export const DEFAULT_SEARCH_LIMIT = 25;
export const MAX_SEARCH_LIMIT = 200;

/** The dashboard's temperature bands: below 20, 40, 60, 80, and the rest. */
export const TEMPERATURE_BOUNDS = [20, 40, 60, 80] as const;

/** What a search's text is the start of: the e-mail address, or the name (first then last). */
export type CustomerSearchBy = 'email' | 'name';

export interface CustomerSearch {
  /**
   * Start of the address or the name (any case; a name's accents need not be typed); empty:
   * every customer, by id.
   */
  text?: string;
  /** Default: 'email'. */
  by?: CustomerSearchBy;
  /** The `next` of the previous page. */
  cursor?: string | null;
  limit?: number;
}

export interface CustomerPage {
  customers: Customer[];
  /** Pass as `cursor` for the next page; null on the last. */
  next: string | null;
}

/** Which order a page is in (by address, by name, or every customer by id): kept in its cursor. */
type SearchOrder = 'email' | 'name' | 'id';

/** A page's last customer, as the next page's starting point (opaque to callers). */
function cursorOf(customer: Customer, order: SearchOrder): string {
  const key =
    order === 'email'
      ? (customer.email ?? '').toLowerCase()
      : order === 'name'
        ? (nameKeyOf(customer.firstName, customer.lastName) ?? '')
        : '';
  return Buffer.from(JSON.stringify([order, key, customer.id])).toString('base64url');
}

function afterOf(cursor: string, order: SearchOrder): { key: string; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      value.every((v) => typeof v === 'string') &&
      value[0] === order
    ) {
      return { key: value[1] as string, id: value[2] as string };
    }
  } catch {
    // Falls through to the error below.
  }
  throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'cursor: not a cursor this search gave', {
    field: 'cursor',
  });
}

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
  /** A page of customers whose address (or name) starts with the text, or of all customers by id. */
  search(query: CustomerSearch): Promise<CustomerPage>;
  /** Customers per temperature band (TEMPERATURE_BOUNDS), coldest first. */
  temperatureBands(): Promise<number[]>;
}

export function customerCommands(deps: { reads: ReadStore; search: CustomerSearchStore }): CustomerCommands {
  const { reads, search } = deps;
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
    async search(query) {
      const by = query.by ?? 'email';
      if (by !== 'email' && by !== 'name') {
        throw new AftercareError('AFTERCARE_E_INPUT_INVALID', 'by: must be "email" or "name"', {
          field: 'by',
        });
      }
      const raw = query.text ?? '';
      const text = by === 'email' ? raw.trim().toLowerCase() : foldName(raw).trim();
      const order: SearchOrder = text === '' ? 'id' : by;
      const limit = Math.min(Math.max(1, Math.floor(query.limit ?? DEFAULT_SEARCH_LIMIT)), MAX_SEARCH_LIMIT);
      const after = query.cursor ? afterOf(query.cursor, order) : undefined;
      // One more than asked: whether a next page exists, without counting a million rows.
      const found = await search.searchCustomers({
        ...(order === 'email' ? { emailPrefix: text } : order === 'name' ? { namePrefix: text } : {}),
        ...(after ? { after } : {}),
        limit: limit + 1,
      });
      const customers = found.slice(0, limit);
      const last = customers.at(-1);
      return {
        customers,
        next: found.length > limit && last !== undefined ? cursorOf(last, order) : null,
      };
    },
    temperatureBands: () => search.temperatureBands(TEMPERATURE_BOUNDS),
  };
}
