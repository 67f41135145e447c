// Finding customers among a million: by the start of their e-mail address, by the start of their
// name, or all of them by id, a page at a time with a keyset cursor (no OFFSET), so every page
// costs the same.
import type { Customer } from '../../core/domain.js';

export interface CustomerSearchQuery {
  /** Lower-cased start of the address; empty or absent (and no namePrefix): every customer, by id. */
  emailPrefix?: string;
  /** Start of the folded name (core/nameKey.ts foldName); used when no emailPrefix is given. */
  namePrefix?: string;
  /**
   * The last customer of the previous page: its key in this search's order (lower-cased address
   * or folded name; ignored by id) and its id.
   */
  after?: { key: string; id: string };
  limit: number;
}

export interface CustomerSearchStore {
  /** By lower-cased address (or folded name) then id when a prefix is given, else by id. */
  searchCustomers(query: CustomerSearchQuery): Promise<Customer[]>;
  /** How many customers have a temperature in each band, coldest first (bands are upper bounds). */
  temperatureBands(bounds: readonly number[]): Promise<number[]>;
}
