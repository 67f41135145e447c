// Customer search for both dialects: a range on the indexed lower-cased address or folded name
// (a prefix that both SQLite and PostgreSQL's "C" collation serve from the index), paged by keyset.
import { sql } from 'kysely';
import type { Customer } from '../../core/domain.js';
import type { CustomerSearchQuery, CustomerSearchStore } from '../ports/customerSearch.js';
import type { SqlHandle } from './db.js';
import { customerFromRow } from './rows.js';

/** Above every character an address or a name holds: the end of a prefix's range. */
const PAST_PREFIX = '\u{10FFFF}';

export class SqlCustomerSearch implements CustomerSearchStore {
  constructor(private readonly sql: SqlHandle) {}

  async searchCustomers(query: CustomerSearchQuery): Promise<Customer[]> {
    const byEmail = (query.emailPrefix ?? '') !== '';
    const prefix = byEmail ? (query.emailPrefix ?? '') : (query.namePrefix ?? '');
    const column = byEmail ? 'email_lower' : 'name_key';
    let select = this.sql.db.selectFrom('customers').selectAll();
    if (prefix !== '') {
      select = select
        .where(column, '>=', prefix)
        .where(column, '<', prefix + PAST_PREFIX)
        .orderBy(column)
        .orderBy('id');
      if (query.after) {
        const { key, id } = query.after;
        select = select.where((eb) => eb(eb.refTuple(column, 'id'), '>', eb.tuple(key, id)));
      }
    } else {
      select = select.orderBy('id');
      if (query.after) select = select.where('id', '>', query.after.id);
    }
    const rows = await select.limit(query.limit).execute();
    return rows.map(customerFromRow);
  }

  async temperatureBands(bounds: readonly number[]): Promise<number[]> {
    const band = bounds.reduceRight<ReturnType<typeof sql<number>>>(
      (otherwise, bound, i) =>
        sql<number>`case when temperature < ${bound} then ${sql.lit(i)} else ${otherwise} end`,
      sql<number>`${sql.lit(bounds.length)}`,
    );
    const rows = await this.sql.db
      .selectFrom('customers')
      .select([band.as('band'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('band')
      .execute();
    const counts = new Array<number>(bounds.length + 1).fill(0);
    for (const row of rows) counts[Number(row.band)] = Number(row.n);
    return counts;
  }
}
