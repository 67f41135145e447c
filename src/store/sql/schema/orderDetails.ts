// 0006-orders: what the customer knows their order by (`#1042`) and where it goes. Both may be
// unknown (older rows, sources without them), so both columns are nullable.
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function orderDetailsSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('orders').addColumn('order_number', t.text).execute();
      await db.schema.alterTable('orders').addColumn('shipping_address', t.json).execute();
    },
  };
}
