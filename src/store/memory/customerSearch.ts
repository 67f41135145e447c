// Customer search in memory: a scan of the customers (the memory store serves simulations and
// tests, not a million customers), in the SQL stores' orders.
import type { Customer } from '../../core/domain.js';
import type { CustomerSearchQuery, CustomerSearchStore } from '../ports/customerSearch.js';
import { compareText } from '../records/storable.js';
import type { Records } from './records.js';
import { settle } from './settle.js';

const emailKey = (c: Customer): string => (c.email ?? '').toLowerCase();

export class MemoryCustomerSearch implements CustomerSearchStore {
  constructor(private readonly records: Records) {}

  searchCustomers(query: CustomerSearchQuery): Promise<Customer[]> {
    return settle(() => {
      const prefix = query.emailPrefix ?? '';
      const all = [...this.records.customers.values()];
      if (prefix === '') {
        const after = query.after?.id;
        return all
          .filter((c) => after === undefined || compareText(c.id, after) > 0)
          .sort((a, b) => compareText(a.id, b.id))
          .slice(0, query.limit);
      }
      const after = query.after;
      return all
        .filter((c) => c.email !== null && emailKey(c).startsWith(prefix))
        .filter(
          (c) =>
            after === undefined ||
            compareText(emailKey(c), after.email) > 0 ||
            (emailKey(c) === after.email && compareText(c.id, after.id) > 0),
        )
        .sort((a, b) => compareText(emailKey(a), emailKey(b)) || compareText(a.id, b.id))
        .slice(0, query.limit);
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
