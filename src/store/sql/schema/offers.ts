// 0014-offers: insider offer codes, one row per single-use code. A code is in the pool while
// `touch_point_id` is null; giving it sets the touch point (unique: a touch point has one code,
// whatever retries and crashes happen), the customer and the time; an order using it sets
// `redeemed_at` and the order. Indexes: the pool of an offer, a customer's codes (the cap, the
// timeline).
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type SqlDialectName } from './types.js';

export function offersSchema(dialect: SqlDialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('offer_codes')
        .addColumn('code', t.key, (c) => c.primaryKey())
        .addColumn('offer_id', t.key, (c) => c.notNull())
        .addColumn('source', t.text, (c) => c.notNull())
        .addColumn('created_at', t.millis, (c) => c.notNull())
        .addColumn('touch_point_id', t.key)
        .addColumn('customer_id', t.key)
        .addColumn('assigned_at', t.millis)
        .addColumn('redeemed_at', t.millis)
        .addColumn('redeemed_order_id', t.key)
        .execute();
      await db.schema
        .createIndex('offer_codes_touch_point')
        .on('offer_codes')
        .column('touch_point_id')
        .unique()
        .execute();
      await db.schema
        .createIndex('offer_codes_pool')
        .on('offer_codes')
        .columns(['offer_id', 'touch_point_id', 'code'])
        .execute();
      await db.schema
        .createIndex('offer_codes_customer')
        .on('offer_codes')
        .columns(['customer_id', 'assigned_at'])
        .execute();
    },
  };
}
