// Finding customers among a million: by the start of their e-mail address, or all of them by id,
// a page at a time with a keyset cursor (no OFFSET), so every page costs the same.
import type { Customer } from '../../core/domain.js';

export interface CustomerSearchQuery {
  /** Lower-cased start of the address; empty or absent: every customer, by id. */
  emailPrefix?: string;
  /** The last customer of the previous page (its lower-cased address and id). */
  after?: { email: string; id: string };
  limit: number;
}

export interface CustomerSearchStore {
  /** By lower-cased address then id when a prefix is given, else by id. */
  searchCustomers(query: CustomerSearchQuery): Promise<Customer[]>;
  /** How many customers have a temperature in each band, coldest first (bands are upper bounds). */
  temperatureBands(bounds: readonly number[]): Promise<number[]>;
}
