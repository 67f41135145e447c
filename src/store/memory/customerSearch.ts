// Customer search in memory (by address, by folded name, or by id): a scan of the customers
// (the memory store serves simulations and tests, not a million customers), in the SQL stores'
// orders.
import type { Customer } from '../../core/domain.js';
import { nameKeyOf } from '../../core/nameKey.js';
import type { CustomerSearchQuery, CustomerSearchStore } from '../ports/customerSearch.js';
import { compareText } from '../records/storable.js';
import type { Records } from './records.js';
import { settle } from './settle.js';

const emailKey = (c: Customer): string | null => (c.email === null ? null : c.email.toLowerCase());
const nameKey = (c: Customer): string | null => nameKeyOf(c.firstName, c.lastName);

export class MemoryCustomerSearch implements CustomerSearchStore {
  constructor(private readonly records: Records) {}

  searchCustomers(query: CustomerSearchQuery): Promise<Customer[]> {
    return settle(() => {
      const byEmail = (query.emailPrefix ?? '') !== '';
      const prefix = byEmail ? (query.emailPrefix ?? '') : (query.namePrefix ?? '');
      const all = [...this.records.customers.values()];
      if (prefix === '') {
        const after = query.after?.id;
        return all
          .filter((c) => after === undefined || compareText(c.id, after) > 0)
          .sort((a, b) => compareText(a.id, b.id))
          .slice(0, query.limit);
      }
      const keyOf = byEmail ? emailKey : nameKey;
      const after = query.after;
      return all
        .map((c) => ({ c, key: keyOf(c) }))
        .filter((e): e is { c: Customer; key: string } => e.key !== null && e.key.startsWith(prefix))
        .filter(
          ({ c, key }) =>
            after === undefined ||
            compareText(key, after.key) > 0 ||
            (key === after.key && compareText(c.id, after.id) > 0),
        )
        .sort((a, b) => compareText(a.key, b.key) || compareText(a.c.id, b.c.id))
        .slice(0, query.limit)
        .map((e) => e.c);
    });
  }

  temperatureBands(bounds: readonly number[]): Promise<number[]> {
    return settle(() => {
      const counts = new Array<number>(bounds.length + 1).fill(0);
      for (const c of this.records.customers.values()) {
        const band = bounds.findIndex((bound) => c.temperature < bound);
        const i = band === -1 ? bounds.length : band;
        counts[i] = (counts[i] ?? 0) + 1;
      }
      return counts;
    });
  }
}
