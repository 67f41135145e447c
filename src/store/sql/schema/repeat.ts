// 0007-repeat: what intake needs to tell a repeat purchase from a first one. Each customer counts
// the orders seen (`order_count`) and names the latest (`last_order_id`); each order keeps its
// place among its customer's orders (`sequence`, 1 = the first), so `order.first` still holds
// for the first order's steps after a second order has arrived. Existing rows are numbered by
// when each order was placed (ties by id).
import type { Kysely, Migration } from 'kysely';
import type { Tables } from '../tables.js';
import { columnTypes, type SqlDialectName } from './types.js';

export function repeatSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('customers')
        .addColumn('order_count', t.int, (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('customers').addColumn('last_order_id', t.key).execute();
      await db.schema
        .alterTable('orders')
        .addColumn('sequence', t.int, (c) => c.notNull().defaultTo(1))
        .execute();
      // Written with the builder (not raw SQL) so the PostgreSQL schema prefix applies; an order's
      // number is how many of its customer's orders were placed before it, or with it and a
      // smaller id, itself included.
      const tables = db as unknown as Kysely<Pick<Tables, 'customers' | 'orders'>>;
      await tables
        .updateTable('orders as o')
        .set((eb) => ({
          sequence: eb
            .selectFrom('orders as p')
            .select((p) => p.fn.countAll<number>().as('n'))
            .whereRef('p.customer_id', '=', 'o.customer_id')
            .where((p) =>
              p.or([
                p('p.placed_at', '<', p.ref('o.placed_at')),
                p.and([p('p.placed_at', '=', p.ref('o.placed_at')), p('p.id', '<=', p.ref('o.id'))]),
              ]),
            ),
        }))
        .execute();
      await tables
        .updateTable('customers as c')
        .set((eb) => ({
          order_count: eb
            .selectFrom('orders')
            .select((o) => o.fn.countAll<number>().as('n'))
            .whereRef('orders.customer_id', '=', 'c.id'),
          last_order_id: eb
            .selectFrom('orders')
            .select('orders.id')
            .whereRef('orders.customer_id', '=', 'c.id')
            .orderBy('orders.sequence', 'desc')
            .limit(1),
        }))
        .execute();
    },
  };
}
